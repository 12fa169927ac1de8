// What the use cases need from the outside world; infra implements these.
import type { CalendarEvent, CalendarFeed } from "@lto/calendar";
import type { LocalDate } from "@lto/civil-time";
import type {
  Booking,
  BookingPlace,
  BookingReminderState,
  BookingStatus,
  BusyInterval,
  CalendarEntry,
  ClaimKind,
  CourseSessionHolds,
  FeedWindow,
  LabConflict,
  CredentialRequirement,
  Delivery,
  Operator,
  Path,
  Person,
  PersonRegistered,
  TimesheetLine,
  ToldOfChanges,
  WaitlistEntry,
  WaitlistEntryStatus,
  WaitlistOffer,
} from "../domain/index.js";

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** Time-ordered ids (UUIDv7), so "newest first" is id order. */
  newId(): string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * Operators. `update` fails with PreconditionFailedError when the stored version moved on, NotFoundError
 * when the operator is gone.
 */
export interface OperatorRepository {
  get(id: string): Promise<Operator | undefined>;
  /** The operators working at a site, newest first. */
  listBySite(site: string, page: { cursor?: string; limit: number }): Promise<Page<Operator>>;
  insert(operator: Operator): Promise<void>;
  update(operator: Operator): Promise<Operator>;
}

/**
 * Persons, written with their events in one update (the outbox). `insert` answers false when the
 * codice fiscale (or the id) is taken: one person per codice fiscale, even for racing registrations.
 */
export interface PersonRepository {
  get(id: string): Promise<Person | undefined>;
  byCodiceFiscale(codiceFiscale: string): Promise<Person | undefined>;
  listBySite(site: string, page: { cursor?: string; limit: number }): Promise<Page<Person>>;
  insert(person: Person, events: PersonRegistered[]): Promise<boolean>;
}

/** Everything the use cases need: the parts below, by area. */
export interface Ports
  extends
    AvailabilityPorts,
    BookingPorts,
    WaitlistPorts,
    BookingChangePorts,
    ReminderPorts,
    CalendarFeedPorts,
    LinkPorts {
  operators: OperatorRepository;
  persons: PersonRepository;
  clock: Clock;
  ids: IdGenerator;
  paths: PathRepository;
  pathSettings: PathSettings;
  evidencePdf: EvidencePackRenderer;
  calendarFeedSettings: CalendarFeedSettings;
}

// --- paths ---

/** A path's change and the events it publishes (mapped to the contract by infra). */
export type PathEvent =
  { type: "PathOpened"; path: Path } | { type: "ServiceDelivered"; path: Path; delivery: Delivery };

/**
 * Paths, one per holder (a person, or an adopted team): `insert` answers false when the holder has one
 * already; `update` fails with PreconditionFailedError on a stale version, NotFoundError when gone.
 * `eventId` makes a consumer's write idempotent (recorded in the same write).
 */
export interface PathRepository {
  get(id: string): Promise<Path | undefined>;
  byHolder(holderId: string): Promise<Path | undefined>;
  insert(path: Path, events: PathEvent[], eventId?: string): Promise<boolean>;
  update(path: Path, events: PathEvent[], eventId?: string): Promise<Path>;
  hasProcessed(id: string, eventId: string): Promise<boolean>;
  markProcessed(id: string, eventId: string): Promise<void>;
  /** Paths held at `sites` (every site when undefined), for the reports. */
  atSites(sites: readonly string[] | undefined): Promise<Path[]>;
  /** The path that records booking `bookingId` (the claim sweeper's way from a claim to its path). */
  withBooking(bookingId: string): Promise<Path | undefined>;
}

/** A path's timesheet made printable for funders (the evidence pack). */
export interface EvidencePack {
  pathId: string;
  holderId: string;
  siteName: string;
  funder: string;
  lines: TimesheetLine[];
  deliveredHours: number;
  signedHours: number;
  madeAt: Date;
}

export type EvidencePackRenderer = (pack: EvidencePack) => Promise<Uint8Array>;

export interface PathSettings {
  defaultFunder: string;
  adoptedTeamSite: string;
}

