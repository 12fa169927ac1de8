// The app's ports on the service's store, composed once: the service (main.ts) and the demo seed
// (`npm run seed`) run the same use cases on the same adapters.
import { platformIds } from "@lto/service-host";
import type { AggregateStore } from "@lto/store";
import type { Clock, Ports } from "../app/index.js";
import type { SelfEmploymentConfig } from "../config.js";
import { siteOperators } from "./availability-repositories.js";
import { bookingCollection, slotClaimLedger } from "./store.js";
import {
  bookingRepository,
  ledgerBusyCalendar,
  sharedSiteOperators,
  slotLedger,
} from "./booking-repositories.js";
import { catalogueCredentialCheck } from "./catalogue-client.js";
import { renderEvidencePack } from "./evidence-pdf.js";
import { pathRepository } from "./paths-repositories.js";
import { operatorRepository, personRepository } from "./repositories.js";
import { selfEmploymentCollections } from "./store.js";
import { claimReleases } from "./booking-changes-repositories.js";
import { waitlistOfferRepository, waitlistRepository } from "./waitlist-repositories.js";

type Settings = Partial<
  Pick<
    SelfEmploymentConfig,
    | "EXTRA_CLOSED_DAYS"
    | "CATALOGUE_GRPC_ADDRESS"
    | "CATALOGUE_GRPC_DEADLINE_MS"
    | "PATH_DEFAULT_FUNDER"
    | "ADOPTED_TEAM_SITE"
    | "BOOKING_CLAIM_GRACE_MS"
    | "WAITLIST_OFFER_HOURS"
  >
>;

/** `settings`: the service's configuration (the seed leaves it out and gets the defaults). */
export function selfEmploymentPorts(store: AggregateStore, clock: Clock, settings: Settings = {}) {
  const collections = selfEmploymentCollections(store);
  // --- bookings: the bookings collection and the slot_claims ledger (availability reads it) ---
  const bookingsCollection = bookingCollection(store);
  const slots = slotLedger(slotClaimLedger(store));
  const bookingParts = {
    bookings: bookingRepository(bookingsCollection),
    slots,
    bookingSettings: { claimGraceMs: settings.BOOKING_CLAIM_GRACE_MS ?? 60_000 },
  };
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
    siteOperators: sharedSiteOperators(siteOperators(collections.operators)),
    busy: ledgerBusyCalendar(slots, bookingsCollection),
    credentials,
    calendar: { extraClosedDays: settings.EXTRA_CLOSED_DAYS ?? [] },
    // --- paths ---
    paths: pathRepository(collections.paths),
    pathSettings: {
      defaultFunder: settings.PATH_DEFAULT_FUNDER ?? "lto_diffuso",
      adoptedTeamSite: settings.ADOPTED_TEAM_SITE ?? "lto-mantova",
    },
    evidencePdf: renderEvidencePack,
    ...bookingParts,
    // --- waitlist and booking changes ---
    waitlist: waitlistRepository(collections.waitlist),
    offers: waitlistOfferRepository(collections.waitlistOffers),
    waitlistSettings: { offerHours: settings.WAITLIST_OFFER_HOURS ?? 24 },
    claimReleases: claimReleases(collections.claimReleases),
  } satisfies Ports;
  return {
    collections: { ...collections, bookings: bookingsCollection },
    ports,
    close: () => credentials.close(),
  };
}
