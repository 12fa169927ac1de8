// What becomes of a booking: moved to another slot, cancelled (late inside the service's notice),
// marked a no-show. The claim ledger is kept right through crashes:
// - a reschedule claims the new slot's keys BEFORE it writes the booking there and only then gives
//   back the old ones (never neither, never both: a crash before the write leaves unsettled new keys
//   the sweeper gives back as the booking does not hold them; a crash after it leaves the old keys
//   recorded to give back, which the sweep here does);
// - a cancellation gives its keys back AFTER the booking is written cancelled (recorded first, so a
//   crash in between is finished by the sweep).
// The path records each change on its current version (cancelOnPath, noShowOnPath, rescheduleOnPath).
import type { Identity } from "@lto/auth";
import {
  ConflictError,
  ForbiddenError,
  InvalidStateError,
  Issues,
  NotFoundError,
  PreconditionFailedError,
} from "@lto/errors";
import { romeDate } from "@lto/civil-time";
import {
  bookingClaimKeys,
  bookingEnd,
  cancelBooking,
  cancelOnPath,
  groupSessionHolder,
  markNoShow,
  noShowOnPath,
  rescheduleBooking,
  rescheduleOnPath,
  sessionClaimKeys,
  SERVICE_TYPES,
  serviceType,
  siteById,
  toldOfChanges,
  type Booking,
  type CancellerKind,
  type Path,
  type PathBooking,
  type ServiceType,
} from "../domain/index.js";
import { isLearnerOf, requireSitesStaff, signedIn, type Viewer } from "./access.js";
import { availabilityUseCases } from "./availability.js";
import { bookingView } from "./bookings.js";
import type { BookingEvent, Ports } from "./ports.js";

const ATTEMPTS = 8;

export interface RescheduleBody {
  start: Date;
  /** Another operator of the site holding the service's profile; the same when left out. */
  operatorId?: string;
  /** Another room of the site; the same when left out. */
  roomId?: string;
  reason?: string;
}