// --- availability and the equipment credential gate ---

/**
 * What is already taken in operators' calendars, for availability. Bookings come with the next wave:
 * until then the store answers nothing taken; the booking wave fills both methods from its claims
 * (no signature change needed).
 */
export interface BusyCalendar {
  /** Per operator id: the busy intervals (bookings with their buffers, held slots) meeting `range`. */
  busyIntervals(
    operatorIds: readonly string[],
    range: { start: Date; end: Date },
  ): Promise<Record<string, BusyInterval[]>>;
  /** Per operator id and civil day (Europe/Rome) of [from, to]: the bookings made (for the daily cap). */
  bookingsPerDay(
    operatorIds: readonly string[],
    days: { from: LocalDate; to: LocalDate },
  ): Promise<Record<string, Record<LocalDate, number>>>;
}

/** The operators that work at a site (all of them: a site has a handful). */
export interface SiteOperators {
  atSite(site: string): Promise<Operator[]>;
}

/** The catalogue's answer: whether the person holds the credential, and the best one that does. */
export interface CredentialAnswer {
  satisfied: boolean;
  credentialId?: string;
  level?: number;
}

/**
 * The catalogue service's CheckCredential, asked fresh every time (never cached: a revocation counts at
 * once). `learnerSubject` is the person's learner account (the subject the catalogue knows them by);
 * `bearerToken` the caller's, so the catalogue applies its own read rules. Throws UnavailableError
 * when the catalogue does not answer in time.
 */
export interface CredentialCheck {
  check(
    learnerSubject: string,
    requirement: CredentialRequirement,
    bearerToken: string,
  ): Promise<CredentialAnswer>;
}

/** Days every site closes besides its own policy (EXTRA_CLOSED_DAYS: "MM-DD" or "YYYY-MM-DD"). */
export interface CalendarSettings {
  extraClosedDays: readonly string[];
}

export interface AvailabilityPorts {
  siteOperators: SiteOperators;
  busy: BusyCalendar;
  credentials: CredentialCheck;
  calendar: CalendarSettings;
}

// --- reminders: e-mails about bookings, from the service's own mail outbox ---

/** One e-mail about a booking, ready for the outbox; infra attaches `calendar` as an .ics invitation. */
export interface BookingMail {
  /** Names the fact (`booking-<id>-v<version>-<kind>`, `reminder-<id>-s<sequence>`): stored once. */
  id: string;
  to: string[];
  subject: string;
  text: string;
  calendar: CalendarEvent;
  notBefore?: Date;
}

/**
 * The service's mail outbox. `enqueue` answers false when the id is stored already (the first one
 * stands); `cancel` withdraws a pending mail and answers its status afterwards ("sending": an attempt
 * is under way and may still arrive; undefined: never enqueued).
 */
export interface BookingMailer {
  readonly from: { name: string; email: string };
  enqueue(mail: BookingMail): Promise<boolean>;
  cancel(id: string): Promise<string | undefined>;
}

/** Per booking, what the reminders applied: `save` fails with PreconditionFailedError when it moved on. */
export interface BookingReminderRepository {
  get(bookingId: string): Promise<BookingReminderState | undefined>;
  save(state: BookingReminderState): Promise<void>;
}

/** What the reminders say without sending (a booking nobody can be told about), for the service's log. */
export interface ReminderLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface ReminderPorts {
  mailer: BookingMailer;
  bookingReminders: BookingReminderRepository;
  reminderLog: ReminderLog;
}

// --- calendar feeds ---

/**
 * The feeds' read model: one entry per booking, from the service's own booking events. `insert`
 * answers false when the entry exists already, `replace` false when it moved on from
 * `previousVersion` meanwhile (the caller reads it again).
 */
export interface CalendarEntryRepository {
  get(bookingId: string): Promise<CalendarEntry | undefined>;
  insert(entry: CalendarEntry): Promise<boolean>;
  replace(entry: CalendarEntry, previousVersion: number): Promise<boolean>;
  /** The entries of an operator, or of a person, ending at or after `since`. */
  ofOperator(operatorId: string, since: Date): Promise<CalendarEntry[]>;
  ofPerson(personId: string, since: Date): Promise<CalendarEntry[]>;
}

