import { schoolYearOf } from "@lto/civil-time";

// The read model: what the figures need to remember of each thing the other services told about,
// keyed by that thing's id, and the pure reducers that fold one fact into it. Every reducer is
// idempotent (the same fact twice changes nothing) and order-tolerant: a state is taken from the
// fact with the highest source version, attributes from any fact that carries them, first dates are
// minima. So a replay interleaved with live delivery (a rebuild) ends in the same record.

export type IdeaState = "draft" | "submitted" | "published" | "rejected" | "withdrawn";
export type AdoptionStatus = "active" | "ended" | "completed";
export type CommitmentKind = "kickoff" | "mentoring" | "internship" | "funding" | "equipment" | "unknown";
export type BookingStatus = "booked" | "cancelled" | "no_show";

export interface CallRecord {
  schoolYear?: string;
  site?: string;
  title?: string;
  sourceVersion: number;
}

export interface IdeaRecord {
  callId?: string;
  area?: string;
  district?: string;
  attrVersion: number;
  state?: IdeaState;
  stateVersion: number;
  /** ISO instant of its first publication: the start of its time to adoption. */
  firstPublishedAt?: string;
}

export interface CommitmentPromise {
  id: string;
  kind: CommitmentKind;
  promised: number;
}

export interface AdoptionRecord {
  ideaId?: string;
  adoptedAt?: string;
  status?: AdoptionStatus;
  statusVersion: number;
  commitments: CommitmentPromise[];
}

export interface DeliveryRecord {
  adoptionId: string;
  ideaId: string;
  kind: CommitmentKind;
  quantity: number;
  students: number;
  /** PCTO hours each named student earned by it. */
  pctoHours: number;
  deliveredOn: string;
}

export interface CourseRecord {
  audiences: string[];
  sourceVersion: number;
}

export interface EnrolmentRecord {
  courseId?: string;
  site?: string;
  level?: string;
  confirmedAt?: string;
  status?: "confirmed" | "withdrawn";
  statusVersion: number;
  completedAt?: string;
  completed?: boolean;
}

export interface CredentialRecord {
  courseId?: string;
  site?: string;
  level?: string;
  issuedAt?: string;
  revoked: boolean;
}

export interface BookingRecord {
  serviceType?: string;
  site?: string;
  startsAt?: string;
  hours?: number;
  slotVersion: number;
  status?: BookingStatus;
  statusVersion: number;
  delivered?: { hours: number; revision: number; site: string; startedAt: string; serviceType: string };
}

/** Every record kind of the model, by the name its collection carries. */
export interface Records {
  calls: CallRecord;
  ideas: IdeaRecord;
  adoptions: AdoptionRecord;
  deliveries: DeliveryRecord;
  courses: CourseRecord;
  enrolments: EnrolmentRecord;
  credentials: CredentialRecord;
  bookings: BookingRecord;
}
export type Kind = keyof Records;
export const KINDS: readonly Kind[] = [
  "calls",
  "ideas",
  "adoptions",
  "deliveries",
  "courses",
  "enrolments",
  "credentials",
  "bookings",
];

/**
 * The school years a dated record counts in (when it was confirmed, completed, issued, booked,
 * delivered), kept beside it so a reader loads one year only. Ideas, adoptions and deliveries count in
 * their call's year, found through the call.
 */
export function schoolYearsOf(kind: Kind, record: Records[Kind]): string[] {
  const dates: Array<string | undefined> = [];
  if (kind === "enrolments") {
    const r = record as EnrolmentRecord;
    dates.push(r.confirmedAt, r.completedAt);
  } else if (kind === "credentials") dates.push((record as CredentialRecord).issuedAt);
  else if (kind === "bookings") {
    const r = record as BookingRecord;
    dates.push(r.startsAt, r.delivered?.startedAt);
  }
  const years = dates.filter((d): d is string => !!d).map((d) => schoolYearOf(new Date(d)));
  return [...new Set(years)].sort();
}

/** The highest level of a course's competences, as the figures label it ("none" without any). */
export function levelOf(levels: readonly number[]): string {
  const top = Math.max(0, ...levels);
  return top > 0 ? String(top) : "none";
}
