import { describe, expect, it } from "vitest";
import {
  CallCreatedEvent,
  IdeaAdoptedEvent,
  IdeaPublishedEvent,
  adoptionEventsV1,
  adoptionV1,
  allEvents,
  catalogueEventsV1,
  catalogueV1,
  dlqTopic,
  gatewayEventsV1,
  eventsByType,
  eventsOnTopic,
  ideasEventsV1,
  ideasV1,
  selfEmploymentEventsV1,
  selfEmploymentV1,
  topics,
} from "../src/index.js";

const at = "2026-03-02T09:30:00.123Z";

const commitment = {
  id: "c-1",
  kind: adoptionV1.CommitmentKind.COMMITMENT_KIND_INTERNSHIP,
  description: "2 tirocini estivi in reparto R&D",
  promised: 2,
  delivered: 1,
  confirmed: 1,
  periodStart: "2026-06-15",
  periodEnd: "2026-07-31",
};

const idea: ideasV1.Idea = {
  id: "idea-1",
  callId: "call-2026",
  callModel: ideasV1.CallModel.CALL_MODEL_CHALLENGE,
  callTitle: "LTO Idee 2025/26",
  schoolYear: "2025/26",
  schoolId: "school-fermi",
  schoolName: "IIS E. Fermi",
  title: "Serra connessa",
  summary: "Sensori per le serre del Viadanese",
  problem: "Irrigazione a occhio",
  solution: "Sensori LoRa e un cruscotto",
  economicArea: ideasV1.EconomicArea.ECONOMIC_AREA_AGROALIMENTARE,
  technologies: ["iot", "lora"],
  district: "viadana",
  needs: [ideasV1.Need.NEED_MENTORING, ideasV1.Need.NEED_FUNDING],
  teamName: "Green Bits",
  memberPseudonyms: ["volpe-blu", "gufo-rosso"],
  attachments: [{ title: "Pitch", url: "https://example.org/pitch.pdf" }],
  state: ideasV1.IdeaState.IDEA_STATE_PUBLISHED,
  challengeCompanyId: "company-1",
  publishedAt: at,
  version: 7,
  teamId: "team-green-bits",
};

const window = (start: string, end: string) => ({ startsAt: start, endsAt: end });