export function bookingChangeUseCases(ports: Ports) {
  const { bookings, slots, persons, paths, siteOperators, clock, ids, claimReleases, bookingSettings } =
    ports;
  // The slot of a move is checked against the plans, closed days, notice and horizon only: the
  // booking's own claims (operator, room) would make an overlapping move look taken; the claims below
  // decide clashes.
  const plans = availabilityUseCases({
    ...ports,
    busy: { busyIntervals: async () => ({}), bookingsPerDay: ports.busy.bookingsPerDay },
    slots: { ...slots, busy: async () => ({}) },
  });

  async function load(id: string): Promise<Booking> {
    const b = await bookings.get(id);
    if (!b) throw new NotFoundError("booking", id);
    return b;
  }

  function typeOf(b: Booking): ServiceType {
    const type = serviceType(b.serviceCode);
    if (!type) throw new NotFoundError("service type", b.serviceCode);
    return type;
  }

  /** Staff of the booking's site or an admin, or the young person themself (their learner account). */
  async function requireActor(
    viewer: Viewer,
    b: Booking,
  ): Promise<{ me: Identity; kind: "person" | "staff" }> {
    const me = signedIn(viewer);
    if (me.role === "learner") {
      const person = await persons.get(b.personId);
      if (isLearnerOf(me, person)) return { me, kind: "person" };
      throw new ForbiddenError("A young person changes their own bookings only");
    }
    return { me: requireSitesStaff(viewer, [b.site]), kind: "staff" };
  }

  /**
   * Records the change on the booking's path, on its current version (retried when another write came
   * first). A path that no longer lists the booking is left alone: the booking is the record.
   */
  async function onPath(
    b: Booking,
    change: (path: Path, booking: PathBooking) => { path: Path },
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const path = await paths.get(b.pathId);
      const booked = path?.bookings.find((x) => x.bookingId === b.id);
      if (!path || !booked || booked.status !== "booked") return;
      const next = change(path, booked);
      try {
        await paths.update({ ...next.path, version: path.version }, []);
        return;
      } catch (e) {
        if (!(e instanceof PreconditionFailedError) || attempt >= ATTEMPTS) throw e;
      }
    }
  }

  /**
   * Writes the booking's change with its event (a stale version: 412, the caller reloads). A move or a
   * cancellation names who is told of it (the person's account, a minor's referent): the booking names
   * only the pseudonymous person.
   */
  async function write(next: Booking, stored: Booking, event: BookingEvent): Promise<Booking> {
    const told =
      event.type === "BookingRescheduled" || event.type === "BookingCancelled"
        ? { told: toldOfChanges(await persons.get(stored.personId)) }
        : {};
    return bookings.update({ ...next, version: stored.version }, [{ ...event, ...told }]);
  }

  /**
   * Gives back `keys` of the booking, recorded first so a crash is finished by the sweep; the record
   * goes once they are back. `write` runs between recording and giving back.
   */
  async function releaseAfter<T>(holderId: string, keys: string[], write: () => Promise<T>): Promise<T> {
    if (!keys.length) return write();
    const id = ids.newId();
    await claimReleases.record({ id, holderId, keys, at: clock.now() });
    // Should the write fail, the record stays: the sweep gives back only what the booking no longer holds.
    const result = await write();
    await giveBack(holderId, keys);
    await claimReleases.done(id);
    return result;
  }

  /** The keys a booking no longer holds go back; a group session with no booking left goes too. */
  async function giveBack(holderId: string, keys: readonly string[]): Promise<void> {
    const b = await bookings.get(holderId);
    const held = b && b.status === "confirmed" ? new Set(bookingClaimKeys(b, typeOf(b))) : new Set<string>();
    const free = keys.filter((k) => !held.has(k));
    if (free.length) await slots.release(free, { holderId });
    if (b?.groupSession !== undefined && b.status === "cancelled") {
      const session = b.groupSession;
      if ((await bookings.ofGroupSession(session)).length === 0) {
        const place = {
          operatorId: b.operatorId,
          ...(b.roomId ? { roomId: b.roomId } : {}),
          start: b.start,
          end: b.end,
        };
        await slots.release(sessionClaimKeys(place, typeOf(b)), { holderId: groupSessionHolder(session) });
      }
    }
  }

  return {
    /**
     * Moves a confirmed booking to another slot: the new slot's keys are claimed (409 when taken: the
     * booking stays where it was), the booking written there (BookingRescheduled, sequence + 1), the
     * path updated (order and caps checked as for a new booking), then the old keys given back.
     */
    async reschedule(viewer: Viewer, id: string, body: RescheduleBody, ifMatch?: number) {
      const stored = await load(id);
      const { me } = await requireActor(viewer, stored);
      if (ifMatch !== undefined && ifMatch !== stored.version)
        throw new PreconditionFailedError(
          `The booking changed since you read it (version ${stored.version}, you sent ${ifMatch}); reload and retry`,
        );
      const type = typeOf(stored);
      const site = siteById(stored.site)!;
      if (type.format.kind === "group")
        throw new InvalidStateError("booking", stored.status, "reschedule", {
          reason: "group_session",
          because: "it holds a seat of a group session: cancel it and book a seat of another session",
        });
      const issues = new Issues();
      const operatorId = body.operatorId ?? stored.operatorId;
      const operator = (await siteOperators.atSite(site.id)).find((o) => o.id === operatorId);
      if (!operator) issues.add("operatorId", `is not an operator at ${site.id}`);
      else if (!operator.profiles.includes(type.operatorProfile))
        issues.add("operatorId", `does not hold the ${type.operatorProfile} profile ${type.code} needs`);
      issues.throwIfAny("The booking cannot be moved there");
      const now = clock.now();
      const moved = rescheduleBooking(
        stored,
        { start: body.start, operatorId, ...(body.roomId !== undefined ? { roomId: body.roomId } : {}) },
        type,
        site,
        me.subject,
        now,
        body.reason,
      );
      // The path's order and caps for the new time, checked before anything is claimed.
      const path = await paths.get(stored.pathId);
      if (path && path.bookings.some((b) => b.bookingId === id && b.status === "booked"))
        rescheduleOnPath(
          path,
          id,
          { start: moved.start, end: moved.end, operatorId },
          type,
          me.subject,
          now,
          {
            catalogue: SERVICE_TYPES,
          },
        );
      // A slot the operator's plan offers (notice, horizon, closed days, daily cap).
      const day = romeDate(moved.start);
      const offered = await plans.slots(viewer, {
        service: type.code,
        site: site.id,
        from: day,
        to: day,
        operator: operatorId,
      });
      const inPlan = offered.days
        .flatMap((d) => d.slots)
        .some((s) => s.start === moved.start.toISOString() && s.operators.some((o) => o.id === operatorId));
      if (!inPlan) slotRefused(type, moved, "slot_unavailable");

      const oldKeys = bookingClaimKeys(stored, type);
      const newKeys = bookingClaimKeys(moved, type);
      const toClaim = newKeys.filter((k) => !oldKeys.includes(k));
      const toRelease = oldKeys.filter((k) => !newKeys.includes(k));
      const claim = ids.newId();
      if (toClaim.length) {
        const outcome = await slots.claimAll(toClaim, { holderId: id, claim, at: now });
        if (!outcome.ok) slotRefused(type, moved, "slot_taken", outcome.taken);
      }
      let written: Booking;
      try {
        written = await releaseAfter(id, toRelease, () =>
          write(moved, stored, {
            type: "BookingRescheduled",
            booking: moved,
            previous: {
              start: stored.start,
              end: stored.end,
              operatorId: stored.operatorId,
              ...(stored.roomId !== undefined ? { roomId: stored.roomId } : {}),
            },
            by: me.subject,
            at: now,
          }),
        );
      } catch (e) {
        // Not written (another change came first): the new keys go back. Any other failure leaves them
        // unsettled for the claim sweeper, which keeps them only if the booking was written there.
        if (toClaim.length && e instanceof PreconditionFailedError) await slots.release(toClaim, { claim });
        throw e;
      }
      if (toClaim.length) await slots.settle(toClaim, claim);
      await onPath(written, (p) =>
        rescheduleOnPath(
          p,
          id,
          { start: written.start, end: written.end, operatorId },
          type,
          me.subject,
          now,
          {
            catalogue: SERVICE_TYPES,
          },
        ),
      );
      return bookingView(written);
    },

    /**
     * Cancels a confirmed booking that has not started: `late` inside the service type's notice period
     * (recorded; the path shows it late_cancelled). The booking is written cancelled (BookingCancelled,
     * sequence + 1), then its keys go back; the waitlist hears the event and offers the slot.
     */
    async cancel(viewer: Viewer, id: string, input: { reason?: string }, ifMatch?: number) {
      for (let attempt = 1; ; attempt++) {
        const stored = await load(id);
        const { me, kind } = await requireActor(viewer, stored);
        if (ifMatch !== undefined && ifMatch !== stored.version)
          throw new PreconditionFailedError(
            `The booking changed since you read it (version ${stored.version}, you sent ${ifMatch}); reload and retry`,
          );
        try {
          return bookingView(await cancelAs(stored, me.subject, kind, input.reason));
        } catch (e) {
          if (!(e instanceof PreconditionFailedError) || ifMatch !== undefined || attempt >= ATTEMPTS)
            throw e;
        }
      }
    },

    /** The person did not come: staff of the site (or an admin), once the booking has started. */
    async noShow(viewer: Viewer, id: string, ifMatch?: number) {
      for (let attempt = 1; ; attempt++) {
        const stored = await load(id);
        const me = requireSitesStaff(viewer, [stored.site]);
        if (ifMatch !== undefined && ifMatch !== stored.version)
          throw new PreconditionFailedError(
            `The booking changed since you read it (version ${stored.version}, you sent ${ifMatch}); reload and retry`,
          );
        const now = clock.now();
        const marked = markNoShow(stored, me.subject, now);
        try {
          const written = await write(marked, stored, {
            type: "NoShowRecorded",
            booking: marked,
            by: me.subject,
            at: now,
          });
          await onPath(written, (p) => noShowOnPath(p, id, me.subject, now));
          return bookingView(written);
        } catch (e) {
          if (!(e instanceof PreconditionFailedError) || ifMatch !== undefined || attempt >= ATTEMPTS)
            throw e;
        }
      }
    },

    /**
     * The path catches up with its booking (the service's own BookingCancelled / NoShowRecorded): a
     * crash between the booking's write and the path's leaves the path saying booked; the event,
     * delivered after the booking was written, records it. Idempotent: a path that says it already
     * is left alone.
     */
    async pathCatchUp(bookingId: string) {
      const b = await bookings.get(bookingId);
      if (!b) return;
      if (b.status === "cancelled" && b.cancellation) {
        const { late, by, at, reason } = b.cancellation;
        await onPath(b, (p) => cancelOnPath(p, b.id, late, by, at, reason));
      } else if (b.status === "no_show" && b.noShow) {
        const { by, at } = b.noShow;
        await onPath(b, (p) => noShowOnPath(p, b.id, by, at));
      }
    },

    /**
     * The sweep (periodic): keys recorded to give back whose request did not finish (a crash after the
     * booking was written) go back, but never those the booking holds now.
     */
    async sweep() {
      const before = new Date(clock.now().getTime() - bookingSettings.claimGraceMs);
      let released = 0;
      for (const r of await claimReleases.olderThan(before, 200)) {
        await giveBack(r.holderId, r.keys);
        await claimReleases.done(r.id);
        released++;
      }
      return { released };
    },
  };

  /** Cancels as `by` (a person, staff, or the system): written, then the path, then the keys back. */
  async function cancelAs(
    stored: Booking,
    by: string,
    kind: CancellerKind,
    reason?: string,
  ): Promise<Booking> {
    const type = typeOf(stored);
    const now = clock.now();
    const cancelled = cancelBooking(stored, type, by, kind, now, reason);
    const late = cancelled.cancellation!.late;
    const written = await releaseAfter(stored.id, bookingClaimKeys(stored, type), () =>
      write(cancelled, stored, { type: "BookingCancelled", booking: cancelled, by, at: now }),
    );
    await onPath(written, (p) => cancelOnPath(p, stored.id, late, by, now, reason));
    return written;
  }
}

function slotRefused(
  type: ServiceType,
  b: Pick<Booking, "site" | "operatorId" | "start" | "roomId">,
  reason: "slot_taken" | "slot_unavailable",
  taken?: string,
): never {
  const end = bookingEnd(b.start, type);
  throw new ConflictError(
    `The booking cannot move to ${b.start.toISOString()} with ${b.operatorId}: ${
      reason === "slot_taken"
        ? `${taken ?? "the slot"} is taken then`
        : "it is not a slot the plan offers (outside the operator's hours, closed, too soon or beyond the horizon)"
    }; it stays where it was. GET /v1/availability lists the free slots`,
    {
      details: {
        reason,
        slot: {
          service: type.code,
          site: b.site,
          operatorId: b.operatorId,
          start: b.start.toISOString(),
          end: end.toISOString(),
          ...(b.roomId !== undefined ? { roomId: b.roomId } : {}),
        },
      },
    },
  );
}
