// Booking a slot: staff of the site book on behalf of a person (or a team), a young person books for
// themself. The slot must be one the availability engine offers now; lab equipment needing a
// credential is checked with the catalogue, fresh; then the slot's keys are claimed in the store's
// slot_claims ledger (all or nothing: of any number of simultaneous requests, across instances, one
// gets them), the booking is recorded on the person's path (order and caps, against one version of
// it) and written with its BookingConfirmed event, and the claims are settled. Anything failing after
// the claim gives the claims back; a crash leaves unsettled claims the sweeper gives back once no
// booking holds them.
import type { Identity } from "@lto/auth";
import { addDays, romeDate } from "@lto/civil-time";
import {
  ConflictError,
  ForbiddenError,
  InvalidStateError,
  Issues,
  NotFoundError,
  PreconditionFailedError,
} from "@lto/errors";
import {
  bookingClaimKeys,
  bookingEnd,
  bookOnPath,
  BOOKING_STATES,
  cancelOnPath,
  groupSessionHolder,
  groupSessionId,
  newBooking,
  parseUnitKey,
  seatKey,
  serviceType,
  sessionClaimKeys,
  SERVICE_TYPES,
  siteById,
  type Booking,
  type BookingStatus,
  type DeliveryMode,
  type HoursWarning,
  type Path,
  type ServiceType,
  type Site,
} from "../domain/index.js";
import {
  isLearnerOf,
  requireRole,
  requireSiteReader,
  requireSitesStaff,
  signedIn,
  type Viewer,
} from "./access.js";
import { availabilityUseCases } from "./availability.js";
import type { Ports } from "./ports.js";

/** What the caller asks for. */
export interface BookBody {
  /** The person's id (or, for staff, an adopted team's id: its path's holder). */
  person: string;
  serviceType: string;
  site: string;
  start: Date;
  operatorId: string;
  mode: DeliveryMode;
  /** In person: the room (the lab for equipment); chosen by the service when left out. */
  roomId?: string;
  equipmentIds?: string[];
  /** Staff only: why the path's order is waived. */
  overrideReason?: string;
}

export interface BookingListQuery {
  site?: string;
  from?: Date;
  to?: Date;
  operator?: string;
  person?: string;
  status?: string;
}

/** The sweeper's actor in histories. */
const SYSTEM = "system:slot-claims";
const PATH_ATTEMPTS = 8;
/** Why the sweeper takes a booking off its path: the process stopped before writing it. */
const NEVER_COMPLETED = "booking never completed";
const NEXT_SLOTS = 5;

/** A booking as the API shows it (ids only for people; dates as ISO strings). */
export function bookingView(b: Booking) {
  return JSON.parse(JSON.stringify(b)) as Record<string, unknown> & { id: string; version: number };
}

