import { InvalidStateError, NotFoundError } from "@lto/errors";
import type { Actor } from "./actor.js";
import { isLocalDate, isSchoolYear, romeDate, type LocalDate, type SchoolYear } from "./time.js";
import { Issues } from "./validation.js";

/**
 * A student as the platform knows them: a pseudonym chosen by the school, whether they are a minor and,
 * for a minor, the day parental consent was recorded. Nothing else: the school keeps the real names.
 */
export interface TeamMember {
  id: string;
  pseudonym: string;
  minor: boolean;
  parentalConsentOn?: LocalDate;
  erasedAt?: Date;
}

export interface MemberInput {
  /** Present when the member already exists. */
  id?: string;
  pseudonym: string;
  minor: boolean;
  /**
   * Omitted: an existing member keeps the consent already recorded (a consent is never lost by
   * resending a team without it). null: the consent is withdrawn.
   */
  parentalConsentOn?: LocalDate | null;
}

export interface TeamInput {
  name: string;
  schoolName: string;
  className: string;
  schoolYear: SchoolYear;
  referentTeacher: string;
  members: MemberInput[];
}

/**
 * An erasure not yet carried to every idea of the team (and through their events to other services).
 * It is the only place the old pseudonym survives, and only until the erasure is complete.
 */
export interface MemberErasure {
  memberId: string;
  previousPseudonym: string;
  pseudonym: string;
  at: Date;
  by: string;
}

export interface Team {
  id: string;
  /** The school's organisation id: the school acts for its teams. */
  schoolId: string;
  name: string;
  schoolName: string;
  className: string;
  schoolYear: SchoolYear;
  referentTeacher: string;
  members: TeamMember[];
  /** Erasures still being propagated; internal, never shown. */
  pendingErasures?: MemberErasure[];
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  version: number;
}

/** What anyone outside the team's school may see: students only by pseudonym. */
export interface PseudonymisedTeam {
  id: string;
  schoolId: string;
  name: string;
  schoolName: string;
  className: string;
  schoolYear: SchoolYear;
  members: { pseudonym: string }[];
}

export const MAX_MEMBERS = 12;
const PSEUDONYM = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{1,39}$/u;
const ERASED_PSEUDONYM = /^anonimo-\d+$/;

function validateTeam(input: TeamInput, today: LocalDate, erasedIds: Set<string>): void {
  const issues = new Issues();
  issues.check(input.name.trim().length >= 2, "name", "must have at least 2 characters");
  issues.check(input.schoolName.trim().length >= 2, "schoolName", "must have at least 2 characters");
  issues.check(
    /^[1-5][A-Za-z]{0,3}$/.test(input.className),
    "className",
    'must look like "4A" (year 1-5 and section)',
  );
  issues.check(isSchoolYear(input.schoolYear), "schoolYear", 'must look like "2026/27"');
  issues.check(
    input.referentTeacher.trim().length >= 2,
    "referentTeacher",
    "must have at least 2 characters",
  );
  issues.check(input.members.length >= 1, "members", "a team has at least one member");
  issues.check(input.members.length <= MAX_MEMBERS, "members", `a team has at most ${MAX_MEMBERS} members`);
  const pseudonyms = new Set<string>();
  input.members.forEach((member, i) => {
    const path = `members.${i}`;
    const key = member.pseudonym.trim().toLowerCase();
    const isPlaceholder = !!member.id && erasedIds.has(member.id);
    issues.check(
      isPlaceholder || (PSEUDONYM.test(member.pseudonym) && !ERASED_PSEUDONYM.test(key)),
      `${path}.pseudonym`,
      "must be 2-40 letters, digits, spaces, dots, dashes or underscores (and not anonimo-N)",
    );
    issues.check(!pseudonyms.has(key), `${path}.pseudonym`, "is used twice in the team");
    pseudonyms.add(key);
    if (member.parentalConsentOn !== undefined && member.parentalConsentOn !== null) {
      issues.check(member.minor, `${path}.parentalConsentOn`, "is recorded only for minors");
      issues.check(
        isLocalDate(member.parentalConsentOn),
        `${path}.parentalConsentOn`,
        "must be a date YYYY-MM-DD",
      );
      issues.check(member.parentalConsentOn <= today, `${path}.parentalConsentOn`, "cannot be in the future");
    }
  });
  issues.throwIfAny("The team is not valid");
}

function toMember(input: MemberInput, id: string, existing?: TeamMember): TeamMember {
  const member: TeamMember = { id, pseudonym: input.pseudonym.trim(), minor: input.minor };
  // Omitted keeps what was recorded (for a minor: an adult needs no consent); null withdraws it.
  const consent =
    input.parentalConsentOn === undefined
      ? input.minor
        ? existing?.parentalConsentOn
        : undefined
      : input.parentalConsentOn;
  if (consent) member.parentalConsentOn = consent;
  return member;
}

