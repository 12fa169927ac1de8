// Persons linked to logins: staff of the person's site link a person to their learner account (or clear
// it), one person per account; a learner then reads their own record and open path (GET /v1/me).
// Uniqueness lives in the store (a claim per account), so two staff linking one account to two persons
// at once make one link and one 409.
import { romeDate } from "@lto/civil-time";
import { AppError, ConflictError, NotFoundError, PreconditionFailedError } from "@lto/errors";
import { learnerSubjectProblems, linkLogin, unlinkLogin, type Person } from "../domain/index.js";
import { requireRole, requireSitesStaff, type Viewer } from "./access.js";
import { checkVersion } from "./checks.js";
import { pathView } from "./paths.js";
import { personView } from "./persons.js";
import type { Ports } from "./ports.js";

const ATTEMPTS = 8;
/** A claim of an account whose person was never stored after this long was left by a crash. */
const ABANDONED_MS = 60_000;

/** 404 for a learner whose account no person is linked to, saying who can link it. */
class NotLinkedError extends AppError {
  readonly kind = "not_found";
}

/** 409 naming the person the account is linked to. */
function linkedElsewhere(subject: string, other: Person): ConflictError {
  return new ConflictError(
    `The learner account ${subject} is linked to another person (at ${other.site}); unlink it there first, or use this person's own account`,
    { details: { personId: other.id, site: other.site } },
  );
}

/**
 * Takes a learner account for a person in the store (unsettled: settle it once the person is stored),
 * answering the claim token, or 409 naming the person who has it. A claim left by a link that never
 * completed (its person does not hold the account) is given back first.
 */
export function accountTaker({ personLogins, clock, ids }: Ports) {
  return async (subject: string, personId: string): Promise<string> => {
    // A person registered with the account before accounts were claimed holds it without a claim.
    const linked = await personLogins.byLearnerSubject(subject);
    if (linked && linked.id !== personId) throw linkedElsewhere(subject, linked);
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const claim = ids.newId();
      const held = await personLogins.claim(subject, { holderId: personId, claim, at: clock.now() });
      if (held === undefined) return claim;
      if (!held.holderId) continue; // given back meanwhile
      if (held.holderId === personId) return held.claim; // this person's own earlier attempt
      const other = await personLogins.get(held.holderId);
      if (other?.learnerSubject === subject) throw linkedElsewhere(subject, other);
      // Another link of the account is under way (its person not stored yet): it wins.
      const abandoned = held.settled || clock.now().getTime() - held.claimedAt.getTime() > ABANDONED_MS;
      if (!abandoned)
        throw new ConflictError(
          `The learner account ${subject} is being linked to another person right now; check that person, or retry`,
          { details: { personId: held.holderId } },
        );
      await personLogins.release(subject, { claim: held.claim });
    }
    throw new ConflictError(`The learner account ${subject} kept changing hands; retry`);
  };
}

export function personLoginUseCases(ports: Ports) {
  const { personLogins, paths, clock } = ports;
  const claimAccount = accountTaker(ports);
  const today = () => romeDate(clock.now());

  async function load(id: string): Promise<Person> {
    const person = await personLogins.get(id);
    if (!person) throw new NotFoundError("person", id);
    return person;
  }

  return {
    /** Staff of the person's site (or an admin) link them to a learner account. */
    async link(viewer: Viewer, personId: string, subject: string, ifMatch: number | undefined) {
      learnerSubjectProblems(subject).throwIfAny("The learner account is not valid");
      for (let attempt = 1; ; attempt++) {
        const person = await load(personId);
        const me = requireSitesStaff(viewer, [person.site]);
        checkVersion("person", person.version, ifMatch);
        if (person.learnerSubject === subject) return personView(person, viewer, today());
        const claim = await claimAccount(subject, person.id);
        const stored = await personLogins.update(
          linkLogin(person, subject, me.subject, clock.now()),
          person.version,
        );
        if (!stored) {
          await personLogins.release(subject, { claim });
          if (ifMatch !== undefined || attempt >= ATTEMPTS)
            throw new PreconditionFailedError(
              "The person changed meanwhile; reload them and retry with their current ETag in If-Match",
            );
          continue;
        }
        await personLogins.settle(subject, claim);
        if (person.learnerSubject) await personLogins.release(person.learnerSubject, { personId: person.id });
        return personView(stored, viewer, today());
      }
    },

    /** Staff of the person's site (or an admin) clear the link; nothing to clear is no change. */
    async unlink(viewer: Viewer, personId: string, ifMatch: number | undefined) {
      for (let attempt = 1; ; attempt++) {
        const person = await load(personId);
        const me = requireSitesStaff(viewer, [person.site]);
        checkVersion("person", person.version, ifMatch);
        if (!person.learnerSubject) return personView(person, viewer, today());
        const stored = await personLogins.update(
          unlinkLogin(person, me.subject, clock.now()),
          person.version,
        );
        if (!stored) {
          if (ifMatch !== undefined || attempt >= ATTEMPTS)
            throw new PreconditionFailedError(
              "The person changed meanwhile; reload them and retry with their current ETag in If-Match",
            );
          continue;
        }
        await personLogins.release(person.learnerSubject, { personId: person.id });
        return personView(stored, viewer, today());
      }
    },

    /** A learner's own person record and open path (null when none is open). */
    async me(viewer: Viewer) {
      const me = requireRole(viewer, "learner");
      const person = await personLogins.byLearnerSubject(me.subject);
      if (!person)
        throw new NotLinkedError(
          `No person is linked to your learner account (${me.subject}): ask the staff of your LTO site to link your person record to it`,
          { details: { learnerSubject: me.subject } },
        );
      const path = await paths.byHolder(person.id);
      return {
        person: personView(person, viewer, today()),
        path: path && path.status === "open" ? pathView(path) : null,
      };
    },
  };
}