// A sample with non-default values for every event type; a new event must add one here.
const samples: Record<string, unknown> = {
  "lto.ideas.v1.IdeaSubmitted": {
    ideaId: "idea-1",
    callId: "call-2026",
    schoolId: "school-fermi",
    title: "Serra connessa",
    economicArea: ideasV1.EconomicArea.ECONOMIC_AREA_AGROALIMENTARE,
    district: "viadana",
    occurredAt: at,
    actorSubject: "user-1",
    version: 3,
  },
  "lto.ideas.v1.IdeaPublished": {
    ideaId: "idea-1",
    idea,
    occurredAt: at,
    actorSubject: "staff-1",
    version: 7,
  },
  "lto.ideas.v1.IdeaRejected": {
    ideaId: "idea-1",
    callId: "call-2026",
    schoolId: "school-fermi",
    reason: "Fuori tema",
    occurredAt: at,
    actorSubject: "staff-1",
    version: 5,
  },
  "lto.ideas.v1.IdeaWithdrawn": {
    ideaId: "idea-1",
    callId: "call-2026",
    schoolId: "school-fermi",
    reason: "Il team si è sciolto",
    previousState: ideasV1.IdeaState.IDEA_STATE_PUBLISHED,
    occurredAt: at,
    actorSubject: "teacher-1",
    version: 8,
  },
  "lto.ideas.v1.TeamMemberErased": {
    ideaId: "idea-1",
    teamId: "team-1",
    schoolId: "school-fermi",
    memberId: "member-2",
    previousPseudonym: "Airone",
    pseudonym: "anonimo-1",
    memberPseudonyms: ["Volpe Blu", "anonimo-1"],
    occurredAt: at,
    actorSubject: "teacher-1",
    version: 9,
  },
  "lto.ideas.v1.IdeaChangesRequested": {
    ideaId: "idea-1",
    callId: "call-2026",
    schoolId: "school-fermi",
    message: "Dettagliare i costi",
    occurredAt: at,
    actorSubject: "staff-1",
    version: 4,
  },
  "lto.ideas.v1.CallCreated": {
    callId: "call-2026",
    call: {
      id: "call-2026",
      title: "Sfida Acme 2025/26",
      schoolYear: "2025/26",
      model: ideasV1.CallModel.CALL_MODEL_CHALLENGE,
      challengeCompanyId: "company-1",
      challengeCompanyName: "Acme S.p.A.",
      submission: window("2025-10-01T00:00:00.000Z", "2026-01-31T23:00:00.000Z"),
      evaluation: window("2026-01-31T23:00:00.000Z", "2026-02-28T23:00:00.000Z"),
      adoption: window("2026-02-28T23:00:00.000Z", "2026-05-31T22:00:00.000Z"),
      panelOrganisationIds: ["lto-staff", "company-1"],
      version: 1,
    },
    occurredAt: at,
    actorSubject: "programme-1",
    version: 1,
  },
  "lto.ideas.v1.CallUpdated": {
    callId: "call-2026",
    call: { id: "call-2026", title: "Sfida Acme 2025/26", panelOrganisationIds: ["lto-staff"], version: 2 },
    occurredAt: at,
    actorSubject: "programme-1",
    version: 2,
  },
  "lto.adoption.v1.IdeaHeld": {
    holdId: "hold-1",
    ideaId: "idea-1",
    callId: "call-2026",
    companyId: "company-2",
    companyName: "Beta S.r.l.",
    expiresAt: "2026-03-09T09:30:00.123Z",
    occurredAt: at,
    actorSubject: "company-user",
    version: 1,
  },
  "lto.adoption.v1.HoldLapsed": {
    holdId: "hold-1",
    ideaId: "idea-1",
    companyId: "company-2",
    reason: "HOLD_END_REASON_EXPIRED",
    occurredAt: at,
    actorSubject: "system",
    version: 2,
  },
  "lto.adoption.v1.AdoptionOffered": {
    offerId: "offer-1",
    ideaId: "idea-1",
    callId: "call-2026",
    schoolId: "school-fermi",
    companyId: "company-2",
    companyName: "Beta S.r.l.",
    commitments: [{ ...commitment, delivered: 0, confirmed: 0 }],
    message: "Vi seguiamo noi",
    occurredAt: at,
    actorSubject: "company-user",
    version: 1,
  },
  "lto.adoption.v1.OfferDeclined": {
    offerId: "offer-1",
    ideaId: "idea-1",
    schoolId: "school-fermi",
    companyId: "company-2",
    reason: "OFFER_DECLINE_REASON_ANOTHER_OFFER_ACCEPTED",
    reasonDetail: "",
    occurredAt: at,
    actorSubject: "teacher-1",
    version: 2,
  },
  "lto.adoption.v1.IdeaAdopted": {
    adoptionId: "adoption-1",
    ideaId: "idea-1",
    callId: "call-2026",
    schoolId: "school-fermi",
    companyId: "company-2",
    companyName: "Beta S.r.l.",
    offerId: "offer-1",
    commitments: [commitment],
    occurredAt: at,
    actorSubject: "teacher-1",
    version: 1,
  },
  "lto.adoption.v1.CommitmentDelivered": {
    adoptionId: "adoption-1",
    ideaId: "idea-1",
    schoolId: "school-fermi",
    companyId: "company-2",
    commitmentId: "c-2",
    kind: "COMMITMENT_KIND_MENTORING",
    deliveryId: "d-1",
    quantity: 90,
    promised: 1200,
    confirmed: 90,
    studentPseudonyms: ["volpe-blu"],
    deliveredOn: "2026-03-10",
    occurredAt: at,
    actorSubject: "teacher-1",
    version: 4,
  },
  "lto.adoption.v1.AdoptionEnded": {
    adoptionId: "adoption-1",
    ideaId: "idea-1",
    callId: "call-2026",
    schoolId: "school-fermi",
    companyId: "company-2",
    companyName: "Beta S.r.l.",
    endedBy: adoptionV1.Party.PARTY_COMPANY,
    reason: "Riorganizzazione interna",
    occurredAt: at,
    actorSubject: "company-user",
    version: 6,
  },
  "lto.adoption.v1.AdoptionCompleted": {
    adoptionId: "adoption-1",
    ideaId: "idea-1",
    callId: "call-2026",
    schoolId: "school-fermi",
    companyId: "company-2",
    companyName: "Beta S.r.l.",
    commitments: [{ ...commitment, delivered: 2, confirmed: 2 }],
    occurredAt: at,
    actorSubject: "teacher-1",
    version: 9,
  },
};

