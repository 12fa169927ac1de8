// Enrolment in a session, as the seat ledger decides it. A person has at most ONE enrolment per session
// (its id is derived from the pair), re-used when they enrol again after leaving. The seats themselves
// are separate ledger entries (one per seat number, claimed by a unique insert); an enrolment names the
// seat it holds. Every decision is appended to the history, never overwritten.
import { InvalidStateError } from "@lto/errors";
import type { CompetenceMapping } from "./frameworks/index.js";
import type { Audience, Course } from "./course.js";
import type { Session } from "./session.js";

export const ENROLMENT_STATUSES = [
  "confirmed",
  "waitlisted",
  "offered",
  "withdrawn",
  "lapsed",
  "declined",
  "moved",
] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];

/** Statuses that hold a seat of the ledger. */
export const SEAT_HOLDING: readonly EnrolmentStatus[] = ["confirmed", "offered"];
/** Statuses that are still in the session (holding a seat or waiting for one). */
export const ACTIVE: readonly EnrolmentStatus[] = ["confirmed", "offered", "waitlisted"];

/** Who the enrolment is for, as the caller's role makes it. */
export type EnrolmentAudience = "self" | "student" | "on_behalf";

/** Who enrols: a learner (a young person or an adult), a school user, or staff on behalf of anyone. */
export type Enroller = "learner" | "school" | "staff";

/**
 * The course audiences an enrolment must find among the course's: a school enrols its students in
 * courses for students (by pseudonym, with consent) and its teachers in courses for teachers; a learner
 * (a young person, an adult, a trainer outside schools) any course but those only for school students.
 * Staff enrol anyone (they know the person): undefined, nothing to check.
 */
export function audiencesServing(
  enroller: Enroller,
  audience: EnrolmentAudience,
): readonly Audience[] | undefined {
  if (enroller === "staff") return undefined;
  if (enroller === "school") return audience === "student" ? ["students"] : ["teachers"];
  return ["young_people", "adults", "teachers"];
}

export interface PrerequisiteOverride {
  by: string;
  reason: string;
  at: Date;
}

export interface StudentConsent {
  minor: boolean;
  /** The day the school recorded the parents' consent (required for a minor). */
  parentalConsentOn?: string;
}

export type EnrolmentDecision =
  | "confirmed"
  | "waitlisted"
  | "offered"
  | "offer_accepted"
  | "offer_declined"
  | "offer_lapsed"
  | "withdrawn"
  | "moved_out"
  | "moved_in"
  | "prerequisites_overridden";

export interface EnrolmentHistoryEntry {
  at: Date;
  by: string;
  what: EnrolmentDecision;
  seat?: number;
  reason?: string;
  /** The other session of a move. */
  sessionId?: string;
}

