// Bookings on their aggregate collection (state, next version and events in one write), the slot_claims
// ledger on the store's claim ledger, and the busy calendar availability reads from that ledger: any
// claim on a unit (settled or not, whoever holds it) makes the unit busy.
import { addDays, firstInstantAtOrAfter, romeDate, type LocalDate } from "@lto/civil-time";
import { sharedFreshRead, type AggregateCollection, type Claim, type ClaimLedger } from "@lto/store";
import type {
  BookingRepository,
  BusyCalendar,
  GroupSessionSeats,
  SiteOperators,
  SlotClaim,
  SlotLedger,
} from "../app/index.js";
import { bookingPendingEvents } from "../contract/index.js";
import {
  busyFromUnits,
  DEFAULT_UNIT_MINUTES,
  unitKeyPrefix,
  type Booking,
  type ClaimKind,
} from "../domain/index.js";
import type { SlotClaimFields } from "./store.js";

const UNIT = DEFAULT_UNIT_MINUTES * 60_000;
/** A group session has at most a few dozen bookings; a resource's units over a read range a few thousand. */
const MAX_GROUP = 1_000;
const MAX_UNITS_PER_READ = 20_000;
/** The daily cap reads at most this many bookings per call (a site's operators over 62 days). */
const MAX_CAP_BOOKINGS = 20_000;

const toSlotClaim = (c: Claim<SlotClaimFields>): SlotClaim => ({
  key: c.key,
  holderId: c.holderId,
  claim: c.claim,
  claimedAt: c.claimedAt,
  settled: c.settled,
  ...(c.group !== undefined ? { group: c.group } : {}),
  ...(c.roomId !== undefined ? { roomId: c.roomId } : {}),
});

export function slotLedger(ledger: ClaimLedger<SlotClaimFields>): SlotLedger {
  // A rush for one slot asks the same units of the same resources a thousand times at once: the
  // requests that ask while a read is queued share it (each still gets a read begun after it asked).
  const busy = sharedFreshRead(async (key) => {
    const { kind, ids, start, end } = JSON.parse(key) as {
      kind: ClaimKind;
      ids: string[];
      start: string;
      end: string;
    };
    return busyOf(ledger, kind, ids, { start: new Date(start), end: new Date(end) });
  });
  return {
    claimAll: (keys, holder, group, roomId) =>
      ledger.claimAll(keys, holder, () => ({
        ...(group !== undefined ? { group } : {}),
        ...(roomId !== undefined ? { roomId } : {}),
      })),
    settle: (keys, claim) => ledger.settle(keys, claim),
    release: (keys, by) => ledger.release(keys, by),
    holdersOf: async (keys) => (await ledger.holdersOf(keys)).map(toSlotClaim),
    ofGroup: async (group) => (await ledger.ofGroup(group, MAX_GROUP)).map(toSlotClaim),
    unsettled: async (before, limit) => (await ledger.unsettled(before, limit)).map(toSlotClaim),
    busy: (kind, ids, range) =>
      busy(JSON.stringify({ kind, ids, start: range.start.toISOString(), end: range.end.toISOString() })),
  };
}

/** The busy intervals of each resource of `kind` meeting `range`: one key-range read per resource. */
async function busyOf(
  ledger: ClaimLedger<SlotClaimFields>,
  kind: ClaimKind,
  ids: readonly string[],
  range: { start: Date; end: Date },
) {
  const first = new Date(Math.floor(range.start.getTime() / UNIT) * UNIT).toISOString();
  const last = range.end.toISOString();
  const out: Record<string, ReturnType<typeof busyFromUnits>[string]> = {};
  await Promise.all(
    [...new Set(ids)].map(async (id) => {
      const prefix = unitKeyPrefix(kind, id);
      const claims = await ledger.inRange(prefix + first, prefix + last, MAX_UNITS_PER_READ);
      const busy = busyFromUnits(claims.map((c) => c.key))[id];
      if (busy?.length) out[id] = busy;
    }),
  );
  return out;
}