export function bookingUseCases(ports: Ports) {
  const { bookings, slots, persons, paths, credentials, siteOperators, clock, ids, bookingSettings } = ports;
  const availability = availabilityUseCases(ports);

  /** Who may read a booking: staff of its site, programme, admin; the person themself. */
  async function requireReader(viewer: Viewer, b: Booking): Promise<Identity> {
    const me = signedIn(viewer);
    if (me.role === "learner") {
      if (isLearnerOf(me, await persons.get(b.personId))) return me;
      throw new ForbiddenError("A young person reads their own bookings only");
    }
    return requireSiteReader(me, [b.site]);
  }

  /** The next free slots of the service at the site in the week from the day of `after`, for a refusal. */
  async function nextSlots(viewer: Viewer, type: ServiceType, site: string, after: Date) {
    try {
      const day = romeDate(after);
      const view = await availability.slots(viewer, {
        service: type.code,
        site,
        from: day,
        to: addDays(day, 6),
      });
      return view.days
        .flatMap((d) => d.slots)
        .filter((s) => s.start !== after.toISOString())
        .slice(0, NEXT_SLOTS);
    } catch {
      return [];
    }
  }

  async function slotTaken(
    viewer: Viewer,
    type: ServiceType,
    b: { site: string; operatorId: string; start: Date; roomId?: string },
    reason: "slot_taken" | "slot_unavailable" | "session_full",
    resource?: string,
  ): Promise<never> {
    const slot = {
      service: type.code,
      site: b.site,
      operatorId: b.operatorId,
      start: b.start.toISOString(),
      end: bookingEnd(b.start, type).toISOString(),
      ...(b.roomId !== undefined ? { roomId: b.roomId } : {}),
    };
    const what = parseUnitKey(resource ?? "");
    const because =
      reason === "session_full"
        ? "every seat of that group session is taken"
        : reason === "slot_unavailable"
          ? "it is not a free slot now (taken, outside the operator's plan, closed, too soon or beyond the horizon)"
          : what
            ? `the ${what.kind} ${what.resource} is taken then`
            : "it was taken meanwhile";
    throw new ConflictError(
      `The slot of ${type.code} at ${b.start.toISOString()} with ${b.operatorId} cannot be booked: ${because}; choose one of nextSlots (GET /v1/availability lists them all)`,
      {
        details: {
          reason,
          slot,
          ...(what ? { taken: { kind: what.kind, id: what.resource } } : {}),
          nextSlots: await nextSlots(viewer, type, b.site, b.start),
        },
      },
    );
  }

  /** Rooms to try for an in-person booking: the one named, the equipment's lab, or those large enough. */
  function roomCandidates(body: BookBody, type: ServiceType, site: Site): (string | undefined)[] {
    if (body.mode !== "in_person") return [undefined];
    if (body.roomId !== undefined) return [body.roomId];
    const lab = site.equipment.find((e) => e.id === body.equipmentIds?.[0])?.labId;
    if (lab) return [lab];
    const seats = type.format.kind === "group" ? type.format.seats : 1;
    const fitting = site.rooms
      .filter((r) => r.seats >= seats)
      .sort((a, b) => (a.kind === b.kind ? a.seats - b.seats : a.kind === "room" ? -1 : 1));
    return fitting.length ? fitting.map((r) => r.id) : [undefined];
  }

  /** Records the booking on the path, on its current version (retried when another write came first). */
  async function recordOnPath(
    holder: string,
    booking: Booking,
    type: ServiceType,
    me: Identity,
    now: Date,
  ): Promise<{ path: Path; warnings: HoursWarning[]; waived: string[] }> {
    for (let attempt = 1; ; attempt++) {
      const path = await paths.byHolder(holder);
      if (!path || path.id !== booking.pathId)
        throw new InvalidStateError("path", "closed", "book on", { because: "the path is gone" });
      const result = bookOnPath(
        path,
        {
          bookingId: booking.id,
          site: booking.site,
          operatorId: booking.operatorId,
          start: booking.start,
          end: booking.end,
        },
        type,
        me.subject,
        now,
        {
          ...(booking.overrideReason !== undefined ? { override: { reason: booking.overrideReason } } : {}),
          catalogue: SERVICE_TYPES,
        },
      );
      try {
        const stored = await paths.update({ ...result.path, version: path.version }, []);
        const override = result.path.overrides.at(-1);
        return {
          path: stored,
          warnings: result.warnings,
          waived: override?.bookingId === booking.id ? override.waived : [],
        };
      } catch (e) {
        if (!(e instanceof PreconditionFailedError) || attempt >= PATH_ATTEMPTS) throw e;
      }
    }
  }

  /**
   * Undoes the path's record of a booking that was not written: cancelled (on time) by the system with
   * `reason`, so its hours count nowhere (neither cap nor reports) and the history says why. True when
   * the path changed.
   */
  async function unrecordOnPath(
    find: () => Promise<Path | undefined>,
    bookingId: string,
    reason: string,
  ): Promise<boolean> {
    for (let attempt = 1; attempt <= PATH_ATTEMPTS; attempt++) {
      const path = await find();
      const onPath = path?.bookings.find((b) => b.bookingId === bookingId);
      if (!path || !onPath || onPath.status !== "booked") return false;
      const { path: next } = cancelOnPath(path, bookingId, false, SYSTEM, clock.now(), reason);
      try {
        await paths.update({ ...next, version: path.version }, []);
        return true;
      } catch (e) {
        if (!(e instanceof PreconditionFailedError)) throw e;
      }
    }
    throw new ConflictError(`The path recording booking ${bookingId} kept changing; it is retried later`);
  }

  /**
   * The group session's room, from its claims (undefined: no session yet, or a remote one); the seats
   * taken by others, and those `holder` holds already (a waitlist offer's seat, for its booking).
   */
  async function sessionOf(sessionId: string, holder?: string) {
    const claims = await slots.ofGroup(sessionId);
    const own = claims.filter((c) => c.holderId === groupSessionHolder(sessionId));
    if (!own.length) return undefined;
    const seats = claims.filter((c) => c.key.startsWith("seat:"));
    return {
      roomId: own.find((c) => c.roomId !== undefined)?.roomId,
      seatsTaken: seats.filter((c) => c.holderId !== holder).map((c) => c.key),
      seatsHeld: seats.filter((c) => c.holderId === holder).map((c) => c.key),
    };
  }

  return {
    /**
     * `offerHold`: the slot is held already under this id and claim token (a waitlist offer being accepted):
     * the booking takes that id, finds the keys its own, and skips the free-slot check (its own hold
     * makes the slot look taken); the notice still applies.
     */
    async book(viewer: Viewer, body: BookBody, offerHold?: { id: string; claim: string }) {
      // Who asks first: staff of the site or an admin, or a young person for themself.
      const me = requireRole(viewer, "staff", "admin", "learner");
      if (me.role !== "learner") requireSitesStaff(me, [body.site]);
      const person = await persons.get(body.person);
      if (me.role === "learner") {
        if (!isLearnerOf(me, person))
          throw new ForbiddenError(
            "A young person books for themself only: the person's record must name your learner account",
          );
      }
      const holder = body.person;
      const path = await paths.byHolder(holder);
      if (!person && !(path && path.holder.kind === "team")) throw new NotFoundError("person", holder);

      const issues = new Issues();
      const type = serviceType(body.serviceType);
      issues.check(type !== undefined, "serviceType", "is not a service type (see GET /v1/service-types)");
      const site = siteById(body.site);
      issues.check(site !== undefined, "site", "is not a site (see GET /v1/sites)");
      if (type && site) {
        const operators = await siteOperators.atSite(site.id);
        const operator = operators.find((o) => o.id === body.operatorId);
        if (!operator) issues.add("operatorId", `is not an operator at ${site.id}`);
        else if (!operator.profiles.includes(type.operatorProfile))
          issues.add("operatorId", `does not hold the ${type.operatorProfile} profile ${type.code} needs`);
      }
      issues.throwIfAny("The booking has invalid fields");
      if (!type || !site) return undefined as never;

      const now = clock.now();
      const rooms = roomCandidates(body, type, site);
      const draft = (roomId: string | undefined, seat?: number) =>
        newBooking(
          {
            id: bookingId,
            personId: holder,
            pathId: path?.id ?? "none",
            serviceCode: type.code,
            site: site.id,
            operatorId: body.operatorId,
            ...(roomId !== undefined ? { roomId } : {}),
            equipmentIds: body.equipmentIds ?? [],
            mode: body.mode,
            start: body.start,
            ...(seat !== undefined ? { seat } : {}),
            funder: path?.funder ?? "none",
            bookedBy: me.subject,
            bookedByKind: me.role === "learner" ? "person" : "staff",
            ...(body.overrideReason !== undefined ? { overrideReason: body.overrideReason } : {}),
          },
          type,
          site,
          now,
        );
      const bookingId = offerHold?.id ?? ids.newId();
      // Every field (400), before anything is asked or claimed.
      draft(rooms[0], type.format.kind === "group" ? 1 : undefined);

      // The path: open, and its order and caps met (checked again on its version when recorded).
      if (!path || path.status !== "open")
        throw new InvalidStateError("path", path ? path.status : "missing", `book ${type.code} for`, {
          reason: "no_open_path",
          because: path
            ? "the person's path is closed: reopen it first"
            : "the person has no path yet: open it at reception (POST /v1/persons/{personId}/path)",
        });
      const end = bookingEnd(body.start, type);
      bookOnPath(
        path,
        { bookingId, site: site.id, operatorId: body.operatorId, start: body.start, end },
        type,
        me.subject,
        now,
        {
          ...(body.overrideReason !== undefined ? { override: { reason: body.overrideReason } } : {}),
          catalogue: SERVICE_TYPES,
        },
      );

      // The slot: one the engine offers now, or a seat in a group session already held.
      const sessionId =
        type.format.kind === "group" ? groupSessionId(type.code, body.operatorId, body.start) : undefined;
      let session = sessionId ? await sessionOf(sessionId, bookingId) : undefined;
      const where = { site: site.id, operatorId: body.operatorId, start: body.start };
      if (session || offerHold) {
        if (body.start.getTime() - now.getTime() < type.minNoticeMinutes * 60_000)
          await slotTaken(viewer, type, where, "slot_unavailable");
      } else {
        const day = romeDate(body.start);
        const offered = await availability.slots(viewer, {
          service: type.code,
          site: site.id,
          from: day,
          to: day,
          operator: body.operatorId,
        });
        const free = offered.days
          .flatMap((d) => d.slots)
          .some(
            (s) => s.start === body.start.toISOString() && s.operators.some((o) => o.id === body.operatorId),
          );
        // A group session opened meanwhile (its claims make the operator busy) is joined instead.
        if (!free && sessionId) session = await sessionOf(sessionId, bookingId);
        if (!free && !session) await slotTaken(viewer, type, where, "slot_unavailable");
      }

      // The equipment gate: asked of the catalogue, fresh (503 with Retry-After when it does not answer).
      for (const [i, itemId] of (body.equipmentIds ?? []).entries()) {
        const requirement = site.equipment.find((e) => e.id === itemId)?.requiresCredential;
        if (!requirement) continue;
        const subject = person?.learnerSubject;
        const answer = subject ? await credentials.check(subject, requirement, me.token) : undefined;
        if (!answer?.satisfied)
          throw new InvalidStateError("person", "without credential", `book ${itemId} for`, {
            reason: "credential_missing",
            because: subject
              ? `the person holds no valid ${requirement.framework} ${requirement.version} credential for competence ${requirement.competence} at level ${requirement.minimumLevel} or higher`
              : "the person has no learner account on record, so no credential can be found: record their learnerSubject",
            details: { equipmentId: itemId, field: `equipmentIds.${i}`, requirement },
          });
      }

      // The claims: all the slot's keys or none.
      const claim = offerHold?.claim ?? ids.newId();
      let sessionClaim: { keys: string[]; claim: string } | undefined;
      let held: { keys: string[]; roomId: string | undefined; seat?: number } | undefined;
      const holderOf = { holderId: bookingId, claim, at: now };
      if (!sessionId) {
        for (const [i, roomId] of rooms.entries()) {
          const keys = bookingClaimKeys(
            {
              operatorId: body.operatorId,
              ...(roomId ? { roomId } : {}),
              equipmentIds: body.equipmentIds ?? [],
              start: body.start,
              end,
            },
            type,
          );
          const outcome = await slots.claimAll(keys, holderOf);
          if (outcome.ok) {
            held = { keys, roomId };
            break;
          }
          const lastRoom = i === rooms.length - 1;
          if (!outcome.taken.startsWith("room:") || lastRoom)
            await slotTaken(
              viewer,
              type,
              { ...where, ...(roomId ? { roomId } : {}) },
              "slot_taken",
              outcome.taken,
            );
        }
      } else {
        // A group session: its operator's and room's units held once by the session, then one seat each.
        if (!session) {
          for (const [i, roomId] of rooms.entries()) {
            const keys = sessionClaimKeys(
              { operatorId: body.operatorId, ...(roomId ? { roomId } : {}), start: body.start, end },
              type,
            );
            const token = ids.newId();
            const outcome = await slots.claimAll(
              keys,
              { holderId: groupSessionHolder(sessionId), claim: token, at: now },
              sessionId,
              roomId,
            );
            if (outcome.ok) {
              sessionClaim = { keys, claim: token };
              session = { roomId, seatsTaken: [], seatsHeld: [] };
              break;
            }
            // Someone opened the same session meanwhile: join it.
            session = await sessionOf(sessionId, bookingId);
            if (session) break;
            if (!outcome.taken.startsWith("room:") || i === rooms.length - 1)
              await slotTaken(
                viewer,
                type,
                { ...where, ...(roomId ? { roomId } : {}) },
                "slot_taken",
                outcome.taken,
              );
          }
        }
        if (body.roomId !== undefined && session!.roomId !== body.roomId)
          throw new InvalidStateError("group session", "open", `book ${body.roomId} for`, {
            reason: "session_room",
            because: `the session at that time meets in ${session!.roomId ?? "no room (remote)"}: leave roomId out or name that room`,
            details: { roomId: session!.roomId },
          });
        const seats = type.format.kind === "group" ? type.format.seats : 1;
        const equipmentKeys = bookingClaimKeys(
          {
            operatorId: body.operatorId,
            ...(session!.roomId ? { roomId: session!.roomId } : {}),
            equipmentIds: body.equipmentIds ?? [],
            start: body.start,
            end,
            groupSession: sessionId,
            seat: 1,
          },
          type,
        ).filter((k) => !k.startsWith("seat:"));
        // The seat held for this booking already (a waitlist offer's) first: it is the one offered.
        const held0 = session!.seatsHeld.map((k) => Number(k.slice(k.lastIndexOf("#") + 1)));
        const order = [
          ...held0,
          ...Array.from({ length: seats }, (_, i) => i + 1).filter((n) => !held0.includes(n)),
        ];
        for (const n of order) {
          if (held) break;
          if (session!.seatsTaken.includes(seatKey(sessionId, n))) continue;
          const keys = [seatKey(sessionId, n), ...equipmentKeys].sort();
          const outcome = await slots.claimAll(keys, holderOf, sessionId);
          if (outcome.ok) held = { keys, roomId: session!.roomId, seat: n };
          else if (!outcome.taken.startsWith("seat:")) {
            await giveBackSession(sessionId, sessionClaim);
            await slotTaken(viewer, type, where, "slot_taken", outcome.taken);
          }
        }
        if (!held) {
          await giveBackSession(sessionId, sessionClaim);
          await slotTaken(viewer, type, where, "session_full");
        }
      }
      const { keys, roomId, seat } = held!;

      // Recorded on the path, then written with its event; the claims given back on any failure.
      let booking: Booking;
      let onPath: Awaited<ReturnType<typeof recordOnPath>>;
      try {
        booking = draft(roomId, seat);
        onPath = await recordOnPath(holder, booking, type, me, now);
      } catch (e) {
        await slots.release(keys, { claim });
        if (sessionId) await giveBackSession(sessionId, sessionClaim);
        throw e;
      }
      try {
        if (
          !(await bookings.insert(booking, [{ type: "BookingConfirmed", booking, by: me.subject, at: now }]))
        )
          throw new ConflictError(`Booking ${booking.id} exists already; retry the request`);
      } catch (e) {
        await unrecordOnPath(() => paths.byHolder(holder), booking.id, "the booking was not stored").catch(
          () => undefined,
        );
        await slots.release(keys, { claim });
        if (sessionId) await giveBackSession(sessionId, sessionClaim);
        throw e;
      }
      await slots.settle(keys, claim);
      if (sessionClaim) await slots.settle(sessionClaim.keys, sessionClaim.claim);
      return { ...bookingView(booking), warnings: onPath.warnings, waived: onPath.waived };
    },

    takeOffPathIfNeverWritten,

    async get(viewer: Viewer, id: string) {
      signedIn(viewer);
      const b = await bookings.get(id);
      if (!b) throw new NotFoundError("booking", id);
      await requireReader(viewer, b);
      return bookingView(b);
    },

    /**
     * A page of bookings by start. Staff name one of their sites; programme and admins read any; a
     * young person reads their own (`person` = their id).
     */
    async list(viewer: Viewer, q: BookingListQuery, page: { cursor?: string; limit: number }) {
      const me = signedIn(viewer);
      if (me.role === "learner") {
        if (!q.person || !isLearnerOf(me, await persons.get(q.person)))
          throw new ForbiddenError(
            "A young person lists their own bookings only: give person=<your person id>",
          );
      } else if (me.role === "staff") {
        if (!q.site)
          throw new ForbiddenError(
            `Staff list the bookings of their sites: give site= (${me.sites.join(", ")})`,
          );
        requireSiteReader(me, [q.site]);
      } else requireRole(me, "programme", "admin");
      const issues = new Issues();
      if (q.site !== undefined) issues.check(siteById(q.site) !== undefined, "site", "is not a site");
      if (q.status !== undefined)
        issues.check(
          (BOOKING_STATES as readonly string[]).includes(q.status),
          "status",
          `must be one of ${BOOKING_STATES.join(", ")}`,
        );
      if (q.from && q.to) issues.check(q.from < q.to, "to", "must be after from");
      issues.throwIfAny("The booking query has invalid fields");
      const found = await bookings.page(
        {
          ...(q.site !== undefined ? { site: q.site } : {}),
          ...(q.from ? { from: q.from } : {}),
          ...(q.to ? { to: q.to } : {}),
          ...(q.operator !== undefined ? { operatorId: q.operator } : {}),
          ...(q.person !== undefined ? { personId: q.person } : {}),
          ...(q.status !== undefined ? { status: q.status as BookingStatus } : {}),
        },
        page,
      );
      return { items: found.items, nextCursor: found.nextCursor };
    },

    /**
     * The sweeper (periodic): unsettled claims older than the grace period are settled when their
     * holder holds them (a booking written, a group session with a confirmed booking) and given back
     * otherwise (a crash between claim and booking), by their claim token, so a newer claim of the
     * same key is never touched. A booking recorded on its path but never written (the crash came
     * between) is taken off the path first: the claims are the only trace of it, so they go after.
     */
    async sweep() {
      const before = new Date(clock.now().getTime() - bookingSettings.claimGraceMs);
      let settled = 0;
      let released = 0;
      const holders = new Map<string, (key: string) => boolean>();
      let unrecorded = 0;
      /** Holders whose path could not be put right this time: their claims wait for the next sweep. */
      const later = new Set<string>();
      for (const c of await slots.unsettled(before, 500)) {
        let holds = holders.get(c.holderId);
        if (!holds && !later.has(c.holderId)) {
          // The path first: once the claims are gone nothing leads back to it.
          const taken = await takeOffPathIfNeverWritten(c.holderId).catch(() => undefined);
          if (taken === undefined) later.add(c.holderId);
          else if (taken) unrecorded++;
          holds = await holdsKeys(c.holderId);
          holders.set(c.holderId, holds);
        }
        if (later.has(c.holderId) || !holds) continue;
        if (holds(c.key)) settled += await slots.settle([c.key], c.claim);
        else released += await slots.release([c.key], { claim: c.claim });
      }
      return { settled, released, unrecorded };
    },
  };

  /**
   * Which keys a claim's holder holds: a confirmed booking those of its current slot (a reschedule
   * interrupted before its write leaves keys of a slot the booking is not at), a group session one
   * holds a seat in all of its own.
   */
  async function holdsKeys(holder: string): Promise<(key: string) => boolean> {
    const session = holder.startsWith("group-session:") ? holder.slice("group-session:".length) : undefined;
    if (session) {
      const live = (await bookings.ofGroupSession(session)).length > 0;
      return () => live;
    }
    const b = await bookings.get(holder);
    const type = b ? serviceType(b.serviceCode) : undefined;
    const keys =
      b && type && b.status === "confirmed" ? new Set(bookingClaimKeys(b, type)) : new Set<string>();
    return (key) => keys.has(key);
  }

  /**
   * A booking given up after a crash (its claims swept, or a waitlist acceptance abandoned): when it
   * was never written, its record on the path is taken off (true when the path changed). A group
   * session's own claims stand for no booking.
   */
  async function takeOffPathIfNeverWritten(holder: string): Promise<boolean> {
    if (holder.startsWith("group-session:") || (await bookings.get(holder))) return false;
    return unrecordOnPath(() => paths.withBooking(holder), holder, NEVER_COMPLETED);
  }

  /** A session this attempt opened goes back when no seat of it is taken (else the sweeper settles it). */
  async function giveBackSession(sessionId: string, opened: { keys: string[]; claim: string } | undefined) {
    if (!opened) return;
    const claims = await slots.ofGroup(sessionId);
    if (!claims.some((c) => c.key.startsWith("seat:")))
      await slots.release(opened.keys, { claim: opened.claim });
  }
}
