// The service's database on the platform's aggregate store: courses and sessions, each with its indexes
// (plain and compound only: FerretDB) and the fields kept beside them for the catalogue's filters
// (never read back into the aggregate).
import type { AggregateCollection, AggregateStore } from "@lto/store";
import {
  firstDay,
  lastDay,
  targetLevels,
  type Course,
  type Enrolment,
  type Session,
} from "../domain/index.js";
import type { CredentialRecord, SeatClaim } from "../app/index.js";

export interface CatalogueCollections {
  courses: AggregateCollection<Course>;
  sessions: AggregateCollection<Session>;
  /** Read here for gRPC checks; the credentials module writes them. */
  credentials: AggregateCollection<CredentialRecord & { version: number }>;
  // ---- enrolment and the seat ledger
  enrolments: AggregateCollection<Enrolment>;
  /** The seat ledger: one document per claimed seat, `<session>#<number>`. */
  seats: AggregateCollection<SeatDocument>;
  /** Placement self-assessments: written by the self-check, read for prerequisites. */
  placements: AggregateCollection<PlacementRecord>;
}

export type SeatDocument = SeatClaim & { id: string; version: number };

/** A placement self-assessment: the level a person placed at in one competence of a framework version. */
export interface PlacementRecord {
  id: string;
  personId: string;
  framework: string;
  frameworkVersion: string;
  competence: string;
  level: number;
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
      ],
      derived: {
        fields: ["firstDay", "lastDay"],
        of: (session) => ({ firstDay: firstDay(session), lastDay: lastDay(session) }),
      },
      optional: ["cancellationReason"],
    }),
    credentials: store.aggregates<CredentialRecord & { version: number }>({
      name: "credentials",
      entity: "credential",
      indexes: [{ key: { personId: 1, _id: -1 } }],
    }),
    // ---- enrolment and the seat ledger
    enrolments: store.aggregates<Enrolment>({
      name: "enrolments",
      entity: "enrolment",
      indexes: [
        { key: { sessionId: 1, status: 1, waitingSince: 1 } },
        { key: { personId: 1, createdAt: -1 } },
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
    seats: store.aggregates<SeatDocument>({
      name: "seats",
      entity: "seat",
      indexes: [{ key: { sessionId: 1 } }, { key: { settled: 1, claimedAt: 1 } }],
    }),
    placements: store.aggregates<PlacementRecord>({
      name: "placements",
      entity: "placement",
      indexes: [{ key: { personId: 1, framework: 1, frameworkVersion: 1, competence: 1, at: -1 } }],
    }),
  };
}
