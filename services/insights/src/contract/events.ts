// The only room that reads the other services' protobuf events: each message becomes a Fact of the
// figures' model (enum values as lower-case slugs, instants as ISO text). A message that lacks what
// its fact needs (no id) maps to undefined and is skipped: the figures count what they can place.
import type {
  adoptionEventsV1,
  catalogueEventsV1,
  catalogueV1,
  ideasEventsV1,
  selfEmploymentEventsV1,
} from "@lto/contracts";
import type { CommitmentKind, Fact, IdeaState } from "../domain/index.js";
import { levelOf, UNKNOWN } from "../domain/index.js";

/** "ECONOMIC_AREA_AGROALIMENTARE" -> "agroalimentare"; the unspecified value -> "unknown". */
export function slug(value: string | undefined, prefix: string): string {
  const s = (value ?? "").replace(prefix, "").toLowerCase();
  return !s || s === "unspecified" ? UNKNOWN : s;
}

const iso = (t: string | undefined): string => (t ? new Date(t).toISOString() : "");
const num = (v: number | string | undefined): number => Number(v ?? 0);
const level = (c: readonly catalogueV1.CompetenceLevel[]) => levelOf(c.map((x) => x.level));

export function callFact(m: ideasEventsV1.CallCreated | ideasEventsV1.CallUpdated): Fact | undefined {
  if (!m.callId || !m.call) return undefined;
  return {
    type: "call",
    callId: m.callId,
    schoolYear: m.call.schoolYear,
    site: m.call.site,
    title: m.call.title,
    version: num(m.version),
  };
}

export function ideaSubmittedFact(m: ideasEventsV1.IdeaSubmitted): Fact | undefined {
  if (!m.ideaId) return undefined;
  return {
    type: "idea",
    ideaId: m.ideaId,
    state: "submitted",
    version: num(m.version),
    attributes: {
      callId: m.callId,
      area: slug(m.economicArea, "ECONOMIC_AREA_"),
      district: m.district || UNKNOWN,
    },
  };
}

export function ideaPublishedFact(m: ideasEventsV1.IdeaPublished): Fact | undefined {
  if (!m.ideaId || !m.idea) return undefined;
  const publishedAt = iso(m.idea.publishedAt) || iso(m.occurredAt);
  return {
    type: "idea",
    ideaId: m.ideaId,
    state: "published",
    version: num(m.version),
    attributes: {
      callId: m.idea.callId,
      area: slug(m.idea.economicArea, "ECONOMIC_AREA_"),
      district: m.idea.district || UNKNOWN,
    },
    ...(publishedAt ? { publishedAt } : {}),
  };
}

export function ideaStateFact(
  m: ideasEventsV1.IdeaRejected | ideasEventsV1.IdeaWithdrawn | ideasEventsV1.IdeaChangesRequested,
  state: IdeaState,
): Fact | undefined {
  if (!m.ideaId) return undefined;
  return { type: "idea", ideaId: m.ideaId, state, version: num(m.version) };
}

const kindOf = (k: string): CommitmentKind => {
  const s = slug(k, "COMMITMENT_KIND_").replace("kick_off", "kickoff");
  return (
    (["kickoff", "mentoring", "internship", "funding", "equipment"] as const).find((x) => x === s) ?? UNKNOWN
  );
};

export function ideaAdoptedFact(m: adoptionEventsV1.IdeaAdopted): Fact | undefined {
  if (!m.adoptionId || !m.ideaId) return undefined;
  return {
    type: "adopted",
    adoptionId: m.adoptionId,
    ideaId: m.ideaId,
    at: iso(m.occurredAt),
    commitments: m.commitments.map((c) => ({ id: c.id, kind: kindOf(c.kind), promised: num(c.promised) })),
    version: num(m.version),
  };
}

export function adoptionClosedFact(
  m: adoptionEventsV1.AdoptionEnded | adoptionEventsV1.AdoptionCompleted,
  status: "ended" | "completed",
): Fact | undefined {
  if (!m.adoptionId || !m.ideaId) return undefined;
  return {
    type: "adoptionClosed",
    adoptionId: m.adoptionId,
    ideaId: m.ideaId,
    status,
    version: num(m.version),
  };
}

