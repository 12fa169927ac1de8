// A session is running from its first meeting's start on the service clock, read the same on two
// instances without any job writing it: enrolment closes, attendance and completion carry on.
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callers,
  confirmEnrolmentsFixture,
  ok,
  publishedCourseWithSession,
  startCatalogue,
} from "./support.js";

let svc: TestService;
let other: TestService;

beforeAll(async () => {
  svc = await startCatalogue();
  other = await startCatalogue({ sameAs: svc });
});
afterAll(async () => {
  await other?.close();
  await svc?.close();
});

describe("a session running", () => {
  it("runs from its first meeting's start on both instances, takes no enrolment, and completes", async () => {
    const { session } = await publishedCourseWithSession(svc);
    await confirmEnrolmentsFixture(svc, session.id, ["learner-running"]);
    const staff = (s: TestService) => s.as(callers.staff);
    const stateOn = async (s: TestService) => (await ok(s.as(), "GET", `/v1/sessions/${session.id}`)).state;
    const meetings = session.meetings as { id: string; startsAt: string; endsAt: string }[];

    svc.clock.set(new Date(new Date(meetings[0]!.startsAt).getTime() - 1000));
    expect([await stateOn(svc), await stateOn(other)]).toEqual(["scheduled", "scheduled"]);

    svc.clock.set(new Date(meetings[0]!.startsAt));
    expect([await stateOn(svc), await stateOn(other)]).toEqual(["running", "running"]);
    // Still an open session in the course's list for anyone.
    const listed = await ok(svc.as(), "GET", `/v1/courses/${session.courseId as string}/sessions`);
    expect(listed.items.map((s: { id: string; state: string }) => [s.id, s.state])).toEqual([
      [session.id, "running"],
    ]);
    const late = await staff(other).post(`/v1/sessions/${session.id}/enrolments`, { personId: "latecomer" });
    expect(late.status).toBe(409);
    expect(late.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.stringify(late.body)).toContain("running");

    for (const m of meetings) {
      svc.clock.set(new Date(m.endsAt));
      await ok(staff(other), "PUT", `/v1/sessions/${session.id}/meetings/${m.id}/attendance`, {
        marks: [{ personId: "learner-running", status: "present" }],
      });
    }
    const done = await ok(staff(svc), "POST", `/v1/sessions/${session.id}/completion`, {
      assessments: [{ personId: "learner-running", result: "passed" }],
    });
    expect(done.outcomes.map((o: { outcome: string }) => o.outcome)).toEqual(["completed"]);
    expect([await stateOn(svc), await stateOn(other)]).toEqual(["completed", "completed"]);
  });
});
