import { ConflictError, InvalidStateError, NotFoundError } from "@lto/errors";
import { internshipPlaces, type Commitments } from "./commitments.js";
import type { Offer } from "./offer.js";
import { Issues, PSEUDONYM, daysSpanned, isCalendarDate, isQuarterHours, romeDate } from "./validation.js";

/**
 * Internship hours a record may claim per calendar day it spans. Italian law caps an adolescent's
 * working day at 8 hours (L. 977/1967, art. 18) and host contracts cap adults' at 8 ordinary hours;
 * PCTO hours count towards a school certificate, so a record claiming more than the days allow is an
 * error, not overtime. Weekends are not subtracted: the cap is an upper bound, not a timesheet.
 */
export const MAX_INTERNSHIP_HOURS_PER_DAY = 8;
/** Mentoring hours one student may have on one day, across sessions (a session lasts at most this). */
export const MAX_MENTORING_HOURS_PER_DAY = 12;

export type AdoptionStatus = "active" | "completed" | "ended";
export type Party = "company" | "school";
export type RecordKind = "kickoff" | "mentoring" | "internship" | "funding" | "equipment";
/** logged by the company; confirmed or disputed by the school. */
export type RecordStatus = "logged" | "confirmed" | "disputed";

/**
 * One delivery the company logged. Fields by kind: kickoff {date}; mentoring {date, hours,
 * pseudonyms}; internship {pseudonym, startedOn, endedOn?, hours?}; funding {date, amountCents};
 * equipment {date, item, quantity}.
 */
export interface CommitmentRecord {
  id: string;
  kind: RecordKind;
  status: RecordStatus;
  loggedAt: Date;
  loggedBy: string;
  note?: string;
  date?: string;
  hours?: number;
  pseudonyms?: string[];
  pseudonym?: string;
  startedOn?: string;
  endedOn?: string;
  amountCents?: number;
  item?: string;
  quantity?: number;
  decidedAt?: Date;
  decidedBy?: string;
  disputeReason?: string;
}

/** The taking in charge (presa in carico) of an idea's team by the company whose offer was accepted. */
export interface Adoption {
  id: string;
  ideaId: string;
  offerId: string;
  callId: string;
  schoolId: string;
  companyId: string;
  ideaTitle: string;
  /** Pseudonyms of the team; records may name only these (empty: not known, any accepted). */
  teamPseudonyms: string[];
  promised: Commitments;
  status: AdoptionStatus;
  records: CommitmentRecord[];
  startedAt: Date;
  completedAt?: Date;
  endedAt?: Date;
  endedBy?: Party;
  endReason?: string;
}

export function startAdoption(
  id: string,
  offer: Offer,
  idea: { title: string; teamPseudonyms: string[] },
  now: Date,
): Adoption {
  if (offer.status !== "accepted") throw new InvalidStateError("offer", offer.status, "adopt through");
  return {
    id,
    ideaId: offer.ideaId,
    offerId: offer.id,
    callId: offer.callId,
    schoolId: offer.schoolId,
    companyId: offer.companyId,
    ideaTitle: idea.title,
    teamPseudonyms: idea.teamPseudonyms,
    promised: offer.commitments,
    status: "active",
    records: [],
    startedAt: now,
  };
}

function assertActive(a: Adoption, attempted: string): void {
  if (a.status !== "active") throw new InvalidStateError("adoption", a.status, attempted);
}

function findRecord(a: Adoption, recordId: string): CommitmentRecord {
  const r = a.records.find((x) => x.id === recordId);
  if (!r) throw new NotFoundError("commitment record", recordId);
  return r;
}

function replaceRecord(a: Adoption, r: CommitmentRecord): Adoption {
  return { ...a, records: a.records.map((x) => (x.id === r.id ? r : x)) };
}

export interface RecordInput {
  kind: RecordKind;
  note?: string;
  date?: string;
  hours?: number;
  pseudonyms?: string[];
  pseudonym?: string;
  startedOn?: string;
  amountCents?: number;
  item?: string;
  quantity?: number;
}

function checkPseudonym(a: Adoption, p: string | undefined, path: string, issues: Issues): void {
  if (p === undefined || !PSEUDONYM.test(p)) return issues.add(path, "must be a student pseudonym");
  if (a.teamPseudonyms.length > 0 && !a.teamPseudonyms.includes(p))
    issues.add(path, `${p} is not a member of the adopted team`);
}

