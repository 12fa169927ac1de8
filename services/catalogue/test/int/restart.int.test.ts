// The service starts again on its own data, and a second instance beside it answers for what the first
// wrote; racing edits of one course over both instances lose nothing (one wins, the other gets 412).
import { testAuth, type TestAuth } from "@lto/testkit";
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callers, courseBody, ok, publishedCourseWithSession, startCatalogue } from "./support.js";

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
});
