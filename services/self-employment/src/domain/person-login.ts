// A person linked to their learner account (the login a young person uses on the portal): staff of the
// person's site set or clear it, every change kept in the person's login history. One person per
// learner account (the store keeps it unique); the learner then acts as that person (GET /v1/me).
import { Issues } from "@lto/errors";
import type { Person } from "./person.js";

export const MAX_LEARNER_SUBJECT = 200;

/** One change of a person's learner account: who linked or unlinked which account, when. */
export interface LoginChange {
  at: Date;
  by: string;
  what: "linked" | "unlinked";
  learnerSubject: string;
}

export function learnerSubjectProblems(subject: string): Issues {
  const issues = new Issues();
  const trimmed = subject.trim();
  issues.check(trimmed.length >= 1, "learnerSubject", "must not be blank");
  issues.check(trimmed === subject, "learnerSubject", "must not start or end with spaces");
  issues.check(
    subject.length <= MAX_LEARNER_SUBJECT,
    "learnerSubject",
    `must be at most ${MAX_LEARNER_SUBJECT} characters`,
  );
  return issues;
}

/**
 * The person linked to `subject` (the account replaced is unlinked in the history); the same person
 * when it is linked to it already.
 */
export function linkLogin(person: Person, subject: string, by: string, now: Date): Person {
  learnerSubjectProblems(subject).throwIfAny("The learner account is not valid");
  if (person.learnerSubject === subject) return person;
  const history = [...(person.loginHistory ?? [])];
  if (person.learnerSubject)
    history.push({ at: now, by, what: "unlinked", learnerSubject: person.learnerSubject });
  history.push({ at: now, by, what: "linked", learnerSubject: subject });
  return { ...person, learnerSubject: subject, loginHistory: history };
}

/** The person without a learner account; the same person when it has none. */
export function unlinkLogin(person: Person, by: string, now: Date): Person {
  if (!person.learnerSubject) return person;
  const { learnerSubject, ...rest } = person;
  return {
    ...rest,
    loginHistory: [...(person.loginHistory ?? []), { at: now, by, what: "unlinked", learnerSubject }],
  };
}
