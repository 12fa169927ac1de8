// The insights service on the real broker and store, and a programme's worth of events published the
// way the other services publish them (registry codecs, CloudEvents headers), all in one school year
// that no event on the broker falls in yet, so the figures filtered by it are this test's alone.
import {
  AdoptionCompletedEvent,
  BookingCancelledEvent,
  BookingConfirmedEvent,
  CallCreatedEvent,
  CommitmentDeliveredEvent,
  CourseCompletedEvent,
  CoursePublishedEvent,
  CredentialIssuedEvent,
  CredentialRevokedEvent,
  EnrolmentConfirmedEvent,
  EnrolmentWithdrawnEvent,
  IdeaAdoptedEvent,
  IdeaPublishedEvent,
  IdeaRejectedEvent,
  IdeaSubmittedEvent,
  IdeaWithdrawnEvent,
  NoShowRecordedEvent,
  ServiceDeliveredEvent,
  type RegisteredEventCodec,
} from "@lto/contracts";
import { uniqueId } from "@lto/testkit";
import { eventProducer, type EventProducer, type TestService } from "@lto/testkit/service";

export interface Sent {
  codec: RegisteredEventCodec<unknown>;
  message: unknown;
  id: string;
}

const FIGURES = ["ideas", "adoption", "commitments", "learning", "services"];

/**
 * `count` consecutive school years no event on the shared broker falls in yet (the running service,
 * built from the topics' beginning, has no row in them): "YYYY/YY" and its first calendar year.
 */
export async function unusedSchoolYears(
  svc: TestService,
  count = 1,
): Promise<Array<{ year: number; schoolYear: string }>> {
  const programme = { sub: "po-years", role: "programme", org: "lto" } as const;
  const of = (year: number) => ({ year, schoolYear: `${year}/${String((year + 1) % 100).padStart(2, "0")}` });
  for (;;) {
    const start = 2100 + Math.floor(Math.random() * 7800);
    const years = Array.from({ length: count }, (_, i) => of(start + i));
    let used = false;
    for (const { schoolYear } of years)
      for (const figure of FIGURES) {
        const res = await svc
          .as(programme)
          .get(`/v1/figures/${figure}?schoolYear=${encodeURIComponent(schoolYear)}`);
        if (res.status !== 200) throw new Error(`GET ${figure}: ${res.status} ${res.text}`);
        used ||= res.body.rows.length > 0;
      }
    if (!used) return years;
  }
}

export class Publisher {
  readonly sent: Sent[] = [];
  private constructor(private readonly producer: EventProducer) {}
  static async open(): Promise<Publisher> {
    return new Publisher(await eventProducer());
  }
  async send<T>(
    codec: RegisteredEventCodec<T>,
    message: Partial<T>,
    opts: { id?: string } = {},
  ): Promise<string> {
    const full = codec.create(message);
    const id = await this.producer.send(codec, codec.key(full), full, opts);
    this.sent.push({ codec: codec as RegisteredEventCodec<unknown>, message: full, id });
    return id;
  }
  close() {
    return this.producer.stop();
  }
}

/** The ids and dates of one programme year's events (see `publishYear`). */
export function programme(year: number) {
  const at = (month: number, day: number, hour = 9) =>
    new Date(Date.UTC(month >= 9 ? year : year + 1, month - 1, day, hour)).toISOString();
  return {
    at,
    calls: { mantova: uniqueId("call"), asola: uniqueId("call") },
    ideas: {
      published: uniqueId("idea"),
      rejected: uniqueId("idea"),
      adopted: uniqueId("idea"),
      withdrawn: uniqueId("idea"),
    },
    adoption: uniqueId("adoption"),
    course: uniqueId("course"),
    enrolments: { completed: uniqueId("enr"), withdrawn: uniqueId("enr") },
    credentials: { kept: uniqueId("cred"), revoked: uniqueId("cred") },
    bookings: { delivered: uniqueId("bk"), cancelled: uniqueId("bk"), noShow: uniqueId("bk") },
  };
}
export type Programme = ReturnType<typeof programme>;

