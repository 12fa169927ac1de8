// Enrolments, the seat ledger, placements and the free-seat hint on the service's aggregate store.
// The seat ledger is the store's claim ledger: a seat is a claim whose key is `<session>#<number>`,
// grouped by session, so of any number of concurrent claimants of a seat exactly one gets it (a unique
// insert), on every backend and across instances.
import { sharedFreshRead, type AggregateCollection, type Claim, type ClaimLedger } from "@lto/store";
import type { EnrolmentRepository, FreeSeatsHint, Placements, SeatClaim, SeatLedger } from "../app/index.js";
import { enrolmentPendingEvents } from "../contract/index.js";
import { MAX_CAPACITY, seatId, type Enrolment, type Session, type WaitingPlace } from "../domain/index.js";
import type { CatalogueCollections, PlacementRecord, SeatFields } from "./store.js";

function toSeat(claim: Claim<SeatFields>): SeatClaim {
  return {
    sessionId: claim.group!,
    number: claim.number,
    enrolmentId: claim.holderId,
    claim: claim.claim,
    claimedAt: claim.claimedAt,
    settled: claim.settled,
  };
}

export function seatLedger(seats: ClaimLedger<SeatFields>): SeatLedger {
  return {
    taken: async (sessionId) => (await seats.ofGroup(sessionId, MAX_CAPACITY + 10)).map((s) => s.number),
    claim: async (seat) =>
      (
        await seats.claimAll(
          [seatId(seat.sessionId, seat.number)],
          { holderId: seat.enrolmentId, claim: seat.claim, at: seat.claimedAt },
          () => ({ group: seat.sessionId, number: seat.number }),
        )
      ).ok,
    get: async (sessionId, number) => {
      const found = await seats.get(seatId(sessionId, number));
      return found && toSeat(found);
    },
    settle: async (sessionId, number, claim) => {
      await seats.settle([seatId(sessionId, number)], claim);
    },
    release: async (sessionId, number, holder) =>
      (await seats.release(
        [seatId(sessionId, number)],
        "claim" in holder ? { claim: holder.claim } : { holderId: holder.enrolmentId },
      )) > 0,
    count: (sessionId) => seats.countGroup(sessionId),
    unsettled: async (before, limit) => (await seats.unsettled(before, limit)).map(toSeat),
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