const competence = { framework: "digcomp", frameworkVersion: "2.2", competence: "3.4", level: 4 };
const meeting: catalogueV1.Meeting = {
  id: "meeting-1",
  date: "2026-10-25",
  startTime: "01:30",
  endTime: "03:30",
  timeZone: "Europe/Rome",
  startsAt: "2026-10-24T23:30:00.000Z",
  endsAt: "2026-10-25T02:30:00.000Z",
  minutes: 180,
  room: "Laboratorio 2",
  trainer: "Marco Neri",
  sequence: 1,
  cancelled: false,
};
const course: catalogueV1.Course = {
  id: "course-1",
  titleIt: "Programmare con Python",
  descriptionIt: "Dalle variabili alle funzioni",
  titleEn: "Programming with Python",
  descriptionEn: "From variables to functions",
  audiences: [catalogueV1.Audience.AUDIENCE_YOUNG_PEOPLE],
  economicAreas: [ideasV1.EconomicArea.ECONOMIC_AREA_CULTURA],
  competences: [competence],
  secondFramework: [{ ...competence, framework: "syllabus-pa", frameworkVersion: "2024", level: 2 }],
  hours: 20,
  mode: catalogueV1.CourseMode.COURSE_MODE_BLENDED,
  prerequisites: [{ ...competence, competence: "1.1", level: 2 }],
  sites: ["lto-mantova"],
  state: catalogueV1.CourseState.COURSE_STATE_PUBLISHED,
  providerId: "lto",
  publishedAt: at,
  version: 3,
};
const catalogueCommon = { occurredAt: at, actorSubject: "staff-1", version: 4 };
const enrolment = {
  enrolmentId: "enrolment-1",
  sessionId: "session-1",
  courseId: "course-1",
  site: "lto-mantova",
  personId: "learner-1",
};
const catalogueSamples: Record<string, unknown> = {
  "lto.catalogue.v1.CoursePublished": { courseId: "course-1", course, ...catalogueCommon },
  "lto.catalogue.v1.CourseArchived": {
    courseId: "course-1",
    sites: ["lto-mantova"],
    economicAreas: [ideasV1.EconomicArea.ECONOMIC_AREA_CULTURA],
    competences: [competence],
    ...catalogueCommon,
  },
  "lto.catalogue.v1.SessionScheduled": {
    sessionId: "session-1",
    courseId: "course-1",
    site: "lto-mantova",
    session: {
      id: "session-1",
      courseId: "course-1",
      site: "lto-mantova",
      meetings: [meeting],
      capacity: 12,
      freeSeats: 12,
      enrolmentOpensOn: "2026-09-15",
      enrolmentClosesOn: "2026-10-20",
      completionRule: {
        minimumAttendanceShare: 0.75,
        mandatoryMeetingIds: ["meeting-1"],
        finalAssessment: true,
      },
      state: catalogueV1.SessionState.SESSION_STATE_SCHEDULED,
      hours: 3,
      version: 1,
    },
    economicAreas: [ideasV1.EconomicArea.ECONOMIC_AREA_CULTURA],
    competences: [competence],
    hours: 3,
    ...catalogueCommon,
  },
  "lto.catalogue.v1.SessionRescheduled": {
    sessionId: "session-1",
    courseId: "course-1",
    site: "lto-mantova",
    meeting,
    previousStartsAt: at,
    previousEndsAt: at,
    hours: 3,
    ...catalogueCommon,
  },
  "lto.catalogue.v1.SessionCancelled": {
    sessionId: "session-1",
    courseId: "course-1",
    site: "lto-mantova",
    reason: "Formatore indisponibile",
    enrolledPersonIds: ["learner-1"],
    waitingPersonIds: ["learner-2"],
    ...catalogueCommon,
  },
  "lto.catalogue.v1.EnrolmentConfirmed": {
    ...enrolment,
    economicAreas: [ideasV1.EconomicArea.ECONOMIC_AREA_CULTURA],
    competences: [competence],
    hours: 20,
    enrolledBy: "referent-1",
    freeSeats: 3,
    ...catalogueCommon,
  },
  "lto.catalogue.v1.EnrolmentWaitlisted": { ...enrolment, position: 2, ...catalogueCommon },
  "lto.catalogue.v1.SeatOffered": { ...enrolment, expiresAt: at, ...catalogueCommon },
  "lto.catalogue.v1.EnrolmentWithdrawn": {
    ...enrolment,
    reason: "Impegni di lavoro",
    seatFreed: true,
    ...catalogueCommon,
  },
  "lto.catalogue.v1.AttendanceRecorded": {
    sessionId: "session-1",
    meetingId: "meeting-1",
    courseId: "course-1",
    site: "lto-mantova",
    personId: "learner-1",
    status: catalogueEventsV1.AttendanceStatus.ATTENDANCE_STATUS_LATE,
    lateMinutes: 10,
    correction: true,
    ...catalogueCommon,
  },
  "lto.catalogue.v1.CourseCompleted": {
    ...enrolment,
    outcome: catalogueEventsV1.CompletionOutcome.COMPLETION_OUTCOME_COMPLETED,
    attendedHours: 18,
    hours: 20,
    economicAreas: [ideasV1.EconomicArea.ECONOMIC_AREA_CULTURA],
    competences: [competence],
    ...catalogueCommon,
  },
  "lto.catalogue.v1.CredentialIssued": {
    credentialId: "credential-1",
    personId: "learner-1",
    courseId: "course-1",
    sessionId: "session-1",
    site: "lto-mantova",
    competences: [competence],
    economicAreas: [ideasV1.EconomicArea.ECONOMIC_AREA_CULTURA],
    hours: 20,
    ...catalogueCommon,
  },
  "lto.catalogue.v1.CredentialRevoked": {
    credentialId: "credential-1",
    personId: "learner-1",
    courseId: "course-1",
    reason: "Rilasciata per errore",
    ...catalogueCommon,
  },
};
Object.assign(samples, catalogueSamples);

