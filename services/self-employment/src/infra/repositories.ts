// The app's repositories on the service's aggregate collections: the state, its next version and its
// events (mapped to the contract by the contract room) go in one write; a stale version is a 412.
import { ConflictError } from "@lto/errors";
import type { OperatorRepository, PersonRepository } from "../app/index.js";
import { personPendingEvents } from "../contract/index.js";
import type { SelfEmploymentCollections } from "./store.js";

export function operatorRepository(operators: SelfEmploymentCollections["operators"]): OperatorRepository {
  return {
    get: (id) => operators.get(id),
    listBySite: (site, { cursor, limit }) =>
      operators.page({ sites: site }, { limit, ...(cursor ? { cursor } : {}) }),
    insert: async (operator) => {
      if (!(await operators.insert(operator)))
        throw new ConflictError(
          `An operator with id ${operator.id} exists already; create it again for a new id`,
        );
    },
    update: (operator) => operators.update(operator, operator.version),
  };
}

export function personRepository(persons: SelfEmploymentCollections["persons"]): PersonRepository {
  return {
    get: (id) => persons.get(id),
    byCodiceFiscale: (codiceFiscale) => persons.findOne({ codiceFiscale }),
    listBySite: (site, { cursor, limit }) => persons.page({ site }, { limit, ...(cursor ? { cursor } : {}) }),
    insert: (person, events) =>
      persons.insert(person, { events: personPendingEvents(events, person.version) }),
  };
}
