// Who is in each course session, kept from the catalogue's enrolment events: when a session is
// cancelled, everyone this roster knows is told too, besides those its event lists (an enrolment
// confirmed while the cancellation was being written is in the roster, ordered before it by the
// session's key, though the cancellation's own list was read a moment earlier).

export interface RosterEntry {
  personId: string;
  /** Enrolled, waiting or offered a seat; false once withdrawn. */
  active: boolean;
}

export interface Roster {
  /** The session id. */
  id: string;
  entries: RosterEntry[];
  version: number;
}

/** The roster with `personId` in or out; undefined when that is already so. */
export function withPerson(
  stored: Roster | undefined,
  sessionId: string,
  personId: string,
  active: boolean,
): Roster | undefined {
  const roster = stored ?? { id: sessionId, entries: [], version: 0 };
  const current = roster.entries.find((e) => e.personId === personId);
  if (current ? current.active === active : !active) return undefined;
  const entries = current
    ? roster.entries.map((e) => (e.personId === personId ? { personId, active } : e))
    : [...roster.entries, { personId, active }];
  return { ...roster, entries };
}

/** Everyone to tell of the session's cancellation: the event's lists, then the roster's active people. */
export function toTell(listed: readonly string[], roster: Roster | undefined): string[] {
  const active = (roster?.entries ?? []).filter((e) => e.active).map((e) => e.personId);
  return [...new Set([...listed, ...active])];
}
