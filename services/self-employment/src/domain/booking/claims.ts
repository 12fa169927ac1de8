// The keys a booking holds in the slot_claims ledger (one ledger for every timed resource): 5-minute
// units of the operator's time with the service's buffers, of the room and of each equipment item over
// the service itself, and for group services one seat of the session. A unit with any claim is busy.
//
// A group session (the bookings of one service, operator and start) holds the operator's and the room's
// units once, under its own holder id; each of its bookings holds one seat (`seat:<session>#n`,
// n = 1..seats), so the seats can never be more than the capacity, and its own equipment.
import { claimUnits, DEFAULT_UNIT_MINUTES } from "../availability/claims.js";
import type { BusyInterval } from "../availability/schedule.js";
import type { ServiceType } from "../service-types.js";
import type { Booking } from "./booking.js";

const MINUTE = 60_000;

export type ClaimKind = "operator" | "room" | "equipment";

export const operatorKey = (operatorId: string, unit: string) => `operator:${operatorId}@${unit}`;
export const roomKey = (roomId: string, unit: string) => `room:${roomId}@${unit}`;
export const equipmentKey = (itemId: string, unit: string) => `equipment:${itemId}@${unit}`;
export const seatKey = (groupSession: string, n: number) => `seat:${groupSession}#${n}`;

/** The holder id under which a group session holds its operator's and room's units. */
export const groupSessionHolder = (groupSession: string) => `group-session:${groupSession}`;

type Timing = Pick<ServiceType, "bufferBeforeMinutes" | "bufferAfterMinutes">;

/** Where and when a service takes place: what its claims are made of. */
export interface ClaimedPlace {
  operatorId: string;
  roomId?: string;
  equipmentIds?: readonly string[];
  start: Date;
  end: Date;
}

/** The operator's units with the buffers around the service. */
export function operatorClaimKeys(place: ClaimedPlace, type: Timing): string[] {
  const interval = {
    start: new Date(place.start.getTime() - type.bufferBeforeMinutes * MINUTE),
    end: new Date(place.end.getTime() + type.bufferAfterMinutes * MINUTE),
  };
  return claimUnits(interval).map((u) => operatorKey(place.operatorId, u));
}

/** The room's units over the service itself (none for a remote service). */
export function roomClaimKeys(place: ClaimedPlace): string[] {
  const roomId = place.roomId;
  return roomId === undefined ? [] : claimUnits(place).map((u) => roomKey(roomId, u));
}

export function equipmentClaimKeys(place: ClaimedPlace): string[] {
  const units = place.equipmentIds?.length ? claimUnits(place) : [];
  return (place.equipmentIds ?? []).flatMap((id) => units.map((u) => equipmentKey(id, u)));
}

/** A group session's own keys: its operator's units (with buffers) and its room's, sorted. */
export function sessionClaimKeys(place: ClaimedPlace, type: Timing): string[] {
  return [...operatorClaimKeys(place, type), ...roomClaimKeys(place)].sort();
}

/**
 * The keys a booking holds itself (holder id = the booking's id), sorted: an individual service's
 * operator units with buffers, room units and equipment units; a group service's seat and equipment
 * units (its operator and room are the session's: `sessionClaimKeys`).
 */
export function bookingClaimKeys(
  booking: Pick<
    Booking,
    "operatorId" | "roomId" | "equipmentIds" | "start" | "end" | "groupSession" | "seat"
  >,
  type: Timing & Pick<ServiceType, "format">,
): string[] {
  if (type.format.kind === "group") {
    if (booking.groupSession === undefined || booking.seat === undefined)
      throw new RangeError("a group booking has a group session and a seat");
    return [seatKey(booking.groupSession, booking.seat), ...equipmentClaimKeys(booking)].sort();
  }
  return [
    ...operatorClaimKeys(booking, type),
    ...roomClaimKeys(booking),
    ...equipmentClaimKeys(booking),
  ].sort();
}

/** A timed key read back: whose unit it is. Undefined for a seat or anything else. */
export function parseUnitKey(key: string): { kind: ClaimKind; resource: string; unit: Date } | undefined {
  const m = /^(operator|room|equipment):(.+)@(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)$/.exec(key);
  if (!m) return undefined;
  return { kind: m[1] as ClaimKind, resource: m[2]!, unit: new Date(m[3]!) };
}

/** The first key of a resource's units from `at` on, for a key-range read of the ledger. */
export const unitKeyPrefix = (kind: ClaimKind, resource: string) => `${kind}:${resource}@`;

/**
 * Units read back as busy intervals: consecutive units of one resource merged, each unit
 * `unitMinutes` long. Input keys of any resource; output per resource id.
 */
export function busyFromUnits(
  keys: readonly string[],
  unitMinutes: number = DEFAULT_UNIT_MINUTES,
): Record<string, BusyInterval[]> {
  const unit = unitMinutes * MINUTE;
  const starts = new Map<string, number[]>();
  for (const key of keys) {
    const parsed = parseUnitKey(key);
    if (!parsed) continue;
    const list = starts.get(parsed.resource) ?? [];
    list.push(parsed.unit.getTime());
    starts.set(parsed.resource, list);
  }
  const out: Record<string, BusyInterval[]> = {};
  for (const [resource, list] of starts) {
    const sorted = [...new Set(list)].sort((a, b) => a - b);
    const intervals: BusyInterval[] = [];
    for (const s of sorted) {
      const last = intervals.at(-1);
      if (last && last.end.getTime() === s) last.end = new Date(s + unit);
      else intervals.push({ start: new Date(s), end: new Date(s + unit) });
    }
    out[resource] = intervals;
  }
  return out;
}
