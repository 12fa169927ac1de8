// The other services' events as this service's facts: the only room that knows the wire. An event that
// breaks its contract (an empty id, a time that is not one) is parked on the DLQ, never applied.
import type {
  adoptionEventsV1,
  catalogueEventsV1,
  gatewayEventsV1,
  selfEmploymentEventsV1,
} from "@lto/contracts";
import { assertContract, type ReceivedEvent } from "@lto/messaging";
import type { AccountActivation, DeclineReason, DeliveryKind, Fact } from "../domain/index.js";

class Checked {
  readonly problems: string[] = [];
  constructor(private readonly event: ReceivedEvent<unknown>) {}
  id(name: string, value: string): string {
    if (!value) this.problems.push(`${name} is empty`);
    return value;
  }
  instant(name: string, value: string | undefined, fallback?: Date): Date {
    if (value === undefined || value === "") {
      if (fallback) return fallback;
      this.problems.push(`${name} is missing`);
      return new Date(0);
    }
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) this.problems.push(`${name} is not a time`);
    return at;
  }
  done<T>(value: T): T {
    assertContract(this.event, this.problems);
    return value;
  }
}

const DECLINE_REASONS: Record<adoptionEventsV1.OfferDeclineReason, DeclineReason> = {
  OFFER_DECLINE_REASON_UNSPECIFIED: "unspecified",
  OFFER_DECLINE_REASON_DECLINED_BY_SCHOOL: "declined_by_school",
  OFFER_DECLINE_REASON_ANOTHER_OFFER_ACCEPTED: "another_offer_accepted",
  OFFER_DECLINE_REASON_IDEA_WITHDRAWN: "idea_withdrawn",
  OFFER_DECLINE_REASON_WITHDRAWN_BY_COMPANY: "withdrawn_by_company",
  OFFER_DECLINE_REASON_IDEA_NOT_ADOPTABLE: "idea_not_adoptable",
  UNRECOGNIZED: "unspecified",
} as Record<adoptionEventsV1.OfferDeclineReason, DeclineReason>;

const DELIVERY_KINDS: Record<string, DeliveryKind> = {
  COMMITMENT_KIND_KICK_OFF: "kickoff",
  COMMITMENT_KIND_MENTORING: "mentoring",
  COMMITMENT_KIND_INTERNSHIP: "internship",
  COMMITMENT_KIND_FUNDING: "funding",
  COMMITMENT_KIND_EQUIPMENT: "equipment",
};

// --- adoption ---
export function adoptionOfferedFact(e: ReceivedEvent<adoptionEventsV1.AdoptionOffered>): Fact {
  const c = new Checked(e);
  const d = e.data;
  return c.done({
    type: "AdoptionOffered",
    offerId: c.id("offer_id", d.offerId),
    ideaId: c.id("idea_id", d.ideaId),
    schoolId: c.id("school_id", d.schoolId),
    companyId: c.id("company_id", d.companyId),
    companyName: d.companyName,
    at: c.instant("occurred_at", d.occurredAt, e.time),
  });
}

export function offerDeclinedFact(e: ReceivedEvent<adoptionEventsV1.OfferDeclined>): Fact {
  const c = new Checked(e);
  const d = e.data;
  return c.done({
    type: "OfferDeclined",
    offerId: c.id("offer_id", d.offerId),
    ideaId: c.id("idea_id", d.ideaId),
    schoolId: c.id("school_id", d.schoolId),
    companyId: c.id("company_id", d.companyId),
    reason: DECLINE_REASONS[d.reason] ?? "unspecified",
    detail: d.reasonDetail,
    at: c.instant("occurred_at", d.occurredAt, e.time),
  });
}

export function ideaAdoptedFact(e: ReceivedEvent<adoptionEventsV1.IdeaAdopted>): Fact {
  const c = new Checked(e);
  const d = e.data;
  return c.done({
    type: "IdeaAdopted",
    adoptionId: c.id("adoption_id", d.adoptionId),
    offerId: d.offerId,
    ideaId: c.id("idea_id", d.ideaId),
    schoolId: d.schoolId,
    companyId: c.id("company_id", d.companyId),
    at: c.instant("occurred_at", d.occurredAt, e.time),
  });
}

export function deliveryLoggedFact(e: ReceivedEvent<adoptionEventsV1.DeliveryLogged>): Fact {
  const c = new Checked(e);
  const d = e.data;
  return c.done({
    type: "DeliveryLogged",
    adoptionId: c.id("adoption_id", d.adoptionId),
    ideaId: d.ideaId,
    schoolId: c.id("school_id", d.schoolId),
    companyId: d.companyId,
    deliveryId: c.id("delivery_id", d.deliveryId),
    kind: DELIVERY_KINDS[d.kind] ?? "unspecified",
    deliveredOn: d.deliveredOn,
    at: c.instant("occurred_at", d.occurredAt, e.time),
  });
}