/**
 * A delivery date: a real date, not before the adoption started (Rome day of startedAt) and not after
 * today (Rome day of `now`); the adoption is active, so it has not ended.
 */
function checkDate(a: Adoption, v: string | undefined, path: string, now: Date, issues: Issues): boolean {
  if (v === undefined || !isCalendarDate(v)) {
    issues.add(path, "must be a date YYYY-MM-DD");
    return false;
  }
  const started = romeDate(a.startedAt);
  const today = romeDate(now);
  if (v < started) issues.add(path, `must not be before the adoption started (${started})`);
  else if (v > today) issues.add(path, `must not be in the future (today is ${today})`);
  else return true;
  return false;
}

const live = (r: CommitmentRecord) => r.status !== "disputed";

/** The company logs something it delivered; the school confirms it later. */
export function logRecord(
  a: Adoption,
  recordId: string,
  input: RecordInput,
  by: string,
  now: Date,
): Adoption {
  assertActive(a, "log a commitment on");
  const issues = new Issues();
  const rec: CommitmentRecord = {
    id: recordId,
    kind: input.kind,
    status: "logged",
    loggedAt: now,
    loggedBy: by,
  };
  if (input.note !== undefined) {
    issues.check(input.note.length <= 2000, "note", "must be at most 2000 characters");
    rec.note = input.note;
  }
  switch (input.kind) {
    case "kickoff":
      checkDate(a, input.date, "date", now, issues);
      if (a.records.some((r) => r.kind === "kickoff" && live(r)))
        throw new ConflictError("The kick-off is already logged for this adoption");
      rec.date = input.date;
      break;
    case "mentoring":
      checkDate(a, input.date, "date", now, issues);
      issues.check(
        input.hours !== undefined && isQuarterHours(input.hours, MAX_MENTORING_HOURS_PER_DAY),
        "hours",
        `must be 0.25 to ${MAX_MENTORING_HOURS_PER_DAY} hours in quarter-hour steps`,
      );
      for (const p of new Set(input.pseudonyms ?? [])) {
        const already = a.records
          .filter(
            (r) => r.kind === "mentoring" && live(r) && r.date === input.date && r.pseudonyms?.includes(p),
          )
          .reduce((n, r) => n + (r.hours ?? 0), 0);
        if (already > 0 && already + (input.hours ?? 0) > MAX_MENTORING_HOURS_PER_DAY)
          issues.add(
            "hours",
            `${p} already has ${already} hours of mentoring logged on ${input.date}; a student has at most ${MAX_MENTORING_HOURS_PER_DAY} a day`,
          );
      }
      issues.check(
        (input.pseudonyms?.length ?? 0) > 0,
        "pseudonyms",
        "name at least one student who took part",
      );
      input.pseudonyms?.forEach((p, i) => checkPseudonym(a, p, `pseudonyms.${i}`, issues));
      Object.assign(rec, {
        date: input.date,
        hours: input.hours,
        pseudonyms: [...new Set(input.pseudonyms)],
      });
      break;
    case "internship":
      checkPseudonym(a, input.pseudonym, "pseudonym", issues);
      checkDate(a, input.startedOn, "startedOn", now, issues);
      if (
        a.records.some(
          (r) => r.kind === "internship" && live(r) && r.pseudonym === input.pseudonym && !r.endedOn,
        )
      )
        throw new ConflictError(
          `An internship of ${input.pseudonym} is already in progress; log its end first`,
        );
      Object.assign(rec, { pseudonym: input.pseudonym, startedOn: input.startedOn });
      break;
    case "funding":
      checkDate(a, input.date, "date", now, issues);
      issues.check(
        input.amountCents !== undefined && Number.isInteger(input.amountCents) && input.amountCents > 0,
        "amountCents",
        "must be a positive whole number of euro cents",
      );
      Object.assign(rec, { date: input.date, amountCents: input.amountCents });
      break;
    case "equipment": {
      checkDate(a, input.date, "date", now, issues);
      const item = input.item?.trim() ?? "";
      issues.check(item.length >= 2 && item.length <= 120, "item", "must be 2 to 120 characters");
      issues.check(
        input.quantity !== undefined &&
          Number.isInteger(input.quantity) &&
          input.quantity >= 1 &&
          input.quantity <= 1000,
        "quantity",
        "must be 1 to 1000",
      );
      Object.assign(rec, { date: input.date, item, quantity: input.quantity });
      break;
    }
  }
  issues.throwIfAny("The commitment record has invalid fields");
  return { ...a, records: [...a.records, rec] };
}

