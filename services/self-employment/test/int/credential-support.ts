// What the tests of the equipment gate share: a credential issued by the real catalogue service.
import { addDays, romeDate } from "@lto/civil-time";
import type { TestService } from "@lto/testkit/service";
import { callers, ok } from "./support.js";

const DAY = 86_400_000;

/**
 * A credential for `learner` through the catalogue's public API (the real catalogue service): a
 * DigComp 3.4 level 4 course completed. Moves the catalogue's clock 60 days on.
 */
export async function issueCredential(catalogue: TestService, learner: string): Promise<string> {
  const staff = catalogue.as(callers.staff);
  const course = await ok(staff, "POST", "/v1/courses", {
    titleIt: "Fabbricazione digitale",
    descriptionIt: "Dal disegno al pezzo: modellazione, CAM e sicurezza in laboratorio.",
    audiences: ["young_people"],
    areas: ["cultura"],
    competences: [{ framework: "digcomp", version: "2.2", competence: "3.4", level: 4 }],
    hours: 6,
    mode: "in_person",
    sites: ["lto-mantova"],
  });
  await ok(staff, "POST", `/v1/courses/${course.id}/publish`);
  const today = romeDate(catalogue.clock.now());
  const first = addDays(today, 30);
  const session = await ok(staff, "POST", "/v1/sessions", {
    courseId: course.id,
    site: "lto-mantova",
    meetings: [0, 7].map((d) => ({
      date: addDays(first, d),
      start: "15:00",
      end: "18:00",
      room: "FabLab",
      trainer: "Marco Neri",
    })),
    capacity: 12,
    enrolment: { opensOn: today, closesOn: addDays(first, -1) },
    completionRule: { minimumAttendanceShare: 0.75, mandatoryMeetings: [0], finalAssessment: true },
  });
  await ok(staff, "POST", `/v1/sessions/${session.id}/enrolments`, {
    personId: learner,
    overrideReason: "Ammesso dallo staff per il laboratorio",
  });
  catalogue.clock.set(new Date(catalogue.clock.now().getTime() + 60 * DAY));
  for (const meeting of session.meetings as { id: string }[])
    await ok(staff, "PUT", `/v1/sessions/${session.id}/meetings/${meeting.id}/attendance`, {
      marks: [{ personId: learner, status: "present" }],
    });
  const completion = await ok(staff, "POST", `/v1/sessions/${session.id}/completion`, {
    assessments: [{ personId: learner, result: "passed" }],
  });
  const outcome = (completion.outcomes as { personId: string; credentialId?: string }[]).find(
    (o) => o.personId === learner,
  );
  if (!outcome?.credentialId) throw new Error(`no credential issued: ${JSON.stringify(completion)}`);
  return outcome.credentialId;
}