export function ideaHeldFact(e: ReceivedEvent<adoptionEventsV1.IdeaHeld>) {
  const c = new Checked(e);
  const d = e.data;
  return c.done({
    holdId: c.id("hold_id", d.holdId),
    ideaId: c.id("idea_id", d.ideaId),
    companyId: c.id("company_id", d.companyId),
    expiresAt: c.instant("expires_at", d.expiresAt),
  });
}

export function holdLapsedFact(e: ReceivedEvent<adoptionEventsV1.HoldLapsed>) {
  const c = new Checked(e);
  const d = e.data;
  return c.done({
    holdId: c.id("hold_id", d.holdId),
    ideaId: d.ideaId,
    companyId: d.companyId,
    at: c.instant("occurred_at", d.occurredAt, e.time),
  });
}

// --- catalogue ---
export function seatOfferedFact(e: ReceivedEvent<catalogueEventsV1.SeatOffered>): Fact {
  const c = new Checked(e);
  const d = e.data;
  return c.done({
    type: "SeatOffered",
    enrolmentId: c.id("enrolment_id", d.enrolmentId),
    sessionId: c.id("session_id", d.sessionId),
    courseId: d.courseId,
    personId: c.id("person_id", d.personId),
    expiresAt: c.instant("expires_at", d.expiresAt),
    at: c.instant("occurred_at", d.occurredAt, e.time),
  });
}

/** An enrolment event: who is in the session's roster now (enrolled, waiting or offered), or out of it. */
export function enrolmentFact(
  e: ReceivedEvent<{ sessionId: string; personId: string }>,
  active: boolean,
): { sessionId: string; personId: string; active: boolean } {
  const c = new Checked(e);
  return c.done({
    sessionId: c.id("session_id", e.data.sessionId),
    personId: c.id("person_id", e.data.personId),
    active,
  });
}

export function sessionCancelledFact(
  e: ReceivedEvent<catalogueEventsV1.SessionCancelled>,
): Extract<Fact, { type: "SessionCancelled" }> {
  const c = new Checked(e);
  const d = e.data;
  return c.done({
    type: "SessionCancelled",
    sessionId: c.id("session_id", d.sessionId),
    courseId: d.courseId,
    reason: d.reason,
    personIds: [...d.enrolledPersonIds, ...d.waitingPersonIds].filter(Boolean),
    at: c.instant("occurred_at", d.occurredAt, e.time),
  });
}

// --- self-employment ---
export function bookingRescheduledFact(e: ReceivedEvent<selfEmploymentEventsV1.BookingRescheduled>): Fact {
  const c = new Checked(e);
  const d = e.data;
  return c.done({
    type: "BookingRescheduled",
    bookingId: c.id("booking_id", d.bookingId),
    serviceType: d.serviceType,
    site: d.slot?.site ?? "",
    startsAt: c.instant("slot.starts_at", d.slot?.startsAt),
    previousStartsAt: c.instant("previous_slot.starts_at", d.previousSlot?.startsAt),
    learnerSubject: d.learnerSubject,
    referentSubject: d.referentSubject,
    at: c.instant("occurred_at", d.occurredAt, e.time),
  });
}

export function bookingCancelledFact(e: ReceivedEvent<selfEmploymentEventsV1.BookingCancelled>): Fact {
  const c = new Checked(e);
  const d = e.data;
  return c.done({
    type: "BookingCancelled",
    bookingId: c.id("booking_id", d.bookingId),
    serviceType: d.serviceType,
    site: d.slot?.site ?? "",
    startsAt: c.instant("slot.starts_at", d.slot?.startsAt),
    reason: d.reason,
    learnerSubject: d.learnerSubject,
    referentSubject: d.referentSubject,
    at: c.instant("occurred_at", d.occurredAt, e.time),
  });
}

// --- gateway ---
export function accountActivatedFact(e: ReceivedEvent<gatewayEventsV1.AccountActivated>): AccountActivation {
  const c = new Checked(e);
  const d = e.data;
  return c.done({
    subject: c.id("subject", d.subject),
    role: c.id("role", d.role),
    organisationId: d.organisationId,
    email: d.email,
    displayName: d.displayName,
    locale: d.locale,
    version: d.version,
  });
}

export function accountDisabledFact(e: ReceivedEvent<gatewayEventsV1.AccountDisabled>) {
  const c = new Checked(e);
  return c.done({ subject: c.id("subject", e.data.subject), version: e.data.version });
}
