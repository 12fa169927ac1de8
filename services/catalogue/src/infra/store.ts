// The service's database on the platform's aggregate store: courses and sessions, each with its indexes
// (plain and compound only: FerretDB) and the fields kept beside them for the catalogue's filters
// (never read back into the aggregate).
import type { AggregateCollection, AggregateStore, ClaimLedger } from "@lto/store";
import {
  firstDay,
  lastDay,
  skillKeys,
  targetLevels,
  type AttendanceRegister,
  type Course,
  type Enrolment,
  type Session,
} from "../domain/index.js";
import type {
  CompletionRecord,
  ContactRequest,
  PersonalFeed,
  ProfileView,
  Placement,
  SelfCheckRecord,
  StoredCredential,
  TalentProfile,
  TeamIdea,
} from "../app/index.js";

export interface CatalogueCollections {
  courses: AggregateCollection<Course>;
  sessions: AggregateCollection<Session>;
  /** Issued credentials: gRPC checks, the holder's wallet and passport, verification. */
  credentials: AggregateCollection<StoredCredential>;
  // --- suggestions and self-check ---
  /** Ideas and their adoptions as consumed from the ideas and adoption topics (course suggestions). */
  teamIdeas: AggregateCollection<TeamIdea>;
  selfChecks: AggregateCollection<SelfCheckRecord>;
  /**
   * One per person, framework version and competence (the latest self-check): written by the
   * self-check, read by enrolment prerequisites.
   */
  placements: AggregateCollection<Placement>;
  /** Personal calendar feeds, by person: only the hash of each secret token. */
  calendarFeeds: AggregateCollection<PersonalFeed>;
  // --- enrolment and the seat ledger ---
  enrolments: AggregateCollection<Enrolment>;
  /** The seat ledger: one claim per taken seat, key `<session>#<number>`, grouped by session. */
  seats: ClaimLedger<SeatFields>;
  // --- attendance, completion, credentials ---
  attendance: AggregateCollection<AttendanceRegister>;
  completions: AggregateCollection<CompletionRecord>;
  issuerKeys: AggregateCollection<IssuerKeyDocument>;
  statusLists: AggregateCollection<StatusListDocument>;
  passportReads: AggregateCollection<PassportReadDocument>;
  // --- talent profiles and company search ---
  talentProfiles: AggregateCollection<TalentProfile>;
  talentViews: AggregateCollection<ProfileView & { version: number }>;
  contactRequests: AggregateCollection<ContactRequest>;
}

/** What a seat's claim carries besides the ledger's own fields (its session is the claim's group). */
export type SeatFields = { number: number };

/** A placement self-assessment as enrolment prerequisites read it. */
export type PlacementRecord = Placement;

/** The issuer's signing key generated once outside production (id "current"; a private JWK). */
export interface IssuerKeyDocument {
  id: string;
  jwk: Record<string, unknown>;
  createdAt: Date;
  version: number;
}

/** One status list: its bits (encoded), the next index to give, and its signed credential. */
export interface StatusListDocument {
  id: string;
  encodedList: string;
  nextIndex: number;
  jwt: string;
  updatedAt: Date;
  version: number;
}

export interface PassportReadDocument {
  id: string;
  personId: string;
  by: string;
  role: string;
  reason: string;
  at: Date;
  version: number;
}

const COURSE_FILTERS = [
  "state",
  "providerId",
  "audiences",
  "areas",
  "sites",
  "mode",
  "competenceCodes",
  "levels",
  "competenceLevels",
];