export function createTeam(
  input: TeamInput,
  ids: { team: string; newMemberId: () => string },
  school: Actor,
  now: Date,
): Team {
  validateTeam(input, romeDate(now), new Set());
  input.members.forEach((member, i) => {
    if (member.id) throw new NotFoundError("member", `${member.id} (members.${i}.id)`);
  });
  return {
    id: ids.team,
    schoolId: school.organisationId,
    name: input.name.trim(),
    schoolName: input.schoolName.trim(),
    className: input.className.toUpperCase(),
    schoolYear: input.schoolYear,
    referentTeacher: input.referentTeacher.trim(),
    members: input.members.map((member) => toMember(member, ids.newMemberId())),
    createdAt: now,
    createdBy: school.subject,
    updatedAt: now,
    version: 1,
  };
}

/** Replaces the team's details and members; existing members are named by id, erased ones stay erased. */
export function updateTeam(team: Team, input: TeamInput, newMemberId: () => string, now: Date): Team {
  const erased = new Map(team.members.filter((m) => m.erasedAt).map((m) => [m.id, m]));
  validateTeam(input, romeDate(now), new Set(erased.keys()));
  const members = input.members.map((member, i) => {
    if (!member.id) return toMember(member, newMemberId());
    const existing = team.members.find((m) => m.id === member.id);
    if (!existing) throw new NotFoundError("member", `${member.id} (members.${i}.id)`);
    return existing.erasedAt ? existing : toMember(member, existing.id, existing);
  });
  return {
    ...team,
    name: input.name.trim(),
    schoolName: input.schoolName.trim(),
    className: input.className.toUpperCase(),
    schoolYear: input.schoolYear,
    referentTeacher: input.referentTeacher.trim(),
    members,
    updatedAt: now,
  };
}

export function findMember(team: Team, memberId: string): TeamMember {
  const member = team.members.find((m) => m.id === memberId);
  if (!member) throw new NotFoundError("member", memberId);
  return member;
}

export function recordParentalConsent(team: Team, memberId: string, day: LocalDate, now: Date): Team {
  const member = findMember(team, memberId);
  const issues = new Issues();
  issues.check(isLocalDate(day), "parentalConsentOn", "must be a date YYYY-MM-DD");
  issues.check(day <= romeDate(now), "parentalConsentOn", "cannot be in the future");
  issues.throwIfAny("The consent date is not valid");
  if (member.erasedAt) throw new InvalidStateError("member", "erased", "record consent for");
  if (!member.minor) {
    throw new InvalidStateError("member", "active", "record parental consent for", {
      reason: "not_a_minor",
      because: "the member is an adult; parental consent is recorded only for minors",
    });
  }
  return {
    ...team,
    members: team.members.map((m) => (m.id === memberId ? { ...m, parentalConsentOn: day } : m)),
    updatedAt: now,
  };
}

export function membersLackingConsent(team: Team): TeamMember[] {
  return team.members.filter((m) => m.minor && !m.erasedAt && !m.parentalConsentOn);
}

/**
 * The right to erasure: the member becomes an anonymous placeholder, so the team keeps its size and
 * its ideas and their history stay consistent, while nothing about the student remains.
 */
export function eraseMember(team: Team, memberId: string, now: Date, by = "system"): Team {
  const member = findMember(team, memberId);
  if (member.erasedAt) return team;
  const taken = new Set(team.members.map((m) => m.pseudonym));
  let n = 1;
  while (taken.has(`anonimo-${n}`)) n++;
  const placeholder: TeamMember = { id: member.id, pseudonym: `anonimo-${n}`, minor: false, erasedAt: now };
  const erasure: MemberErasure = {
    memberId,
    previousPseudonym: member.pseudonym,
    pseudonym: placeholder.pseudonym,
    at: now,
    by,
  };
  return {
    ...team,
    members: team.members.map((m) => (m.id === memberId ? placeholder : m)),
    pendingErasures: [...(team.pendingErasures ?? []), erasure],
    updatedAt: now,
  };
}

/** The erasure reached every idea of the team: forget the old pseudonym for good. */
export function completeErasure(team: Team, memberId: string): Team {
  const pending = team.pendingErasures ?? [];
  if (!pending.some((e) => e.memberId === memberId)) return team;
  const rest = pending.filter((e) => e.memberId !== memberId);
  const { pendingErasures: _done, ...withoutPending } = team;
  return rest.length ? { ...withoutPending, pendingErasures: rest } : withoutPending;
}

/** The team as its own school sees it: everything but the internal bookkeeping of erasures. */
export function schoolTeam(team: Team): Omit<Team, "pendingErasures"> {
  const { pendingErasures: _pending, ...rest } = team;
  return rest;
}

export function pseudonymisedTeam(team: Team): PseudonymisedTeam {
  return {
    id: team.id,
    schoolId: team.schoolId,
    name: team.name,
    schoolName: team.schoolName,
    className: team.className,
    schoolYear: team.schoolYear,
    members: team.members.map((m) => ({ pseudonym: m.pseudonym })),
  };
}
