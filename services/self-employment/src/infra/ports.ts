// The app's ports on the service's store, composed once: the service (main.ts) and the demo seed
// (`npm run seed`) run the same use cases on the same adapters.
import { platformIds } from "@lto/service-host";
import type { AggregateStore } from "@lto/store";
import type { Clock, Ports } from "../app/index.js";
import type { SelfEmploymentConfig } from "../config.js";
import { busyCalendar, siteOperators } from "./availability-repositories.js";
import { catalogueCredentialCheck } from "./catalogue-client.js";
import { renderEvidencePack } from "./evidence-pdf.js";
import { pathRepository } from "./paths-repositories.js";
import { operatorRepository, personRepository } from "./repositories.js";
import { labHoldCollections, selfEmploymentCollections, type SelfEmploymentCollections } from "./store.js";
import { personLoginRepository } from "./person-logins-repositories.js";
import { courseHoldRepository, labConflictRepository, roomLedger } from "./lab-holds-repositories.js";
import { slotClaims } from "./slot-claims.js";

type Settings = Partial<
  Pick<
    SelfEmploymentConfig,
    | "EXTRA_CLOSED_DAYS"
    | "CATALOGUE_GRPC_ADDRESS"
    | "CATALOGUE_GRPC_DEADLINE_MS"
    | "PATH_DEFAULT_FUNDER"
    | "ADOPTED_TEAM_SITE"
    | "INTERNSHIP_TUTORING_HOURS_PER_PLACE"
  >
>;

/** `settings`: the service's configuration (the seed leaves it out and gets the defaults). */
export function selfEmploymentPorts(store: AggregateStore, clock: Clock, settings: Settings = {}) {
  const collections = selfEmploymentCollections(store);
  // availability and the equipment credential gate
  const credentials = catalogueCredentialCheck(
    settings.CATALOGUE_GRPC_ADDRESS ?? "127.0.0.1:50053",
    settings.CATALOGUE_GRPC_DEADLINE_MS,
  );
  const ports = {
    operators: operatorRepository(collections.operators),
    persons: personRepository(collections.persons),
    clock,
    ids: platformIds,
    siteOperators: siteOperators(collections.operators),
    busy: busyCalendar(),
    credentials,
    calendar: { extraClosedDays: settings.EXTRA_CLOSED_DAYS ?? [] },
    // --- paths ---
    paths: pathRepository(collections.paths),
    pathSettings: {
      defaultFunder: settings.PATH_DEFAULT_FUNDER ?? "lto_diffuso",
      adoptedTeamSite: settings.ADOPTED_TEAM_SITE ?? "lto-mantova",
    },
    evidencePdf: renderEvidencePack,
    ...linkPorts(store, settings, collections.persons),
  } satisfies Ports;
  return { collections, ports, close: () => credentials.close() };
}

// --- links between the four jobs: labs held by course meetings (the shared claim ledger, sessions,
// conflicts), the internship tutoring of adopted teams, persons by their learner account ---
function linkPorts(store: AggregateStore, settings: Settings, persons: SelfEmploymentCollections["persons"]) {
  const { courseHolds, labConflicts } = labHoldCollections(store);
  return {
    roomLedger: roomLedger(slotClaims(store)),
    courseHolds: courseHoldRepository(courseHolds),
    labConflicts: labConflictRepository(labConflicts),
    internshipTutoring: { hoursPerPlace: settings.INTERNSHIP_TUTORING_HOURS_PER_PLACE ?? 10 },
    personLogins: personLoginRepository(persons, store.claims({ name: "learner_accounts" })),
  };
}