/**
 * One school year of the programme: two calls (Mantova, Asola), four ideas (published, rejected,
 * adopted and completed with a mentoring delivery, withdrawn), a course with a completed enrolment,
 * a withdrawn one, a credential kept and one revoked, and three bookings (delivered after a
 * correction, cancelled, no-show). The adoption's events come before its idea's: events of different
 * aggregates interleave.
 */
export async function publishYear(
  p: Publisher,
  year: number,
  schoolYear: string,
  ids: Programme,
): Promise<void> {
  const { at, calls, ideas } = ids;
  await p.send(IdeaAdoptedEvent, {
    adoptionId: ids.adoption,
    ideaId: ideas.adopted,
    callId: calls.asola,
    occurredAt: at(11, 12),
    version: 1,
    commitments: [
      {
        id: "c1",
        kind: "COMMITMENT_KIND_MENTORING",
        description: "",
        promised: 180,
        delivered: 0,
        confirmed: 0,
        periodStart: "",
        periodEnd: "",
      },
      {
        id: "c2",
        kind: "COMMITMENT_KIND_INTERNSHIP",
        description: "",
        promised: 1,
        delivered: 0,
        confirmed: 0,
        periodStart: "",
        periodEnd: "",
      },
    ],
  });
  await p.send(CommitmentDeliveredEvent, {
    adoptionId: ids.adoption,
    ideaId: ideas.adopted,
    commitmentId: "c1",
    kind: "COMMITMENT_KIND_MENTORING",
    deliveryId: uniqueId("delivery"),
    quantity: 120,
    studentPseudonyms: ["volpe-rossa", "gufo-blu"],
    pctoHours: 2,
    deliveredOn: `${year}-11-20`,
    occurredAt: at(11, 21),
    version: 2,
  });
  await p.send(AdoptionCompletedEvent, {
    adoptionId: ids.adoption,
    ideaId: ideas.adopted,
    occurredAt: at(12, 1),
    version: 3,
  });

  await p.send(CallCreatedEvent, {
    callId: calls.mantova,
    call: {
      id: calls.mantova,
      title: 'Bando "Futuro", Mantova',
      schoolYear,
      site: "lto-mantova",
      version: 1,
    } as never,
    version: 1,
  });
  await p.send(CallCreatedEvent, {
    callId: calls.asola,
    call: { id: calls.asola, title: "Bando Asola", schoolYear, site: "lto-asola", version: 1 } as never,
    version: 1,
  });
  const submit = (ideaId: string, callId: string, area: string, district: string) =>
    p.send(IdeaSubmittedEvent, {
      ideaId,
      callId,
      economicArea: area as never,
      district,
      occurredAt: at(10, 1),
      version: 1,
    });
  const publish = (ideaId: string, callId: string, area: string, district: string, day: number) =>
    p.send(IdeaPublishedEvent, {
      ideaId,
      idea: {
        id: ideaId,
        callId,
        economicArea: area,
        district,
        state: "IDEA_STATE_PUBLISHED",
        publishedAt: at(11, day),
      } as never,
      occurredAt: at(11, day),
      version: 2,
    });
  await submit(ideas.published, calls.mantova, "ECONOMIC_AREA_AGROALIMENTARE", "mantova");
  await publish(ideas.published, calls.mantova, "ECONOMIC_AREA_AGROALIMENTARE", "mantova", 1);
  await submit(ideas.rejected, calls.mantova, "ECONOMIC_AREA_MECCANICA", "asola");
  await p.send(IdeaRejectedEvent, { ideaId: ideas.rejected, callId: calls.mantova, version: 2 });
  await submit(ideas.adopted, calls.asola, "ECONOMIC_AREA_TURISMO", "viadana");
  await publish(ideas.adopted, calls.asola, "ECONOMIC_AREA_TURISMO", "viadana", 2);
  await submit(ideas.withdrawn, calls.asola, "ECONOMIC_AREA_TURISMO", "viadana");
  await p.send(IdeaWithdrawnEvent, { ideaId: ideas.withdrawn, callId: calls.asola, version: 2 });

  const competences = [
    { framework: "digcomp", frameworkVersion: "2.2", competence: "1.1", level: 3 },
    { framework: "digcomp", frameworkVersion: "2.2", competence: "3.4", level: 5 },
  ];
  await p.send(CoursePublishedEvent, {
    courseId: ids.course,
    course: { id: ids.course, audiences: ["AUDIENCE_TEACHERS", "AUDIENCE_STUDENTS"] } as never,
    version: 1,
  });
  const session = uniqueId("session");
  const enrol = (enrolmentId: string) =>
    p.send(EnrolmentConfirmedEvent, {
      enrolmentId,
      sessionId: session,
      courseId: ids.course,
      site: "lto-mantova",
      competences,
      occurredAt: at(10, 5),
      version: 1,
    });
  await enrol(ids.enrolments.completed);
  await enrol(ids.enrolments.withdrawn);
  await p.send(EnrolmentWithdrawnEvent, {
    enrolmentId: ids.enrolments.withdrawn,
    sessionId: session,
    courseId: ids.course,
    site: "lto-mantova",
    occurredAt: at(10, 6),
    version: 2,
  });
  await p.send(CourseCompletedEvent, {
    enrolmentId: ids.enrolments.completed,
    sessionId: session,
    courseId: ids.course,
    site: "lto-mantova",
    outcome: "COMPLETION_OUTCOME_COMPLETED",
    competences,
    occurredAt: at(12, 10),
    version: 5,
  });
  for (const credentialId of [ids.credentials.kept, ids.credentials.revoked])
    await p.send(CredentialIssuedEvent, {
      credentialId,
      courseId: ids.course,
      sessionId: session,
      site: "lto-mantova",
      competences,
      occurredAt: at(12, 11),
      version: 1,
    });
  await p.send(CredentialRevokedEvent, {
    credentialId: ids.credentials.revoked,
    courseId: ids.course,
    version: 2,
  });

  const person = uniqueId("person");
  const slot = (site: string, startsAt: string) =>
    ({
      site,
      operatorId: "op-1",
      roomId: "",
      equipmentIds: [],
      startsAt,
      endsAt: startsAt,
      mode: "DELIVERY_MODE_IN_PERSON",
    }) as never;
  const { delivered, cancelled, noShow } = ids.bookings;
  await p.send(BookingConfirmedEvent, {
    personId: person,
    bookingId: delivered,
    serviceType: "orientamento",
    slot: slot("lto-mantova", at(10, 15, 8)),
    hours: 1.5,
    version: 1,
  });
  await p.send(BookingConfirmedEvent, {
    personId: person,
    bookingId: cancelled,
    serviceType: "orientamento",
    slot: slot("lto-mantova", at(10, 16, 8)),
    hours: 1,
    version: 2,
  });
  await p.send(BookingCancelledEvent, {
    personId: person,
    bookingId: cancelled,
    serviceType: "orientamento",
    slot: slot("lto-mantova", at(10, 16, 8)),
    version: 3,
  });
  await p.send(BookingConfirmedEvent, {
    personId: person,
    bookingId: noShow,
    serviceType: "bilancio_competenze",
    slot: slot("lto-asola", at(1, 20, 8)),
    hours: 2,
    version: 4,
  });
  await p.send(NoShowRecordedEvent, {
    personId: person,
    bookingId: noShow,
    serviceType: "bilancio_competenze",
    slot: slot("lto-asola", at(1, 20, 8)),
    version: 5,
  });
  const deliveredService = (hours: number, revision: number) =>
    p.send(ServiceDeliveredEvent, {
      personId: person,
      bookingId: delivered,
      serviceType: "orientamento",
      site: "lto-mantova",
      startedAt: at(10, 15, 8),
      hours,
      revision,
      version: 5 + revision,
    });
  await deliveredService(1.25, 1);
  await deliveredService(1.5, 2);
}
