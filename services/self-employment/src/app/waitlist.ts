// The waitlists: staff put a person on the list of a service at their site (a young person puts
// themself), the list is read in line order, anyone on it may leave. When a booking is cancelled its
// slot is offered to the first eligible person in line, held for them in the claim ledger until they
// accept (a booking, with the offer's id), decline, or let the offer lapse; then it goes to the next.
// Every step can be redone: an offer per round of a freed slot is unique, an ended offer is forwarded
// (its slot given back and offered on) until it is marked so, by the request or by the periodic job.
import type { Identity } from "@lto/auth";
import { NotFoundError, PreconditionFailedError } from "@lto/errors";
import {
  abandonAcceptance,
  acceptOffer,
  entryBooked,
  alreadyWaiting,
  bookingClaimKeys,
  declineOffer,
  firstEligible,
  hasLapsed,
  joinWaitlist,
  lapseOffer,
  leaveWaitlist,
  makeOffer,
  markForwarded,
  needsForwarding,
  offerBooked,
  passedOverAfter,
  serviceType,
  siteById,
  withdrawOffer,
  type FreedSlot,
  type Person,
  type ServiceType,
  type WaitlistEntry,
  type WaitlistOffer,
  type WaitlistPreferences,
} from "../domain/index.js";
import { isLearnerOf, requireSiteReader, requireSitesStaff, signedIn, type Viewer } from "./access.js";
import { bookingChangeUseCases } from "./booking-changes.js";
import { bookingUseCases } from "./bookings.js";
import type { Ports } from "./ports.js";

/** The actor of what the service does by itself (lapses, offers after a cancellation). */
export const SYSTEM = "system";
/** How many people in line are looked at for one freed slot (their preferences may not fit). */
const LINE_SCAN = 500;
const ATTEMPTS = 5;

export interface JoinInput {
  personId: string;
  serviceCode: string;
  site: string;
  preferences?: WaitlistPreferences;
}

/** The cancelled booking whose slot is to be offered, read back from the store. */
export interface FreedBooking {
  id: string;
  status: string;
  serviceCode: string;
  site: string;
  operatorId: string;
  roomId?: string;
  equipmentIds: string[];
  mode: "in_person" | "remote";
  start: Date;
  end: Date;
  groupSession?: string;
  seat?: number;
}

/**
 * What the waitlist needs of the bookings: the cancelled booking (to offer its slot), and a booking made
 * for an accepted offer with the offer's id (so it finds the offer's held slot its own).
 */
export interface WaitlistBookings {
  get(id: string): Promise<FreedBooking | undefined>;
  bookOffer(
    viewer: Viewer,
    offer: WaitlistOffer,
    person: Person,
  ): Promise<{ id: string } & Record<string, unknown>>;
  /** An acceptance given up: the booking it never wrote comes off the path (see the booking sweeper). */
  takeOffPathIfNeverWritten(bookingId: string): Promise<boolean>;
}

const iso = (d: Date | undefined) => d?.toISOString();

export function offerView(o: WaitlistOffer) {
  return {
    id: o.id,
    entryId: o.entryId,
    personId: o.personId,
    serviceCode: o.serviceCode,
    site: o.site,
    slot: {
      operatorId: o.slot.operatorId,
      start: o.slot.start.toISOString(),
      end: o.slot.end.toISOString(),
      ...(o.slot.roomId ? { roomId: o.slot.roomId } : {}),
      equipmentIds: o.slot.equipmentIds ?? [],
      ...(o.slot.mode ? { mode: o.slot.mode } : {}),
    },
    offeredAt: o.offeredAt.toISOString(),
    expiresAt: o.expiresAt.toISOString(),
    status: o.status,
    ...(o.decidedAt ? { decidedAt: iso(o.decidedAt), decidedBy: o.decidedBy } : {}),
    ...(o.bookingId ? { bookingId: o.bookingId } : {}),
    version: o.version,
  };
}

export function entryView(e: WaitlistEntry, extra: { position?: number; offer?: WaitlistOffer } = {}) {
  return {
    id: e.id,
    personId: e.personId,
    serviceCode: e.serviceCode,
    site: e.site,
    preferences: e.preferences,
    joinedAt: e.joinedAt.toISOString(),
    joinedBy: e.joinedBy,
    status: e.status,
    ...(extra.position !== undefined ? { position: extra.position } : {}),
    ...(extra.offer ? { offer: offerView(extra.offer) } : {}),
    ...(e.bookingId ? { bookingId: e.bookingId } : {}),
    ...(e.left ? { left: { ...e.left, at: e.left.at.toISOString() } } : {}),
    version: e.version,
  };
}

