// The app's ports on the service's store, composed once: the service (main.ts) and the demo seed
// (`npm run seed`) run the same use cases on the same adapters.
import { platformIds } from "@lto/service-host";
import type { AggregateStore } from "@lto/store";
import type { Clock, Ports } from "../app/index.js";
import type { CatalogueConfig } from "../config.js";
import { calendarPorts } from "./calendar-repositories.js";
import { credentialPorts } from "./credential-repositories.js";
import { enrolmentPorts } from "./enrolment-repositories.js";
import { catalogueRepositories } from "./repositories.js";
import { catalogueCollections } from "./store.js";
import { suggestRepositories } from "./suggest-repositories.js";
import { talentPorts } from "./talent-repositories.js";

export function cataloguePorts(store: AggregateStore, config: CatalogueConfig, clock: Clock) {
  const collections = catalogueCollections(store);
  const ports = {
    ...catalogueRepositories(collections),
    ...suggestRepositories(collections),
    clock,
    ids: platformIds,
    calendars: calendarPorts(collections),
    ...credentialPorts(store, collections, {
      publicBaseUrl: config.PUBLIC_BASE_URL,
      issuerName: config.ISSUER_NAME,
      ...(config.ISSUER_JWK ? { issuerJwk: config.ISSUER_JWK } : {}),
      now: () => clock.now(),
      newId: () => platformIds.newId(),
    }),
    ...enrolmentPorts(collections),
    ...talentPorts(collections),
    enrolmentSettings: {
      offerHours: config.SEAT_OFFER_HOURS,
      withdrawalHoursBefore: config.WITHDRAWAL_HOURS_BEFORE,
      waitlist: config.WAITLIST,
      seatGraceMs: config.SEAT_GRACE_MS,
    },
  } satisfies Ports;
  return { collections, ports };
}
