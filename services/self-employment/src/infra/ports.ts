// The app's ports on the service's store, composed once: the service (main.ts) and the demo seed
// (`npm run seed`) run the same use cases on the same adapters.
import { DEFAULT_MAIL_FROM, mailOutbox, type MailConfig } from "@lto/mail";
import { platformIds } from "@lto/service-host";
import { createLogger, type Logger } from "@lto/telemetry";
import type { AggregateStore } from "@lto/store";
import type { Clock, Ports } from "../app/index.js";
import type { SelfEmploymentConfig } from "../config.js";
import { siteOperators } from "./availability-repositories.js";
import {
  bookingRepository,
  ledgerBusyCalendar,
  sharedSiteOperators,
  slotLedger,
} from "./booking-repositories.js";
import { calendarFeedPorts } from "./calendar-repositories.js";
import { catalogueCredentialCheck } from "./catalogue-client.js";
import { renderEvidencePack } from "./evidence-pdf.js";
import { pathRepository } from "./paths-repositories.js";
import { bookingMailer, bookingReminderRepository } from "./reminder-repositories.js";
import { operatorRepository, personRepository } from "./repositories.js";
import {
  bookingCollection,
  labHoldCollections,
  selfEmploymentCollections,
  type SelfEmploymentCollections,
} from "./store.js";
import { personLoginRepository } from "./person-logins-repositories.js";
import { courseHoldRepository, labConflictRepository, roomLedger } from "./lab-holds-repositories.js";
import { slotClaims } from "./slot-claims.js";
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
    | keyof MailConfig
    | "MAIL_SENDER_EVERY_MS"
    | "MAIL_REPLY_TO"
    | "CALENDAR_FEED_BASE_URL"
    | "CALENDAR_FEED_KEY"
    | "CALENDAR_FEED_CANCELLED_DAYS"
    | "CALENDAR_FEED_PAST_DAYS"
    | "CALENDAR_ORGANIZER_EMAIL"
    | "INTERNSHIP_TUTORING_HOURS_PER_PLACE"
    | "BOOKING_CLAIM_GRACE_MS"
    | "WAITLIST_OFFER_HOURS"
  >
>;

/**
 * `settings`: the service's configuration (the seed leaves it out and gets the defaults); `logger`:
 * the service's (what the mail outbox and the reminders report).
 */
export function selfEmploymentPorts(
  store: AggregateStore,
  clock: Clock,
  settings: Settings = {},
  logger: Logger = createLogger("self-employment", { level: "silent" }),
) {
  const collections = selfEmploymentCollections(store);
  // --- reminders: the service's mail outbox (its sender is a periodic job of the host) ---
  const mail = mailOutbox(
    store,
    { ...settings, SERVICE_NAME: "self-employment", MAIL_FROM: settings.MAIL_FROM ?? DEFAULT_MAIL_FROM },
    clock,
    { logger, everyMs: settings.MAIL_SENDER_EVERY_MS ?? 5000 },
  );
  // --- bookings: the bookings collection and the slot_claims ledger (availability reads it) ---
  const bookingsCollection = bookingCollection(store);
  const slots = slotLedger(slotClaims(store));
  const bookingParts = {
    bookings: bookingRepository(bookingsCollection),
    slots,
    bookingSettings: { claimGraceMs: settings.BOOKING_CLAIM_GRACE_MS ?? 60_000 },
  };
  // availability and the equipment credential gate
  const credentials = catalogueCredentialCheck(
    settings.CATALOGUE_GRPC_ADDRESS ?? "127.0.0.1:9083",
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
    // --- reminders ---
    mailer: bookingMailer(mail, settings.MAIL_FROM ?? DEFAULT_MAIL_FROM, {
      ...(settings.MAIL_REPLY_TO ? { replyTo: settings.MAIL_REPLY_TO } : {}),
    }),
    bookingReminders: bookingReminderRepository(collections.bookingReminders),
    reminderLog: logger,
    // --- calendar feeds ---
    ...calendarFeedPorts(collections, {
      ...(settings.CALENDAR_FEED_KEY ? { key: settings.CALENDAR_FEED_KEY } : {}),
      now: () => clock.now(),
    }),
    calendarFeedSettings: {
      cancelledDays: settings.CALENDAR_FEED_CANCELLED_DAYS ?? 30,
      pastDays: settings.CALENDAR_FEED_PAST_DAYS ?? 90,
      organizerEmail: settings.CALENDAR_ORGANIZER_EMAIL ?? "appuntamenti@lto-mantova.it",
      ...(settings.CALENDAR_FEED_BASE_URL ? { baseUrl: settings.CALENDAR_FEED_BASE_URL } : {}),
    },
    ...linkPorts(store, settings, collections.persons),
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
    mail,
    close: async () => {
      await credentials.close();
      await mail.close();
    },
  };
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