export type FeedOwnerKind = "operator" | "person";

/** A feed's secret link: only the hash of its token and its generation (rotating raises it). */
export interface CalendarFeedLink {
  /** `<kind>:<owner id>`. */
  id: string;
  kind: FeedOwnerKind;
  ownerId: string;
  generation: number;
  tokenHash: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** Feed links: `insert` false when one exists already, `update` false when it changed meanwhile. */
export interface CalendarFeedLinks {
  get(id: string): Promise<CalendarFeedLink | undefined>;
  insert(link: CalendarFeedLink): Promise<boolean>;
  update(link: CalendarFeedLink): Promise<boolean>;
}

/** The secret of a feed's link for a generation: the same each time asked (derived from the service's key). */
export interface CalendarFeedTokens {
  token(feedId: string, generation: number): Promise<{ token: string; hash: string }>;
}

/** A feed as iCalendar text (RFC 5545, METHOD:PUBLISH); one event as an iTIP message (RFC 5546). */
export interface CalendarText {
  render(feed: CalendarFeed, generatedAt: Date): string;
  message(event: CalendarEvent, generatedAt: Date): { method: "REQUEST" | "CANCEL"; text: string };
}

export interface CalendarFeedSettings extends FeedWindow {
  /** The public base of feed links (default: the address the request came to). */
  baseUrl?: string;
  /** Who sends invitations when the operator has no e-mail on record (the site's name with it). */
  organizerEmail: string;
}

export interface CalendarFeedPorts {
  calendarEntries: CalendarEntryRepository;
  calendarFeedLinks: CalendarFeedLinks;
  calendarFeedTokens: CalendarFeedTokens;
  calendarText: CalendarText;
}

// --- links between the four jobs: labs held by catalogue course meetings (SessionScheduled /
// Rescheduled / Cancelled), internship tutoring of adopted teams, persons linked to logins ---

/** What a holder could not take: the key and who holds it. */
export interface HeldKey {
  key: string;
  holderId: string;
}

/**
 * The room units of the store's claim ledger (the one bookings claim in): `hold` takes each free key
 * for the holder, settled at once, and answers the keys others hold (a key this holder holds already
 * counts as taken by it); `release` frees those of `keys` the holder holds.
 */
export interface RoomLedger {
  hold(keys: readonly string[], holder: { holderId: string; claim: string; at: Date }): Promise<HeldKey[]>;
  release(keys: readonly string[], holderId: string): Promise<void>;
}

/** One record per catalogue session: its meetings and the keys each holds. */
export interface CourseSessionHoldRepository {
  get(sessionId: string): Promise<CourseSessionHolds | undefined>;
  /** False when the session has a record already. */
  insert(record: CourseSessionHolds): Promise<boolean>;
  /** The record as stored, or undefined when the stored version moved on. */
  updateIf(record: CourseSessionHolds, expectedVersion: number): Promise<CourseSessionHolds | undefined>;
}

/** Lab conflicts: `insert` false when one of that id exists; `update` 412 on a stale version. */
export interface LabConflictRepository {
  get(id: string): Promise<LabConflict | undefined>;
  insert(conflict: LabConflict): Promise<boolean>;
  update(conflict: LabConflict): Promise<LabConflict>;
  openOfSession(sessionId: string): Promise<LabConflict[]>;
  listBySite(
    site: string,
    page: { status?: "open" | "resolved"; cursor?: string; limit: number },
  ): Promise<Page<LabConflict>>;
}

/** The internship tutoring an adopted team's path plans per internship place its sponsor promised. */
export interface InternshipTutoringSettings {
  hoursPerPlace: number;
}

/** A learner account's claim in the store: its person, the attempt, whether the person was stored. */
export interface AccountClaim {
  holderId: string;
  claim: string;
  settled: boolean;
  claimedAt: Date;
}

/**
 * Persons as their logins see them: one person per learner account, the account claimed in the store
 * (`claim` answers the claim that holds it when another does: undefined when this attempt took it).
 */
export interface PersonLoginRepository {
  get(personId: string): Promise<Person | undefined>;
  byLearnerSubject(subject: string): Promise<Person | undefined>;
  /** The person as stored, or undefined when the stored version moved on. */
  update(person: Person, expectedVersion: number): Promise<Person | undefined>;
  claim(
    subject: string,
    holder: { holderId: string; claim: string; at: Date },
  ): Promise<AccountClaim | undefined>;
  settle(subject: string, claim: string): Promise<void>;
  /** Gives the account back: what the person holds of it, or one attempt's claim. */
  release(subject: string, by: { personId: string } | { claim: string }): Promise<void>;
}

export interface LinkPorts {
  roomLedger: RoomLedger;
  courseHolds: CourseSessionHoldRepository;
  labConflicts: LabConflictRepository;
  internshipTutoring: InternshipTutoringSettings;
  personLogins: PersonLoginRepository;
}

// --- bookings ---

/** A booking's change and the events it publishes (mapped to the contract by infra). */
export type BookingEvent =
  | { type: "BookingConfirmed"; booking: Booking; by: string; at: Date }
  | {
      type: "BookingRescheduled";
      booking: Booking;
      previous: BookingPlace;
      by: string;
      at: Date;
      /** Who is told of it (notifications); set when the change is written. */
      told?: ToldOfChanges;
    }
  | { type: "BookingCancelled"; booking: Booking; by: string; at: Date; told?: ToldOfChanges }
  | { type: "NoShowRecorded"; booking: Booking; by: string; at: Date };

export interface BookingQuery {
  site?: string;
  /** Bookings starting at or after `from` and before `to`. */
  from?: Date;
  to?: Date;
  operatorId?: string;
  personId?: string;
  status?: BookingStatus;
}

/**
 * Bookings, written with their events in one update (the outbox). `insert` answers false when the id
 * is taken; `update` fails with PreconditionFailedError on a stale version, NotFoundError when gone.
 */
export interface BookingRepository {
  get(id: string): Promise<Booking | undefined>;
  insert(booking: Booking, events: BookingEvent[]): Promise<boolean>;
  update(booking: Booking, events: BookingEvent[]): Promise<Booking>;
  /** Ordered by start, then id (the platform cursor). */
  page(query: BookingQuery, page: { cursor?: string; limit: number }): Promise<Page<Booking>>;
  /** The confirmed bookings of a group session. */
  ofGroupSession(groupSession: string): Promise<Booking[]>;
  /** The group sessions of a service with its operators starting in the range, with their seats taken. */
  groupSessions(
    serviceCode: string,
    operatorIds: readonly string[],
    range: { start: Date; end: Date },
  ): Promise<GroupSessionSeats[]>;
}

export interface GroupSessionSeats {
  groupSession: string;
  operatorId: string;
  start: Date;
  end: Date;
  roomId?: string;
  seatsTaken: number;
}

/** One claim of the slot ledger as the use cases see it. */
export interface SlotClaim {
  key: string;
  holderId: string;
  claim: string;
  claimedAt: Date;
  settled: boolean;
  group?: string;
  roomId?: string;
}

/**
 * The slot_claims ledger: every timed resource's 5-minute units (operator, room, equipment) and group
 * seats, each key taken by one holder at most, in the store (so across instances). `claimAll` is
 * all-or-nothing and names the first key found taken; settle and release touch one attempt's claims.
 */
export interface SlotLedger {
  claimAll(
    keys: readonly string[],
    holder: { holderId: string; claim: string; at: Date },
    group?: string,
    /** A group session's room, kept on each of its claims (so a joiner reads it from any one). */
    roomId?: string,
  ): Promise<{ ok: true } | { ok: false; taken: string }>;
  settle(keys: readonly string[], claim: string): Promise<number>;
  release(keys: readonly string[], by: { claim: string } | { holderId: string }): Promise<number>;
  holdersOf(keys: readonly string[]): Promise<SlotClaim[]>;
  /** Per resource id: the busy intervals of its units of `kind` meeting `range` (any claim, settled or not). */
  busy(
    kind: ClaimKind,
    ids: readonly string[],
    range: { start: Date; end: Date },
  ): Promise<Record<string, BusyInterval[]>>;
  /** The claims of a group (a group session's seats and its own units). */
  ofGroup(group: string): Promise<SlotClaim[]>;
  /** Unsettled claims made at or before `before`, oldest first (for the sweeper). */
  unsettled(before: Date, limit: number): Promise<SlotClaim[]>;
}

export interface BookingSettings {
  /** How long a claim may stay unsettled before the sweeper asks its holder (a booking in flight is younger). */
  claimGraceMs: number;
}

export interface BookingPorts {
  bookings: BookingRepository;
  slots: SlotLedger;
  bookingSettings: BookingSettings;
}

// --- waitlist ---

/** The event a waitlist change publishes (mapped to the contract by infra). */
export type WaitlistEvent = { type: "WaitlistOffered"; offer: WaitlistOffer; by: string; at: Date };

/**
 * Waitlist entries. `insert` answers false when the person is waiting on that list already (a racing
 * join); `update` fails with PreconditionFailedError on a stale version.
 */
export interface WaitlistEntryRepository {
  get(id: string): Promise<WaitlistEntry | undefined>;
  getMany(ids: readonly string[]): Promise<WaitlistEntry[]>;
  /** The person's entry still waiting on the list of `serviceCode` at `site`. */
  waitingOf(personId: string, serviceCode: string, site: string): Promise<WaitlistEntry | undefined>;
  insert(entry: WaitlistEntry): Promise<boolean>;
  update(entry: WaitlistEntry): Promise<WaitlistEntry>;
  /** The first `limit` entries waiting on a list, in line order. */
  inLine(serviceCode: string, site: string, limit: number): Promise<WaitlistEntry[]>;
  /** A list's entries with `status`, in line order, paged. */
  page(
    list: { serviceCode: string; site: string; status: WaitlistEntryStatus },
    page: { cursor?: string; limit: number },
  ): Promise<Page<WaitlistEntry>>;
}

/**
 * Offers of freed slots. `insert` answers false when that round of that freed slot was offered already
 * (a redelivered cancellation, a racing forward): one offer per round.
 */
export interface WaitlistOfferRepository {
  get(id: string): Promise<WaitlistOffer | undefined>;
  insert(offer: WaitlistOffer, events: WaitlistEvent[]): Promise<boolean>;
  /** undefined when the stored offer moved on. */
  updateIf(offer: WaitlistOffer): Promise<WaitlistOffer | undefined>;
  /** Pending offers of these entries. */
  pendingOf(entryIds: readonly string[]): Promise<WaitlistOffer[]>;
  /** Pending offers past their deadline, oldest deadline first. */
  expired(now: Date, limit: number): Promise<WaitlistOffer[]>;
  /** Ended offers whose slot has not gone on yet. */
  toForward(limit: number): Promise<WaitlistOffer[]>;
  /** Offers accepted at or before `before` whose booking was not seen written. */
  acceptedUnbooked(before: Date, limit: number): Promise<WaitlistOffer[]>;
}

export interface WaitlistSettings {
  /** How long an offer stays open (never past the slot's start minus its minimum notice). */
  offerHours: number;
}

export interface WaitlistPorts {
  waitlist: WaitlistEntryRepository;
  offers: WaitlistOfferRepository;
  waitlistSettings: WaitlistSettings;
}

// --- booking changes ---

/** Keys a booking is to give back once its change is written (a reschedule's old slot, a cancellation's). */
export interface ClaimReleaseRecord {
  id: string;
  holderId: string;
  keys: string[];
  at: Date;
}

/**
 * Written before the booking's change and removed once the keys are back, so the sweep finishes what
 * a crash interrupted (giving back only what the booking no longer holds).
 */
export interface ClaimReleases {
  record(r: ClaimReleaseRecord): Promise<void>;
  done(id: string): Promise<void>;
  olderThan(before: Date, limit: number): Promise<ClaimReleaseRecord[]>;
}

export interface BookingChangePorts {
  claimReleases: ClaimReleases;
}