/** The slot a cancelled booking gave back, as the waitlist offers it. */
export function freedSlot(b: FreedBooking): FreedSlot {
  return {
    serviceCode: b.serviceCode,
    site: b.site,
    operatorId: b.operatorId,
    start: b.start,
    end: b.end,
    ...(b.roomId ? { roomId: b.roomId } : {}),
    equipmentIds: [...b.equipmentIds],
    mode: b.mode,
    ...(b.groupSession !== undefined && b.seat !== undefined
      ? { groupSession: b.groupSession, seat: b.seat }
      : {}),
  };
}

/** The claim keys a booking of the freed slot holds (the group session's seat for a group service). */
function slotKeys(slot: FreedSlot, type: ServiceType): string[] {
  return bookingClaimKeys(
    {
      operatorId: slot.operatorId,
      ...(slot.roomId ? { roomId: slot.roomId } : {}),
      equipmentIds: slot.equipmentIds ?? [],
      start: slot.start,
      end: slot.end,
      ...(slot.groupSession !== undefined ? { groupSession: slot.groupSession } : {}),
      ...(slot.seat !== undefined ? { seat: slot.seat } : {}),
    },
    type,
  );
}

export function waitlistUseCases(ports: Ports, bookings: WaitlistBookings) {
  const { waitlist, offers, slots, persons, clock, ids, waitlistSettings } = ports;

  /**
   * Holds the slot for the offer: its keys claimed with the offer's id as holder and claim token (the
   * booking made on acceptance has the offer's id and re-runs this claim), settled at once.
   */
  async function hold(offerId: string, keys: readonly string[], at: Date, group?: string): Promise<boolean> {
    // A group session's seat is claimed in the session's group, so its bookings see it taken.
    const outcome = await slots.claimAll(keys, { holderId: offerId, claim: offerId, at }, group);
    if (!outcome.ok) return false;
    await slots.settle(keys, offerId);
    return true;
  }

  /** Acting on a person's place in line: staff of the list's site, an admin, or the person. */
  function requireActor(viewer: Viewer, person: Person, site: string): Identity {
    const me = signedIn(viewer);
    if (isLearnerOf(me, person)) return me;
    return requireSitesStaff(viewer, [site]);
  }

  /** Reading a person's place: as acting, plus the programme office. */
  function requireReader(viewer: Viewer, person: Person | undefined, site: string): Identity {
    const me = signedIn(viewer);
    if (isLearnerOf(me, person)) return me;
    return requireSiteReader(viewer, [site]);
  }

  async function person(id: string): Promise<Person> {
    const p = await persons.get(id);
    if (!p) throw new NotFoundError("person", id);
    return p;
  }

  async function loadEntry(id: string): Promise<WaitlistEntry> {
    const e = await waitlist.get(id);
    if (!e) throw new NotFoundError("waitlist entry", id);
    return e;
  }

  async function loadOffer(id: string): Promise<WaitlistOffer> {
    const o = await offers.get(id);
    if (!o) throw new NotFoundError("offer", id);
    return o;
  }

  function typeOf(code: string): ServiceType {
    const type = serviceType(code);
    if (!type) throw new NotFoundError("service type", code);
    return type;
  }

  async function position(entry: WaitlistEntry): Promise<number | undefined> {
    if (entry.status !== "waiting") return undefined;
    const line = await waitlist.inLine(entry.serviceCode, entry.site, LINE_SCAN);
    const at = line.findIndex((e) => e.id === entry.id);
    return at < 0 ? undefined : at + 1;
  }

  /**
   * Offers `slot` to the first eligible entry in line, round by round: holds the slot for the offer and
   * writes it with its WaitlistOffered event. An entry whose hold fails (the slot was booked meanwhile)
   * ends the chain: the slot is nobody's to offer. Undefined when nobody gets it.
   */
  async function offerSlot(
    slot: FreedSlot,
    sourceBookingId: string,
    passedOver: readonly string[],
    cancelled?: string,
  ): Promise<WaitlistOffer | undefined> {
    const type = serviceType(slot.serviceCode);
    if (!type) return undefined;
    const now = clock.now();
    const line = await waitlist.inLine(slot.serviceCode, slot.site, LINE_SCAN);
    const holding = (await offers.pendingOf(line.map((e) => e.id))).map((o) => o.entryId);
    const entry = firstEligible(line, slot, { passedOver, holdingOffer: holding });
    if (!entry) return undefined;
    const offer = makeOffer(
      entry,
      { id: ids.newId(), slot, sourceBookingId, passedOver },
      { offerHours: waitlistSettings.offerHours, minNoticeMinutes: type.minNoticeMinutes },
      now,
    );
    if (!offer) return undefined;
    const keys = slotKeys(slot, type);
    // A cancellation gives its keys back after it is written; make sure before holding them.
    if (cancelled) await slots.release(keys, { holderId: cancelled });
    if (!(await hold(offer.id, keys, now, slot.groupSession))) return undefined;
    if (!(await offers.insert(offer, [{ type: "WaitlistOffered", offer, by: SYSTEM, at: now }]))) {
      // This round was offered already (a redelivered cancellation): give back what this attempt took.
      await slots.release(keys, { claim: offer.id });
      return undefined;
    }
    return offer;
  }

  /** An ended offer's slot: given back, then offered to the next in line; marked forwarded once done. */
  async function forward(ended: WaitlistOffer): Promise<WaitlistOffer | undefined> {
    if (!needsForwarding(ended)) return undefined;
    // A booking with the offer's id holds those keys (an accept that failed late): they stay its own.
    if ((await bookings.get(ended.id))?.status === "confirmed") {
      await offers.updateIf(markForwarded(ended, clock.now()));
      return undefined;
    }
    const type = serviceType(ended.serviceCode);
    if (type) await slots.release(slotKeys(ended.slot, type), { holderId: ended.id });
    const next = await offerSlot(ended.slot, ended.sourceBookingId, passedOverAfter(ended));
    const marked = await offers.updateIf(markForwarded(ended, clock.now()));
    return marked ? next : undefined;
  }

  /** Ends a pending offer (`end` refuses one that is not) and forwards its slot. */
  async function endOffer(offer: WaitlistOffer, end: (o: WaitlistOffer) => WaitlistOffer) {
    const ended = await offers.updateIf(end(offer));
    if (!ended)
      throw new PreconditionFailedError(
        "The offer changed meanwhile (accepted, declined or lapsed); reload it",
      );
    await forward(ended);
    return ended;
  }

  return {
    /** A person joins the list of a service at a site (staff of the site, admin, or the person). */
    async join(viewer: Viewer, input: JoinInput) {
      const p = await person(input.personId);
      const me = requireActor(viewer, p, input.site);
      if (!siteById(input.site)) throw new NotFoundError("site", input.site);
      typeOf(input.serviceCode);
      const current = await waitlist.waitingOf(p.id, input.serviceCode, input.site);
      const entry = joinWaitlist({ ...input, id: ids.newId() }, current, me.subject, clock.now());
      if (!(await waitlist.insert(entry))) {
        const winner = await waitlist.waitingOf(p.id, input.serviceCode, input.site);
        alreadyWaiting(winner ?? entry);
      }
      return entryView(entry, { position: await position(entry) });
    },

    /** The list of a service at a site in line order (staff of the site, programme, admin). */
    async list(
      viewer: Viewer,
      list: { serviceCode: string; site: string; status?: WaitlistEntry["status"] },
      page: { cursor?: string; limit: number },
    ) {
      requireSiteReader(viewer, [list.site]);
      if (!siteById(list.site)) throw new NotFoundError("site", list.site);
      typeOf(list.serviceCode);
      const found = await waitlist.page({ ...list, status: list.status ?? "waiting" }, page);
      const pending = new Map(
        (await offers.pendingOf(found.items.map((e) => e.id))).map((o) => [o.entryId, o]),
      );
      return {
        items: found.items.map((e) => {
          const offer = pending.get(e.id);
          return entryView(e, offer ? { offer } : {});
        }),
        ...(found.nextCursor ? { nextCursor: found.nextCursor } : {}),
      };
    },

    /** One entry with its place in line and its pending offer (as list, and the person). */
    async get(viewer: Viewer, id: string) {
      const entry = await loadEntry(id);
      requireReader(viewer, await persons.get(entry.personId), entry.site);
      const [offer] = await offers.pendingOf([entry.id]);
      return entryView(entry, { position: await position(entry), ...(offer ? { offer } : {}) });
    },

    /** Off the list (staff of the site, admin, the person); a pending offer is withdrawn and goes on. */
    async leave(viewer: Viewer, id: string, reason?: string) {
      for (let attempt = 1; ; attempt++) {
        const entry = await loadEntry(id);
        const me = requireActor(viewer, await person(entry.personId), entry.site);
        const now = clock.now();
        const left = leaveWaitlist(entry, me.subject, now, reason);
        try {
          const stored = await waitlist.update(left);
          for (const offer of await offers.pendingOf([entry.id]))
            await endOffer(offer, (o) => withdrawOffer(o, me.subject, now)).catch(() => undefined);
          return entryView(stored);
        } catch (e) {
          if (!(e instanceof PreconditionFailedError) || attempt >= ATTEMPTS) throw e;
        }
      }
    },

    async getOffer(viewer: Viewer, id: string) {
      const offer = await loadOffer(id);
      requireReader(viewer, await persons.get(offer.personId), offer.site);
      return offerView(offer);
    },

    /**
     * The person (or staff of the site for them) takes the offered slot: the offer is marked accepted
     * first (so it cannot lapse under the booking), then the booking use case books with the offer's id,
     * which finds the slot held for it. A refused booking (the path's order or caps) reopens the offer.
     */
    async accept(viewer: Viewer, id: string) {
      const offer = await loadOffer(id);
      const p = await person(offer.personId);
      const me = requireActor(viewer, p, offer.site);
      const accepted = await offers.updateIf(acceptOffer(offer, offer.id, me.subject, clock.now()));
      if (!accepted)
        throw new PreconditionFailedError("The offer changed meanwhile (declined or lapsed); reload it");
      let booking: Awaited<ReturnType<WaitlistBookings["bookOffer"]>>;
      try {
        booking = await bookings.bookOffer(viewer, accepted, p);
      } catch (err) {
        // Refused (the path's order or caps, a closed path): the offer is open again until its deadline.
        if (!(await bookings.get(offer.id))) await offers.updateIf({ ...offer, version: accepted.version });
        throw err;
      }
      const entry = await waitlist.get(offer.entryId);
      if (entry?.status === "waiting")
        await waitlist.update(entryBooked(entry, booking.id)).catch(() => undefined);
      return { offer: offerView(accepted), booking };
    },

    /** The person does not want the slot: they keep their place; the slot goes to the next in line. */
    async decline(viewer: Viewer, id: string) {
      const offer = await loadOffer(id);
      const me = requireActor(viewer, await person(offer.personId), offer.site);
      const ended = await endOffer(offer, (o) => declineOffer(o, me.subject, clock.now()));
      return offerView(ended);
    },

    /** A booking was cancelled (its own BookingCancelled event): its slot goes to the first in line. */
    async bookingCancelled(fact: { bookingId: string; version: number }) {
      const booking = await bookings.get(fact.bookingId);
      if (!booking || booking.status !== "cancelled") return undefined;
      const type = serviceType(booking.serviceCode);
      if (!type) return undefined;
      // A group seat is offered while its session stands (other bookings keep it); a session left
      // empty is gone, its time offered again as a new start by availability.
      if (
        booking.groupSession !== undefined &&
        !(await ports.bookings.ofGroupSession(booking.groupSession)).some((b) => b.id !== booking.id)
      )
        return undefined;
      return offerSlot(freedSlot(booking), booking.id, [], booking.id);
    },

    /** The periodic job: lapses expired offers, forwards every ended offer whose slot did not go on. */
    async sweep() {
      const now = clock.now();
      let lapsed = 0;
      let forwarded = 0;
      for (const offer of await offers.expired(now, 200)) {
        if (!hasLapsed(offer, now)) continue;
        const ended = await offers.updateIf(lapseOffer(offer, now));
        if (ended) lapsed++;
      }
      // An acceptance the process died in: booked after all, or given up (its slot goes on).
      const grace = new Date(now.getTime() - ports.bookingSettings.claimGraceMs);
      for (const offer of await offers.acceptedUnbooked(grace, 200)) {
        const booking = await bookings.get(offer.id);
        if (booking) await offers.updateIf(offerBooked(offer, now));
        else {
          // The path first (it may count the booking the crash kept from being written); failing, the
          // offer stays as it is for the next run.
          if ((await bookings.takeOffPathIfNeverWritten(offer.id).catch(() => undefined)) === undefined)
            continue;
          if (await offers.updateIf(abandonAcceptance(offer, now))) lapsed++;
        }
      }
      for (const ended of await offers.toForward(200)) {
        await forward(ended);
        forwarded++;
      }
      return { lapsed, forwarded };
    },
  };
}

/** The booking changes and the waitlist, which books through the booking use case. */
export function bookingChangesAndWaitlist(ports: Ports) {
  const booking = bookingUseCases(ports);
  return {
    bookingChanges: bookingChangeUseCases(ports),
    waitlist: waitlistUseCases(ports, {
      get: (id) => ports.bookings.get(id),
      takeOffPathIfNeverWritten: (id) => booking.takeOffPathIfNeverWritten(id),
      bookOffer: (viewer, offer) =>
        booking.book(
          viewer,
          {
            person: offer.personId,
            serviceType: offer.serviceCode,
            site: offer.site,
            start: offer.slot.start,
            operatorId: offer.slot.operatorId,
            mode: offer.slot.mode ?? "in_person",
            ...(offer.slot.roomId !== undefined ? { roomId: offer.slot.roomId } : {}),
            equipmentIds: offer.slot.equipmentIds ?? [],
          },
          // The booking takes the offer's id and claim token: the slot held for the offer is its own.
          { id: offer.id, claim: offer.id },
        ),
    }),
  };
}