/** The company logs the end of an internship it logged as started, with the hours done. */
export function endInternship(
  a: Adoption,
  recordId: string,
  endedOn: string,
  hours: number,
  now: Date,
): Adoption {
  assertActive(a, "log an internship's end on");
  const r = findRecord(a, recordId);
  if (r.kind !== "internship")
    throw new ConflictError(`Record ${recordId} is a ${r.kind}, not an internship`);
  if (r.endedOn)
    throw new InvalidStateError("internship", r.status, "end", {
      reason: "already_ended",
      because: `it already ended on ${r.endedOn}`,
    });
  if (r.status !== "logged") throw new InvalidStateError("internship", r.status, "end");
  const issues = new Issues();
  const startedOn = r.startedOn ?? romeDate(a.startedAt);
  let dateOk = checkDate(a, endedOn, "endedOn", now, issues);
  if (dateOk && endedOn < startedOn) {
    issues.add("endedOn", `must not be before startedOn (${startedOn})`);
    dateOk = false;
  }
  if (!isQuarterHours(hours, 2000)) issues.add("hours", "must be 0.25 to 2000 hours in quarter-hour steps");
  else if (dateOk) {
    const days = daysSpanned(startedOn, endedOn);
    const cap = days * MAX_INTERNSHIP_HOURS_PER_DAY;
    issues.check(
      hours <= cap,
      "hours",
      `must be at most ${cap}: ${days} day(s) from ${startedOn} to ${endedOn} at ${MAX_INTERNSHIP_HOURS_PER_DAY} hours a day`,
    );
  }
  issues.throwIfAny("The internship's end has invalid fields");
  return replaceRecord(a, { ...r, endedOn, hours });
}

export interface ItemProgress {
  promised: number;
  logged: number;
  confirmed: number;
}

export interface Progress {
  kickoff: { logged: boolean; confirmed: boolean };
  mentoringHours: ItemProgress;
  internshipPlaces: ItemProgress;
  fundingCents: ItemProgress;
  equipment: Array<ItemProgress & { item: string }>;
  /** Every promise confirmed by the school. */
  complete: boolean;
}

function sum(records: CommitmentRecord[], pick: (r: CommitmentRecord) => number) {
  const of = (s: RecordStatus[]) =>
    records.filter((r) => s.includes(r.status)).reduce((n, r) => n + pick(r), 0);
  return { logged: of(["logged", "confirmed"]), confirmed: of(["confirmed"]) };
}

/** What was delivered (logged) and acknowledged (confirmed) against what was promised. */
export function progress(a: Adoption): Progress {
  const ofKind = (k: RecordKind) => a.records.filter((r) => r.kind === k);
  const kick = ofKind("kickoff");
  const mentoring = { promised: a.promised.mentoringHours, ...sum(ofKind("mentoring"), (r) => r.hours ?? 0) };
  const internships = {
    promised: internshipPlaces(a.promised),
    ...sum(ofKind("internship"), (r) => (r.endedOn ? 1 : 0)),
  };
  const funding = { promised: a.promised.fundingCents, ...sum(ofKind("funding"), (r) => r.amountCents ?? 0) };
  const equipment = a.promised.equipment.map((e) => ({
    item: e.item,
    promised: e.quantity,
    ...sum(
      ofKind("equipment").filter((r) => r.item?.toLowerCase() === e.item.toLowerCase()),
      (r) => r.quantity ?? 0,
    ),
  }));
  const met = (p: ItemProgress) => p.confirmed >= p.promised;
  const kickoff = { logged: kick.some(live), confirmed: kick.some((r) => r.status === "confirmed") };
  const complete =
    kickoff.confirmed && met(mentoring) && met(internships) && met(funding) && equipment.every(met);
  return {
    kickoff,
    mentoringHours: mentoring,
    internshipPlaces: internships,
    fundingCents: funding,
    equipment,
    complete,
  };
}