const slot: selfEmploymentEventsV1.BookingSlot = {
  site: "lto-mantova",
  operatorId: "operator-1",
  roomId: "lto-mantova-sala-1",
  equipmentIds: ["lto-mantova-stampante-3d-1"],
  startsAt: "2026-03-30T07:00:00.000Z",
  endsAt: "2026-03-30T08:00:00.000Z",
  mode: selfEmploymentV1.DeliveryMode.DELIVERY_MODE_IN_PERSON,
};
const seCommon = { personId: "person-1", occurredAt: at, actorSubject: "staff-1", version: 2 };
const booking = { bookingId: "booking-1", serviceType: "business_plan", slot, funder: "regione-lombardia" };
const selfEmploymentSamples: Record<string, unknown> = {
  "lto.selfemployment.v1.PersonRegistered": {
    site: "lto-mantova",
    ageBand: selfEmploymentEventsV1.AgeBand.AGE_BAND_16_17,
    guardianConsent: true,
    ...seCommon,
  },
  "lto.selfemployment.v1.PathOpened": {
    pathId: "path-1",
    site: "lto-mantova",
    services: [{ serviceType: "business_plan", plannedHours: 8, maxHours: 16 }],
    funder: "regione-lombardia",
    ideaId: "idea-1",
    ...seCommon,
  },
  "lto.selfemployment.v1.BookingConfirmed": { ...booking, hours: 1, overrideReason: "Urgente", ...seCommon },
  "lto.selfemployment.v1.BookingRescheduled": {
    ...booking,
    previousSlot: { ...slot, startsAt: "2026-03-27T08:00:00.000Z", endsAt: "2026-03-27T09:00:00.000Z" },
    hours: 1,
    ...seCommon,
  },
  "lto.selfemployment.v1.BookingCancelled": {
    ...booking,
    late: true,
    by: selfEmploymentEventsV1.CancellationBy.CANCELLATION_BY_PERSON,
    reason: "Malattia",
    ...seCommon,
  },
  "lto.selfemployment.v1.NoShowRecorded": { ...booking, ...seCommon },
  "lto.selfemployment.v1.ServiceDelivered": {
    bookingId: "booking-1",
    serviceType: "business_plan",
    site: "lto-mantova",
    operatorId: "operator-1",
    startedAt: slot.startsAt,
    endedAt: slot.endsAt,
    hours: 1,
    outcome: selfEmploymentV1.Outcome.OUTCOME_BUSINESS_PLAN_REDATTO,
    funder: "regione-lombardia",
    revision: 1,
    ...seCommon,
  },
  "lto.selfemployment.v1.WaitlistOffered": {
    waitlistEntryId: "waitlist-1",
    serviceType: "coaching",
    slot,
    expiresAt: at,
    ...seCommon,
  },
};
Object.assign(samples, selfEmploymentSamples);

const gatewaySamples: Record<string, Record<string, unknown>> = {
  "lto.gateway.v1.AccountActivated": {
    subject: "acct-1",
    role: "school",
    organisationId: "school-fermi",
    sites: [],
    email: "referente@fermi.example.it",
    displayName: "Anna Referente",
    locale: "it",
    occurredAt: at,
    actorSubject: "staff-1",
    version: 1,
  },
  "lto.gateway.v1.AccountDisabled": {
    subject: "acct-1",
    reason: "left the school",
    occurredAt: at,
    actorSubject: "staff-1",
    version: 2,
  },
};
Object.assign(samples, gatewaySamples);

