// Enrolments, the seat ledger, placements and the free-seat hint on the service's aggregate store.
// A seat is a document whose id is `<session>#<number>`: claiming it is an insert, which the store
// makes atomic (a unique id: exactly one of any number of concurrent claimants wins, on every backend).
import { sharedFreshRead, type AggregateCollection } from "@lto/store";
import type { EnrolmentRepository, FreeSeatsHint, Placements, SeatClaim, SeatLedger } from "../app/index.js";
import { enrolmentPendingEvents } from "../contract/index.js";
import { MAX_CAPACITY, seatId, type Enrolment, type Session, type WaitingPlace } from "../domain/index.js";
import type { CatalogueCollections, PlacementRecord, SeatDocument } from "./store.js";

function toClaim({ id: _id, version: _v, ...seat }: SeatDocument): SeatClaim {
  return seat;
}

export function seatLedger(seats: AggregateCollection<SeatDocument>): SeatLedger {
  return {
    taken: async (sessionId) => (await seats.find({ sessionId }, MAX_CAPACITY + 10)).map((s) => s.number),
    claim: (seat) => seats.insert({ ...seat, id: seatId(seat.sessionId, seat.number), version: 1 }),
    get: async (sessionId, number) => {
      const found = await seats.get(seatId(sessionId, number));
      return found && toClaim(found);
    },
    settle: async (sessionId, number, claim) => {
      const seat = await seats.get(seatId(sessionId, number));
      if (!seat || seat.claim !== claim || seat.settled) return;
      await seats.updateIf({ ...seat, settled: true }, seat.version, { expect: { claim } });
    },
    release: async (sessionId, number, holder) =>
      (await seats.deleteMany({
        _id: seatId(sessionId, number),
        ...(holder.claim ? { claim: holder.claim } : {}),
        ...(holder.enrolmentId ? { enrolmentId: holder.enrolmentId } : {}),
      })) > 0,
    count: (sessionId) => seats.count({ sessionId }),
    unsettled: async (before, limit) =>
      (await seats.find({ settled: false, claimedAt: { $lte: before } }, limit)).map(toClaim),
  };
}

export function enrolmentRepository(enrolments: AggregateCollection<Enrolment>): EnrolmentRepository {
  const waitingFilter = (sessionId: string) => ({ sessionId, status: "waitlisted" });
  // One read of the line serves every request that asks meanwhile: a rush of a thousand joiners reads
  // it a few dozen times instead of a thousand (FerretDB counts by reading each document).
  const waitingLine = sharedFreshRead(
    (sessionId) =>
      enrolments.collection
        .find(waitingFilter(sessionId), {
          projection: { _id: 1, status: 1, waitingSince: 1, waitingTicket: 1 },
        })
        .toArray() as Promise<Array<Omit<WaitingPlace, "id"> & { _id: string }>>,
  );
  return {
    get: (id) => enrolments.get(id),
    insert: (e, events) => enrolments.insert(e, { events: enrolmentPendingEvents(events, e.version) }),
    update: (e, events) =>
      enrolments.updateIf(e, e.version, { events: enrolmentPendingEvents(events, e.version + 1) }),
    forSession: (sessionId, statuses) =>
      enrolments.find(
        { sessionId, ...(statuses ? { status: { $in: [...statuses] } } : {}) },
        MAX_CAPACITY * 20,
        { createdAt: 1, _id: 1 },
      ),
    pageForSession: (sessionId, page) =>
      enrolments.page({ sessionId }, page, { field: "createdAt", direction: 1 }),
    forPerson: (personId, page) => enrolments.page({ personId }, page, { field: "createdAt", direction: -1 }),
    waitingLine: async (sessionId) =>
      (await waitingLine(sessionId)).map(({ _id, ...place }) => ({ id: _id, ...place })),
    firstWaiting: (sessionId, limit) =>
      enrolments.find(waitingFilter(sessionId), limit, { waitingSince: 1, waitingTicket: 1 }),
    expiredOffers: (now, limit) =>
      enrolments.find({ status: "offered", offerExpiresAt: { $lte: now } }, limit, { offerExpiresAt: 1 }),
    sessionsWithWaiting: async (limit) =>
      ((await enrolments.collection.distinct("sessionId", { status: "waitlisted" })) as string[]).slice(
        0,
        limit,
      ),
  };
}

/** The latest placement of the person in that framework version and competence. */
export function placementsOf(placements: AggregateCollection<PlacementRecord>): Placements {
  return {
    levelOf: async (personId, framework, competence) =>
      (
        await placements.find(
          { personId, framework: framework.framework, frameworkVersion: framework.version, competence },
          1,
          { at: -1 },
        )
      )[0]?.level,
  };
}

/**
 * `freeSeats` on the session is a browse hint recounted from the ledger after each seat change (and by
 * the sweeper). It keeps the session's version, so staff holding its ETag are not disturbed.
 */
export function freeSeatsHint(sessions: AggregateCollection<Session>): FreeSeatsHint {
  return {
    set: async (sessionId, freeSeats) => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const session = await sessions.get(sessionId);
        if (!session || session.freeSeats === freeSeats) return;
        const stored = await sessions.updateIf({ ...session, freeSeats }, session.version, {
          nextVersion: session.version,
          expect: { freeSeats: session.freeSeats },
        });
        if (stored) return;
      }
    },
  };
}

export function enrolmentPorts(collections: CatalogueCollections) {
  return {
    enrolments: enrolmentRepository(collections.enrolments),
    seats: seatLedger(collections.seats),
    placements: placementsOf(collections.placements),
    freeSeatsHint: freeSeatsHint(collections.sessions),
  };
}
