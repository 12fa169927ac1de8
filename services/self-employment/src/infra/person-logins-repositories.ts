// Persons by their learner account: the account claimed in its own claim ledger (one person per
// account, whatever the races), the person updated in its aggregate collection.
import type { ClaimLedger } from "@lto/store";
import type { PersonLoginRepository } from "../app/index.js";
import type { SelfEmploymentCollections } from "./store.js";

const key = (subject: string) => `learner:${subject}`;

export function personLoginRepository(
  persons: SelfEmploymentCollections["persons"],
  accounts: ClaimLedger,
): PersonLoginRepository {
  return {
    get: (id) => persons.get(id),
    byLearnerSubject: (learnerSubject) => persons.findOne({ learnerSubject }),
    // No events: the learner account never leaves the service.
    update: (person, expectedVersion) => persons.updateIf(person, expectedVersion),
    async claim(subject, holder) {
      const outcome = await accounts.claimAll([key(subject)], holder);
      if (outcome.ok) return undefined;
      const held = await accounts.get(key(subject));
      // Released between the two reads: reported as held by no one, the caller claims again.
      return held
        ? { holderId: held.holderId, claim: held.claim, settled: held.settled, claimedAt: held.claimedAt }
        : { holderId: "", claim: "", settled: false, claimedAt: new Date(0) };
    },
    async settle(subject, claim) {
      await accounts.settle([key(subject)], claim);
    },
    async release(subject, by) {
      await accounts.release([key(subject)], "claim" in by ? { claim: by.claim } : { holderId: by.personId });
    },
  };
}