function filterOf(q: Parameters<BookingRepository["page"]>[0]): Record<string, unknown> {
  const start: Record<string, Date> = {};
  if (q.from) start.$gte = q.from;
  if (q.to) start.$lt = q.to;
  return {
    ...(q.site !== undefined ? { site: q.site } : {}),
    ...(q.operatorId !== undefined ? { operatorId: q.operatorId } : {}),
    ...(q.personId !== undefined ? { personId: q.personId } : {}),
    ...(q.status !== undefined ? { status: q.status } : {}),
    ...(Object.keys(start).length ? { start } : {}),
  };
}

export function bookingRepository(bookings: AggregateCollection<Booking>): BookingRepository {
  return {
    get: (id) => bookings.get(id),
    insert: (b, events) => bookings.insert(b, { events: bookingPendingEvents(events, b.version) }),
    update: (b, events) =>
      bookings.update(b, b.version, { events: bookingPendingEvents(events, b.version + 1) }),
    page: (query, page) => bookings.page(filterOf(query), page, { field: "start", direction: 1 }),
    ofGroupSession: (groupSession) =>
      bookings.find({ groupSession, status: "confirmed" }, MAX_GROUP, { _id: 1 }),
    async groupSessions(serviceCode, operatorIds, range) {
      if (!operatorIds.length) return [];
      const found = await bookings.find(
        {
          serviceCode,
          operatorId: { $in: [...operatorIds] },
          status: "confirmed",
          groupSession: { $exists: true },
          start: { $gte: range.start, $lt: range.end },
        },
        MAX_CAP_BOOKINGS,
        { start: 1, _id: 1 },
      );
      const sessions = new Map<string, GroupSessionSeats>();
      for (const b of found) {
        const known = sessions.get(b.groupSession!);
        if (known) known.seatsTaken++;
        else
          sessions.set(b.groupSession!, {
            groupSession: b.groupSession!,
            operatorId: b.operatorId,
            start: b.start,
            end: b.end,
            ...(b.roomId !== undefined ? { roomId: b.roomId } : {}),
            seatsTaken: 1,
          });
      }
      return [...sessions.values()];
    },
  };
}

/**
 * What availability reads of the calendars: the operators' claimed units (bookings with their
 * buffers, group sessions, anything held) and, for the daily cap, the bookings (not cancelled) each
 * operator has per Rome day, a group session counting once.
 */
export function ledgerBusyCalendar(slots: SlotLedger, bookings: AggregateCollection<Booking>): BusyCalendar {
  const perDay = sharedFreshRead(async (key) => {
    const { operatorIds, days } = JSON.parse(key) as {
      operatorIds: string[];
      days: { from: LocalDate; to: LocalDate };
    };
    return countPerDay(bookings, operatorIds, days);
  });
  return {
    busyIntervals: (operatorIds, range) => slots.busy("operator", operatorIds, range),
    bookingsPerDay: async (operatorIds, days) =>
      operatorIds.length ? perDay(JSON.stringify({ operatorIds, days })) : {},
  };
}

/** Per operator and Rome day: the bookings that are not cancelled (a group session once). */
async function countPerDay(
  bookings: AggregateCollection<Booking>,
  operatorIds: readonly string[],
  days: { from: LocalDate; to: LocalDate },
): Promise<Record<string, Record<LocalDate, number>>> {
  const found = await bookings.find(
    {
      operatorId: { $in: [...operatorIds] },
      status: { $ne: "cancelled" },
      start: {
        $gte: firstInstantAtOrAfter({ date: days.from, time: "00:00" }),
        $lt: firstInstantAtOrAfter({ date: addDays(days.to, 1), time: "00:00" }),
      },
    },
    MAX_CAP_BOOKINGS,
  );
  const seen = new Set<string>();
  const out: Record<string, Record<LocalDate, number>> = {};
  for (const b of found) {
    const what = b.groupSession ?? b.id;
    if (seen.has(what)) continue;
    seen.add(what);
    const day = romeDate(b.start);
    const perDay = (out[b.operatorId] ??= {});
    perDay[day] = (perDay[day] ?? 0) + 1;
  }
  return out;
}

/** The operators of a site, the read shared by the requests that ask while one is queued (a rush). */
export function sharedSiteOperators(operators: SiteOperators): SiteOperators {
  return { atSite: sharedFreshRead((site) => operators.atSite(site)) };
}
