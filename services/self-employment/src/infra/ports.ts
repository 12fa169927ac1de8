// The app's ports on the service's store, composed once: the service (main.ts) and the demo seed
// (`npm run seed`) run the same use cases on the same adapters.
import { platformIds } from "@lto/service-host";
import type { AggregateStore } from "@lto/store";
import type { Clock, PathSettings, Ports } from "../app/index.js";
import { renderEvidencePack } from "./evidence-pdf.js";
import { pathRepository } from "./paths-repositories.js";
import { operatorRepository, personRepository } from "./repositories.js";
import { selfEmploymentCollections } from "./store.js";

export function selfEmploymentPorts(
  store: AggregateStore,
  clock: Clock,
  pathSettings: PathSettings = { defaultFunder: "lto_diffuso", adoptedTeamSite: "lto-mantova" },
) {
  const collections = selfEmploymentCollections(store);
  const ports = {
    operators: operatorRepository(collections.operators),
    persons: personRepository(collections.persons),
    clock,
    ids: platformIds,
    // --- paths ---
    paths: pathRepository(collections.paths),
    pathSettings,
    evidencePdf: renderEvidencePack,
  } satisfies Ports;
  return { collections, ports };
}