/** Registers the service's aggregate collections on `store` (before its relay is created). */
export function catalogueCollections(store: AggregateStore): CatalogueCollections {
  return {
    courses: store.aggregates<Course>({
      name: "courses",
      entity: "course",
      indexes: COURSE_FILTERS.map((field) => ({ key: { [field]: 1 as const, _id: -1 as const } })),
      derived: {
        fields: ["competenceCodes", "levels", "competenceLevels"],
        of: (course) => ({
          competenceCodes: course.competences.map((c) => c.competence),
          levels: targetLevels(course),
          // One competence at one level, so "3.4 at level 5" does not match 3.4@2 + 1.1@5.
          competenceLevels: course.competences.map((c) => `${c.competence}@${c.level}`),
        }),
      },
      optional: ["titleEn", "descriptionEn"],
    }),
    sessions: store.aggregates<Session>({
      name: "sessions",
      entity: "session",
      indexes: [
        { key: { courseId: 1, _id: -1 } },
        { key: { state: 1, firstDay: 1 } },
        { key: { site: 1, firstDay: 1 } },
        { key: { trainerIds: 1 } },
      ],
      derived: {
        fields: ["firstDay", "lastDay", "trainerIds"],
        of: (session) => ({
          firstDay: firstDay(session),
          lastDay: lastDay(session),
          // Whose personal calendar lists the session's meetings as theirs to train.
          trainerIds: [...new Set(session.meetings.flatMap((m) => (m.trainerId ? [m.trainerId] : [])))],
        }),
      },
      optional: ["cancellationReason"],
    }),
    credentials: store.aggregates<StoredCredential>({
      name: "credentials",
      entity: "credential",
      indexes: [{ key: { personId: 1, _id: -1 } }],
    }),
    // --- suggestions and self-check ---
    teamIdeas: store.aggregates<TeamIdea>({
      name: "teamIdeas",
      entity: "idea",
      indexes: [{ key: { teamId: 1, _id: -1 } }, { key: { schoolId: 1, _id: -1 } }],
    }),
    selfChecks: store.aggregates<SelfCheckRecord>({
      name: "selfChecks",
      entity: "self-check",
      indexes: [{ key: { personId: 1, _id: -1 } }],
    }),
    placements: store.aggregates<Placement>({
      name: "placements",
      entity: "placement",
      indexes: [
        { key: { personId: 1, competence: 1 } },
        { key: { personId: 1, framework: 1, frameworkVersion: 1, competence: 1, at: -1 } },
      ],
    }),
    calendarFeeds: store.aggregates<PersonalFeed>({
      name: "calendar_feeds",
      entity: "calendar feed",
      // A presented token is found by its hash; two feeds never share one.
      indexes: [{ key: { tokenHash: 1 }, unique: true }],
    }),
    // --- enrolment and the seat ledger ---
    enrolments: store.aggregates<Enrolment>({
      name: "enrolments",
      entity: "enrolment",
      indexes: [
        { key: { sessionId: 1, status: 1, waitingSince: 1 } },
        { key: { personId: 1, createdAt: -1 } },
        { key: { sessionId: 1, createdAt: 1, _id: 1 } },
        { key: { status: 1, offerExpiresAt: 1 } },
      ],
      optional: [
        "seat",
        "waitingSince",
        "waitingTicket",
        "offerExpiresAt",
        "override",
        "movedFrom",
        "school",
      ],
    }),
    seats: store.claims<SeatFields>({ name: "seats" }),
    // --- attendance, completion, credentials ---
    attendance: store.aggregates<AttendanceRegister>({
      name: "attendance",
      entity: "attendance register",
      indexes: [{ key: { sessionId: 1 } }, { key: { "entries.personId": 1 } }],
    }),
    completions: store.aggregates<CompletionRecord>({
      name: "completions",
      entity: "completion",
      indexes: [{ key: { "outcomes.personId": 1 } }],
    }),
    issuerKeys: store.aggregates<IssuerKeyDocument>({ name: "issuer_keys", entity: "issuer key" }),
    statusLists: store.aggregates<StatusListDocument>({ name: "status_lists", entity: "status list" }),
    passportReads: store.aggregates<PassportReadDocument>({
      name: "passport_reads",
      entity: "passport read",
      indexes: [{ key: { personId: 1 } }],
    }),
    // --- talent profiles and company search ---
    talentProfiles: store.aggregates<TalentProfile>({
      name: "talent_profiles",
      entity: "talent profile",
      indexes: [
        { key: { personId: 1 }, unique: true },
        { key: { skillKeys: 1, _id: -1 } },
        { key: { district: 1, _id: -1 } },
        { key: { areas: 1, _id: -1 } },
      ],
      derived: { fields: ["skillKeys"], of: (profile) => ({ skillKeys: skillKeys(profile.entries) }) },
    }),
    talentViews: store.aggregates<ProfileView & { version: number }>({
      name: "talent_views",
      entity: "profile view",
      indexes: [{ key: { personId: 1, _id: -1 } }],
    }),
    contactRequests: store.aggregates<ContactRequest>({
      name: "contact_requests",
      entity: "contact request",
      indexes: [
        { key: { personId: 1, _id: -1 } },
        { key: { companyId: 1, _id: -1 } },
        // One pending request per company and profile, even when two are sent at once.
        { key: { openKey: 1 }, unique: true },
      ],
      derived: {
        fields: ["openKey"],
        of: (r) => ({ openKey: r.state === "pending" ? `pending|${r.profileId}|${r.companyId}` : r.id }),
      },
      optional: ["decidedAt", "contact"],
    }),
  };
}
