// The service starts again on its own data, and a second instance beside it answers for what the first
// wrote; racing edits of one course over both instances lose nothing (one wins, the other gets 412).
import { testAuth, type TestAuth } from "@lto/testkit";
import type { TestService } from "@lto/testkit/service";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callers,
  courseBody,
  ok,
  publishedCourseWithSession,
  sessionBody,
  startCatalogue,
} from "./support.js";

let auth: TestAuth;
const running: TestService[] = [];

beforeAll(async () => {
  auth = await testAuth();
});
afterAll(async () => {
  for (const s of running) await s.close();
  await auth.close();
});

describe("restart and two instances", () => {
  it("starts again on the data the first instance wrote; a second instance beside it sees the same", async () => {
    const first = await startCatalogue({ auth, keepData: true });
    const { course, session } = await publishedCourseWithSession(first);
    await first.close();

    const again = await startCatalogue({ auth, dbName: first.dbName, keepData: true });
    running.push(again);
    // The last one started drops the database when the test closes it.
    const beside = await startCatalogue({ auth, dbName: first.dbName });
    running.push(beside);
    for (const s of [again, beside]) {
      expect((await s.as().get(`/v1/courses/${course.id}`)).body.state).toBe("published");
      expect((await s.as().get(`/v1/sessions/${session.id}`)).body.courseId).toBe(course.id);
    }

    // The same version sent to both instances at once: exactly one edit is stored.
    const edits = await Promise.all(
      [again, beside].map((s, i) =>
        s.as(callers.staff).put(`/v1/courses/${course.id}`, courseBody({ titleIt: `Titolo ${i}` }), {
          headers: { "if-match": `"${course.version}"` },
        }),
      ),
    );
    expect(edits.map((r) => r.status).sort()).toEqual([200, 412]);
    const winner = edits.find((r) => r.status === 200)!.body;
    const stored = await ok(beside.as(), "GET", `/v1/courses/${course.id}`);
    expect(stored).toMatchObject({ titleIt: winner.titleIt, version: course.version + 1 });
  }, 120_000);

  it("upgrades the seats an earlier version wrote, so they still count", async () => {
    const first = await startCatalogue({ auth, keepData: true });
    const { course } = await publishedCourseWithSession(first);
    const session = await ok(
      first.as(callers.staff),
      "POST",
      "/v1/sessions",
      sessionBody(course.id, { capacity: 2 }),
    );
    await first.close();
    // A seat as the version before the claim ledger wrote it.
    const mongo = await MongoClient.connect(first.mongoUrl);
    try {
      await mongo
        .db(first.dbName)
        .collection("seats")
        .insertOne({
          _id: `${session.id}#1` as never,
          sessionId: session.id,
          number: 1,
          enrolmentId: "enrolment-of-before",
          claim: "claim-of-before",
          claimedAt: new Date(),
          settled: true,
          version: 1,
        });
      const again = await startCatalogue({ auth, dbName: first.dbName });
      running.push(again);
      const seat = await mongo
        .db(first.dbName)
        .collection("seats")
        .findOne({ _id: `${session.id}#1` as never });
      expect(seat).toMatchObject({ group: session.id, holderId: "enrolment-of-before", number: 1 });
      expect(seat).not.toHaveProperty("sessionId");
      const enrol = (sub: string) =>
        again.as({ sub, role: "learner", org: sub }).post(`/v1/sessions/${session.id}/enrolments`, {});
      expect((await enrol("learner-new-1")).body).toMatchObject({ status: "confirmed", seat: 2 });
      expect((await enrol("learner-new-2")).body).toMatchObject({ status: "waitlisted" });
      // The seat of before counts: the session is full.
      expect((await again.as().get(`/v1/sessions/${session.id}`)).body.freeSeats).toBe(0);
    } finally {
      await mongo.close();
    }
  }, 120_000);
});