Object.assign(samples, {
  "lto.adoption.v1.DeliveryLogged": {
    adoptionId: "adoption-1",
    ideaId: "idea-1",
    schoolId: "school-fermi",
    companyId: "company-1",
    deliveryId: "record-1",
    kind: "COMMITMENT_KIND_MENTORING",
    deliveredOn: "2026-03-02",
    occurredAt: at,
    actorSubject: "company-user-1",
    version: 4,
  },
});

/** The key each sample's event is published under: its aggregate's id. */
function expectedKey(type: string): string {
  if (type.startsWith("lto.ideas.v1.Call")) return "call-2026";
  if (type.startsWith("lto.selfemployment.")) return "person-1";
  if (type.startsWith("lto.gateway.")) return "acct-1";
  if (!type.startsWith("lto.catalogue.")) return "idea-1";
  if (type.includes(".Course") && !type.endsWith("CourseCompleted")) return "course-1";
  if (type.includes(".Credential")) return "credential-1";
  return "session-1";
}

describe("event registry", () => {
  it("has a sample for every event and no sample without an event", () => {
    expect(Object.keys(samples).sort()).toEqual(allEvents.map((c) => c.type).sort());
  });

  it.each(allEvents.map((c) => [c.type, c] as const))("%s round-trips through protobuf", (_type, codec) => {
    const message = codec.create(samples[codec.type] as never);
    const bytes = codec.encode(message);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.length).toBeGreaterThan(0);
    const decoded = codec.decode(bytes);
    expect(decoded).toEqual(message);
    // every sample field survived (create() only adds defaults for fields the sample left out)
    expect(decoded).toMatchObject(samples[codec.type] as object);
    expect(codec.key(decoded)).toBe(expectedKey(codec.type));
  });

  it("names every event type lto.<service>.v1.<Message>, uniquely, with its service's source and topic", () => {
    const types = allEvents.map((c) => c.type);
    expect(new Set(types).size).toBe(types.length);
    for (const c of allEvents) {
      expect(c.type).toMatch(/^lto\.[a-z]+\.v1\.[A-Z][A-Za-z]+$/);
      const service = c.type.split(".")[1];
      expect(c.service).toBe(service);
      expect(c.source).toBe(`/lto/${service}`);
      expect(c.topic).toBe(`lto.${service}.events.v1`);
      expect(eventsByType.get(c.type)).toBe(c);
    }
    expect(eventsByType.size).toBe(allEvents.length);
  });

  it("names each event after the generated protobuf message of its service's events.proto", () => {
    const generated: Record<string, Record<string, unknown>> = {
      ideas: ideasEventsV1,
      adoption: adoptionEventsV1,
      catalogue: catalogueEventsV1,
      selfemployment: selfEmploymentEventsV1,
      gateway: gatewayEventsV1,
    };
    for (const c of allEvents) {
      const module = generated[c.service]!;
      const name = c.type.split(".").at(-1)!;
      expect(module.protobufPackage).toBe(`lto.${c.service}.v1`);
      expect(module[name], c.type).toHaveProperty("encode");
    }
  });

  it("follows the topic naming rule lto.<service>.events.v1 and lto.dlq.<group>", () => {
    for (const [service, topic] of Object.entries(topics)) {
      expect(topic).toBe(`lto.${service}.events.v1`);
      expect(eventsOnTopic(topic).length).toBeGreaterThan(0);
    }
    expect(dlqTopic("adoption-ideas-projection")).toBe("lto.dlq.adoption-ideas-projection");
  });

  it("keys idea events by idea id, call events by call id and adoption events by idea id", () => {
    expect(IdeaPublishedEvent.key(IdeaPublishedEvent.create({ ideaId: "i-9", idea }))).toBe("i-9");
    expect(CallCreatedEvent.key(CallCreatedEvent.create({ callId: "c-9" }))).toBe("c-9");
    expect(IdeaAdoptedEvent.key(IdeaAdoptedEvent.create({ adoptionId: "a-9", ideaId: "i-9" }))).toBe("i-9");
  });

  it("decodes an empty payload to a message of defaults (nested messages left undefined)", () => {
    const empty = IdeaPublishedEvent.decode(new Uint8Array());
    expect(empty).toEqual(IdeaPublishedEvent.create());
    expect(empty.idea).toBeUndefined();
    expect(empty.version).toBe(0);
  });
});
