// The app's ports on the service's store, composed once: the service (main.ts) and the demo seed
// (`npm run seed`) run the same use cases on the same adapters.
import { platformIds } from "@lto/service-host";
import type { AggregateStore } from "@lto/store";
import type { Clock, Ports } from "../app/index.js";
import { operatorRepository, personRepository } from "./repositories.js";
import { selfEmploymentCollections } from "./store.js";

export function selfEmploymentPorts(store: AggregateStore, clock: Clock) {
  const collections = selfEmploymentCollections(store);
  const ports = {
    operators: operatorRepository(collections.operators),
    persons: personRepository(collections.persons),
    clock,
    ids: platformIds,
  } satisfies Ports;
  return { collections, ports };
}
