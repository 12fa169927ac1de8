// Rooms and labs held by the catalogue's course meetings. A course session scheduled at an LTO site
// meets in one of the site's rooms (its FabLab, its classroom): while a meeting lasts, the room's
// 5-minute units are held in the same claim ledger bookings use, so neither a booking nor availability
// can take the room. The catalogue's word is final (its session is scheduled already): a unit a booking
// holds is not taken from the booking, the clash becomes a lab conflict staff of the site resolve.
import { claimUnits } from "./availability/claims.js";
import { siteById, type Room } from "./sites.js";

/** One meeting of a course session, as this service keeps it. */
export interface MeetingHold {
  meetingId: string;
  /** The room as the catalogue names it (free text there). */
  room: string;
  /** The site's room it names, when it names one (else the meeting holds nothing here). */
  roomId?: string;
  start: Date;
  end: Date;
  /** The catalogue's meeting sequence (increases each time it moves or is cancelled). */
  sequence: number;
  cancelled: boolean;
  /** The ledger keys the meeting holds now. */
  held: string[];
}

/** A course session's meetings and what they hold: one record per catalogue session. */
export interface CourseSessionHolds {
  /** The catalogue's session id. */
  id: string;
  courseId: string;
  site: string;
  /** The catalogue session's version last applied: an event no newer changes nothing. */
  sessionVersion: number;
  cancelled: boolean;
  meetings: MeetingHold[];
  updatedAt: Date;
  version: number;
}

/** A meeting as the catalogue states it now. */
export interface MeetingFact {
  meetingId: string;
  room: string;
  start: Date;
  end: Date;
  sequence: number;
  cancelled: boolean;
}

/** The claim ledger's holder of a meeting's units (the shared convention of the ledger). */
export function courseMeetingHolder(sessionId: string, meetingId: string): string {
  return `course-meeting:${sessionId}:${meetingId}`;
}

export function isCourseMeetingHolder(holderId: string): boolean {
  return holderId.startsWith("course-meeting:");
}

/**
 * The room of `siteId` a catalogue meeting names: its `room` must be the room's id (as
 * GET /v1/sites/{siteId} lists them), compared without surrounding spaces and case. A name such as
 * "Laboratorio 1" or an online place names no room here.
 */
export function roomOfMeeting(siteId: string, room: string): Room | undefined {
  const wanted = room.trim().toLowerCase();
  return siteById(siteId)?.rooms.find((r) => r.id.toLowerCase() === wanted);
}

/** The ledger keys of a room over [start, end): `room:<roomId>@<unit ISO>`. */
export function roomUnitKeys(roomId: string, start: Date, end: Date): string[] {
  return claimUnits({ start, end }).map((unit) => `room:${roomId}@${unit}`);
}

/** The keys a meeting should hold as it is now: none when cancelled or in no room of the site. */
export function wantedKeys(siteId: string, meeting: MeetingFact): { roomId?: string; keys: string[] } {
  const room = roomOfMeeting(siteId, meeting.room);
  if (!room) return { keys: [] };
  if (meeting.cancelled || !(meeting.end > meeting.start)) return { roomId: room.id, keys: [] };
  return { roomId: room.id, keys: roomUnitKeys(room.id, meeting.start, meeting.end) };
}

/** What changes in the ledger when a meeting becomes `wanted`: keys to give back and keys to take. */
export function holdChange(
  held: readonly string[],
  wanted: readonly string[],
): { release: string[]; claim: string[] } {
  const want = new Set(wanted);
  const have = new Set(held);
  return {
    release: held.filter((k) => !want.has(k)),
    claim: wanted.filter((k) => !have.has(k)),
  };
}

// --- lab conflicts ---

export type LabConflictResolution =
  /** Staff freed the room (the booking moved or was cancelled): the meeting now holds it. */
  | "lab_freed"
  /** The catalogue moved the meeting (or its room): the clash is gone. */
  | "meeting_moved"
  /** The catalogue cancelled the meeting or its whole session. */
  | "meeting_cancelled";

/**
 * A course meeting that came to a room already booked: the units others held when it arrived. Open
 * until staff free the room or the catalogue moves or cancels the meeting.
 */
export interface LabConflict {
  id: string;
  site: string;
  roomId: string;
  sessionId: string;
  courseId: string;
  meetingId: string;
  sequence: number;
  start: Date;
  end: Date;
  /** The units the meeting does not hold because others did. */
  units: string[];
  /** Who held them: booking ids (or another meeting's holder). */
  heldBy: string[];
  status: "open" | "resolved";
  detectedAt: Date;
  resolution?: { how: LabConflictResolution; by: string; at: Date; note?: string };
  version: number;
}

/** What makes a conflict one: a version of a meeting (so a redelivery adds none). */
export function labConflictKey(c: Pick<LabConflict, "sessionId" | "meetingId" | "sequence">): string {
  return `${c.sessionId}:${c.meetingId}:${c.sequence}`;
}

export function resolveConflict(
  conflict: LabConflict,
  how: LabConflictResolution,
  by: string,
  at: Date,
  note?: string,
): LabConflict {
  return { ...conflict, status: "resolved", resolution: { how, by, at, ...(note ? { note } : {}) } };
}