/** The school confirms a logged record; when that fulfils every promise the adoption completes. */
export function confirmRecord(
  a: Adoption,
  recordId: string,
  by: string,
  now: Date,
): { adoption: Adoption; record: CommitmentRecord; completed: boolean } {
  assertActive(a, "confirm a commitment on");
  const r = findRecord(a, recordId);
  if (r.status !== "logged") throw new InvalidStateError("commitment record", r.status, "confirm");
  if (r.kind === "internship" && !r.endedOn)
    throw new InvalidStateError("internship", r.status, "confirm", {
      reason: "in_progress",
      because: "it is still in progress: log its end first",
    });
  const record: CommitmentRecord = { ...r, status: "confirmed", decidedAt: now, decidedBy: by };
  let adoption = replaceRecord(a, record);
  const completed = progress(adoption).complete;
  if (completed) adoption = { ...adoption, status: "completed", completedAt: now };
  return { adoption, record, completed };
}

/** The school disputes a logged record (it did not happen as logged); the company may log it again. */
export function disputeRecord(
  a: Adoption,
  recordId: string,
  by: string,
  reason: string,
  now: Date,
): Adoption {
  assertActive(a, "dispute a commitment on");
  const r = findRecord(a, recordId);
  if (r.status !== "logged") throw new InvalidStateError("commitment record", r.status, "dispute");
  const issues = new Issues();
  issues.check(reason.trim().length >= 3 && reason.length <= 2000, "reason", "must be 3 to 2000 characters");
  issues.throwIfAny();
  return replaceRecord(a, {
    ...r,
    status: "disputed",
    decidedAt: now,
    decidedBy: by,
    disputeReason: reason.trim(),
  });
}

/** Either party ends the adoption before everything was delivered, saying why. */
export function endAdoption(a: Adoption, by: Party, reason: string, now: Date): Adoption {
  assertActive(a, "end");
  const issues = new Issues();
  issues.check(reason.trim().length >= 3 && reason.length <= 2000, "reason", "must be 3 to 2000 characters");
  issues.throwIfAny("Ending an adoption needs a reason");
  return { ...a, status: "ended", endedAt: now, endedBy: by, endReason: reason.trim() };
}

export interface PctoLine {
  pseudonym: string;
  mentoringHours: number;
  internshipHours: number;
  totalHours: number;
}

/** PCTO hours per student pseudonym, from confirmed mentoring sessions and internships only. */
export function pctoHours(a: Adoption): PctoLine[] {
  const lines = new Map<string, PctoLine>();
  const line = (p: string) => {
    let l = lines.get(p);
    if (!l) lines.set(p, (l = { pseudonym: p, mentoringHours: 0, internshipHours: 0, totalHours: 0 }));
    return l;
  };
  for (const r of a.records) {
    if (r.status !== "confirmed") continue;
    if (r.kind === "mentoring") for (const p of r.pseudonyms ?? []) line(p).mentoringHours += r.hours ?? 0;
    if (r.kind === "internship" && r.pseudonym) line(r.pseudonym).internshipHours += r.hours ?? 0;
  }
  for (const l of lines.values()) l.totalHours = l.mentoringHours + l.internshipHours;
  return [...lines.values()].sort((x, y) => x.pseudonym.localeCompare(y.pseudonym));
}

/**
 * A student was erased in the ideas service: the placeholder takes their pseudonym's place in the
 * team and in every record naming them. Undefined when the adoption does not name them (already done).
 */
export function renamePseudonym(a: Adoption, from: string, to: string): Adoption | undefined {
  const swap = (p: string) => (p === from ? to : p);
  const named =
    a.teamPseudonyms.includes(from) ||
    a.records.some((r) => r.pseudonym === from || (r.pseudonyms ?? []).includes(from));
  if (!named || from === to) return undefined;
  return {
    ...a,
    teamPseudonyms: a.teamPseudonyms.map(swap),
    records: a.records.map((r) => ({
      ...r,
      ...(r.pseudonym !== undefined ? { pseudonym: swap(r.pseudonym) } : {}),
      ...(r.pseudonyms !== undefined ? { pseudonyms: r.pseudonyms.map(swap) } : {}),
    })),
  };
}

/** What an adoption holds about one student: the records naming them and their PCTO hours. */
export function studentRecords(a: Adoption, pseudonym: string) {
  return {
    records: a.records.filter((r) => r.pseudonym === pseudonym || (r.pseudonyms ?? []).includes(pseudonym)),
    pcto: pctoHours(a).find((l) => l.pseudonym === pseudonym) ?? {
      pseudonym,
      mentoringHours: 0,
      internshipHours: 0,
      totalHours: 0,
    },
  };
}