export function commitmentDeliveredFact(m: adoptionEventsV1.CommitmentDelivered): Fact | undefined {
  if (!m.deliveryId || !m.ideaId) return undefined;
  return {
    type: "delivered",
    deliveryId: m.deliveryId,
    adoptionId: m.adoptionId,
    ideaId: m.ideaId,
    kind: kindOf(m.kind),
    quantity: num(m.quantity),
    students: m.studentPseudonyms.length,
    pctoHours: m.pctoHours,
    deliveredOn: m.deliveredOn,
  };
}

export function coursePublishedFact(m: catalogueEventsV1.CoursePublished): Fact | undefined {
  if (!m.courseId || !m.course) return undefined;
  return {
    type: "course",
    courseId: m.courseId,
    audiences: m.course.audiences.map((a) => slug(a, "AUDIENCE_")),
    version: num(m.version),
  };
}

export function enrolmentConfirmedFact(m: catalogueEventsV1.EnrolmentConfirmed): Fact | undefined {
  if (!m.enrolmentId) return undefined;
  return {
    type: "enrolment",
    enrolmentId: m.enrolmentId,
    courseId: m.courseId,
    site: m.site,
    status: "confirmed",
    level: level(m.competences),
    at: iso(m.occurredAt),
    version: num(m.version),
  };
}

export function enrolmentWithdrawnFact(m: catalogueEventsV1.EnrolmentWithdrawn): Fact | undefined {
  if (!m.enrolmentId) return undefined;
  return {
    type: "enrolment",
    enrolmentId: m.enrolmentId,
    courseId: m.courseId,
    site: m.site,
    status: "withdrawn",
    at: iso(m.occurredAt),
    version: num(m.version),
  };
}

export function courseCompletedFact(m: catalogueEventsV1.CourseCompleted): Fact | undefined {
  if (!m.enrolmentId) return undefined;
  return {
    type: "completion",
    enrolmentId: m.enrolmentId,
    courseId: m.courseId,
    site: m.site,
    level: level(m.competences),
    completed: m.outcome === "COMPLETION_OUTCOME_COMPLETED",
    at: iso(m.occurredAt),
  };
}

export function credentialIssuedFact(m: catalogueEventsV1.CredentialIssued): Fact | undefined {
  if (!m.credentialId) return undefined;
  return {
    type: "credential",
    credentialId: m.credentialId,
    courseId: m.courseId,
    site: m.site,
    level: level(m.competences),
    at: iso(m.occurredAt),
  };
}

export function credentialRevokedFact(m: catalogueEventsV1.CredentialRevoked): Fact | undefined {
  if (!m.credentialId) return undefined;
  return { type: "credentialRevoked", credentialId: m.credentialId, courseId: m.courseId };
}

type BookingEvent =
  | selfEmploymentEventsV1.BookingConfirmed
  | selfEmploymentEventsV1.BookingRescheduled
  | selfEmploymentEventsV1.BookingCancelled
  | selfEmploymentEventsV1.NoShowRecorded;

export function bookingFact(m: BookingEvent, status: "booked" | "cancelled" | "no_show"): Fact | undefined {
  if (!m.bookingId || !m.slot) return undefined;
  return {
    type: "booking",
    bookingId: m.bookingId,
    serviceType: m.serviceType,
    site: m.slot.site,
    startsAt: iso(m.slot.startsAt),
    status,
    ...("hours" in m ? { hours: m.hours } : {}),
    version: num(m.version),
  };
}

export function serviceDeliveredFact(m: selfEmploymentEventsV1.ServiceDelivered): Fact | undefined {
  if (!m.bookingId) return undefined;
  return {
    type: "serviceDelivered",
    bookingId: m.bookingId,
    serviceType: m.serviceType,
    site: m.site,
    startedAt: iso(m.startedAt),
    hours: m.hours,
    revision: m.revision,
  };
}