export interface Enrolment {
  id: string;
  sessionId: string;
  courseId: string;
  site: string;
  /** The learner's subject; for a school's student `<school>/<pseudonym>`. */
  personId: string;
  /** Students enrolled by their school: the school and its pseudonym (the school keeps the name). */
  school?: { id: string; pseudonym: string; consent: StudentConsent };
  enrolledBy: string;
  audience: EnrolmentAudience;
  status: EnrolmentStatus;
  /** The seat number held (confirmed, offered). */
  seat?: number;
  /** When the person joined the waiting list: first come, first served. */
  waitingSince?: Date;
  /** A time-ordered ticket taken on joining: orders people who joined within the same millisecond. */
  waitingTicket?: string;
  offerExpiresAt?: Date;
  override?: PrerequisiteOverride;
  /** The session a move came from (so a retried move is recognised). */
  movedFrom?: string;
  history: EnrolmentHistoryEntry[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface EnrolmentRequest {
  id: string;
  session: Pick<Session, "id" | "courseId" | "site">;
  personId: string;
  school?: Enrolment["school"];
  enrolledBy: string;
  audience: EnrolmentAudience;
  override?: PrerequisiteOverride;
  /** A time-ordered id (UUIDv7) taken when the request arrived: the waiting order's tie-break. */
  ticket: string;
}

export function holdsSeat(e: Pick<Enrolment, "status">): boolean {
  return SEAT_HOLDING.includes(e.status);
}

export function isActive(e: Pick<Enrolment, "status">): boolean {
  return ACTIVE.includes(e.status);
}

/** The seat numbers of a session not in `taken`, lowest first. */
export function freeSeatNumbers(capacity: number, taken: Iterable<number>): number[] {
  const used = new Set(taken);
  const free: number[] = [];
  for (let n = 1; n <= capacity; n++) if (!used.has(n)) free.push(n);
  return free;
}

export function seatId(sessionId: string, n: number): string {
  return `${sessionId}#${n}`;
}

/**
 * A new (or renewed, after leaving) enrolment: confirmed on `seat`, or waiting when there is none.
 * `previous` is the same person's earlier enrolment in this session, whose history continues.
 */
export function enrol(
  req: EnrolmentRequest,
  seat: number | undefined,
  previous: Enrolment | undefined,
  now: Date,
): Enrolment {
  if (previous && isActive(previous))
    throw new InvalidStateError("enrolment", previous.status, "enrol again in", {
      reason: "already_enrolled",
      because: `the person is already ${previous.status} in this session`,
    });
  const history: EnrolmentHistoryEntry[] = [...(previous?.history ?? [])];
  if (req.override)
    history.push({
      at: now,
      by: req.override.by,
      what: "prerequisites_overridden",
      reason: req.override.reason,
    });
  history.push(
    seat === undefined
      ? { at: now, by: req.enrolledBy, what: "waitlisted" }
      : { at: now, by: req.enrolledBy, what: "confirmed", seat },
  );
  return {
    id: req.id,
    sessionId: req.session.id,
    courseId: req.session.courseId,
    site: req.session.site,
    personId: req.personId,
    ...(req.school ? { school: req.school } : {}),
    enrolledBy: req.enrolledBy,
    audience: req.audience,
    status: seat === undefined ? "waitlisted" : "confirmed",
    ...(seat === undefined ? { waitingSince: now, waitingTicket: req.ticket } : { seat }),
    ...(req.override ? { override: req.override } : {}),
    history,
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
    version: previous?.version ?? 1,
  };
}

function without<K extends keyof Enrolment>(e: Enrolment, ...keys: K[]): Enrolment {
  const copy = { ...e };
  for (const k of keys) delete copy[k];
  return copy;
}

function refuse(e: Enrolment, attempted: string, because?: string): never {
  throw new InvalidStateError("enrolment", e.status, attempted, because ? { because } : {});
}

/** A freed seat offered to a waiting person until `expiresAt`; the seat is claimed for them already. */
export function offerSeat(e: Enrolment, seat: number, expiresAt: Date, by: string, now: Date): Enrolment {
  if (e.status !== "waitlisted") refuse(e, "offer a seat to");
  return {
    ...without(e, "waitingSince", "waitingTicket"),
    status: "offered",
    seat,
    offerExpiresAt: expiresAt,
    updatedAt: now,
    history: [...e.history, { at: now, by, what: "offered", seat }],
  };
}

export function offerExpired(e: Pick<Enrolment, "status" | "offerExpiresAt">, now: Date): boolean {
  return e.status === "offered" && !!e.offerExpiresAt && e.offerExpiresAt <= now;
}

export function acceptOffer(e: Enrolment, by: string, now: Date): Enrolment {
  if (e.status !== "offered") refuse(e, "accept an offer of");
  if (offerExpired(e, now))
    refuse(e, "accept the offer of", `the offer expired at ${e.offerExpiresAt!.toISOString()}`);
  return {
    ...without(e, "offerExpiresAt"),
    status: "confirmed",
    updatedAt: now,
    history: [...e.history, { at: now, by, what: "offer_accepted", seat: e.seat! }],
  };
}

/** The person says no to the offer (declined) or lets it run out (lapsed): the seat goes on. */
export function endOffer(e: Enrolment, how: "declined" | "lapsed", by: string, now: Date): Enrolment {
  if (e.status !== "offered") refuse(e, how === "declined" ? "decline an offer of" : "lapse the offer of");
  if (how === "lapsed" && !offerExpired(e, now)) refuse(e, "lapse the offer of", "the offer has not expired");
  return {
    ...without(e, "offerExpiresAt", "seat"),
    status: how,
    updatedAt: now,
    history: [
      ...e.history,
      { at: now, by, what: how === "declined" ? "offer_declined" : "offer_lapsed", seat: e.seat! },
    ],
  };
}

/**
 * The last moment a confirmed learner may withdraw and free the seat: `hoursBefore` hours before the
 * first meeting starts. Waiting (or offered) people may leave any time before it.
 */
export function withdrawalDeadline(session: Pick<Session, "meetings">, hoursBefore: number): Date {
  const first = session.meetings.find((m) => !m.cancelled) ?? session.meetings[0]!;
  return new Date(first.startsAt.getTime() - hoursBefore * 3_600_000);
}

export function withdraw(e: Enrolment, deadline: Date, by: string, reason: string, now: Date): Enrolment {
  if (!isActive(e)) refuse(e, "withdraw");
  if (now > deadline)
    throw new InvalidStateError("enrolment", e.status, "withdraw", {
      reason: "deadline_passed",
      because: `the withdrawal deadline was ${deadline.toISOString()}; ask the site's staff`,
      details: { deadline: deadline.toISOString() },
    });
  return {
    ...without(e, "offerExpiresAt", "seat", "waitingSince", "waitingTicket"),
    status: "withdrawn",
    updatedAt: now,
    history: [...e.history, { at: now, by, what: "withdrawn", reason, ...(e.seat ? { seat: e.seat } : {}) }],
  };
}

/** The source side of a move: the learner now sits in `targetSessionId`; this seat goes on. */
export function moveOut(e: Enrolment, targetSessionId: string, by: string, now: Date): Enrolment {
  if (e.status !== "confirmed") refuse(e, "move", "only a confirmed learner is moved");
  return {
    ...without(e, "seat"),
    status: "moved",
    updatedAt: now,
    history: [...e.history, { at: now, by, what: "moved_out", seat: e.seat!, sessionId: targetSessionId }],
  };
}

/** The target side of a move: confirmed on `seat`, coming from `source`. */
export function moveIn(
  req: EnrolmentRequest,
  source: Enrolment,
  seat: number,
  previous: Enrolment | undefined,
  now: Date,
): Enrolment {
  const base = enrol(req, seat, previous, now);
  const history = base.history.slice(0, -1);
  return {
    ...base,
    ...(source.school ? { school: source.school } : {}),
    audience: source.audience,
    movedFrom: source.sessionId,
    history: [
      ...history,
      { at: now, by: req.enrolledBy, what: "moved_in", seat, sessionId: source.sessionId },
    ],
  };
}

/** What places a waiting enrolment in its line. */
export type WaitingPlace = Pick<Enrolment, "id" | "status" | "waitingSince" | "waitingTicket">;

/** First come, first served: by the time of joining, then by the ticket taken on arrival, then id. */
export function waitingOrder(a: Omit<WaitingPlace, "status">, b: Omit<WaitingPlace, "status">): number {
  const d = (a.waitingSince?.getTime() ?? 0) - (b.waitingSince?.getTime() ?? 0);
  if (d !== 0) return d;
  const ka = `${a.waitingTicket ?? ""}/${a.id}`;
  const kb = `${b.waitingTicket ?? ""}/${b.id}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** 1 = next in line: one more than the waiting places ordered before `e` (which may not be there yet). */
export function waitingPosition(e: Omit<WaitingPlace, "status">, waiting: readonly WaitingPlace[]): number {
  return waiting.filter((w) => w.status === "waitlisted" && waitingOrder(w, e) < 0).length + 1;
}

/**
 * Prerequisites a person does not meet: each needs, in the same framework and version, a level at
 * least the minimum from one of this service's credentials (not revoked) or a placement self-assessment.
 */
export function missingPrerequisites(
  prerequisites: readonly CompetenceMapping[],
  credentials: readonly { competences: readonly CompetenceMapping[]; revoked: boolean }[],
  placementLevel: (p: CompetenceMapping) => number | undefined,
): CompetenceMapping[] {
  return prerequisites.filter((p) => {
    const same = (c: CompetenceMapping) =>
      c.framework === p.framework && c.version === p.version && c.competence === p.competence;
    const credited = credentials.some(
      (cr) => !cr.revoked && cr.competences.some((c) => same(c) && c.level >= p.level),
    );
    if (credited) return false;
    const placed = placementLevel(p);
    return !(placed !== undefined && placed >= p.level);
  });
}

/** Facts about enrolments; the contract room maps them to protobuf (with the course's areas, competences, hours). */
export type EnrolmentEvent =
  | {
      type: "EnrolmentConfirmed";
      enrolment: Enrolment;
      course: Pick<Course, "areas" | "competences">;
      hours: number;
      freeSeats: number;
      by: string;
      at: Date;
    }
  | { type: "EnrolmentWaitlisted"; enrolment: Enrolment; position: number; by: string; at: Date }
  | { type: "SeatOffered"; enrolment: Enrolment; by: string; at: Date }
  | {
      type: "EnrolmentWithdrawn";
      enrolment: Enrolment;
      reason: string;
      seatFreed: boolean;
      by: string;
      at: Date;
    };
