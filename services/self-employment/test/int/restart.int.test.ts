// The service starts again on its own data, and a second instance beside it answers for what the first
// wrote; racing plan changes of one operator over both instances lose nothing (one wins, the other 412),
// and racing registrations of one codice fiscale over both make one person.
import { testAuth, type TestAuth } from "@lto/testkit";
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callers, ok, operatorBody, personBody, startSelfEmployment } from "./support.js";

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
    const first = await startSelfEmployment({ auth, keepData: true });
    const operator = await ok(first.as(callers.staff), "POST", "/v1/operators", operatorBody());
    const person = await ok(first.as(callers.staff), "POST", "/v1/persons", personBody(first));
    await first.close();

    const again = await startSelfEmployment({ auth, dbName: first.dbName, keepData: true });
    running.push(again);
    // The last one started drops the database when the test closes it.
    const beside = await startSelfEmployment({ auth, dbName: first.dbName });
    running.push(beside);
    for (const s of [again, beside]) {
      expect((await ok(s.as(callers.staff), "GET", `/v1/operators/${operator.id}`)).name).toBe(operator.name);
      expect((await ok(s.as(callers.staff), "GET", `/v1/persons/${person.id}`)).codiceFiscale).toBe(
        person.codiceFiscale,
      );
    }

    // The same version sent to both instances at once: exactly one plan is stored.
    const edits = await Promise.all(
      [again, beside].map((s, i) =>
        s
          .as(callers.staff)
          .put(
            `/v1/operators/${operator.id}/plan`,
            { plan: [], dailyCap: i + 2 },
            { headers: { "if-match": `"${operator.version}"` } },
          ),
      ),
    );
    expect(edits.map((r) => r.status).sort()).toEqual([200, 412]);
    const winner = edits.find((r) => r.status === 200)!.body;
    const stored = await ok(beside.as(callers.admin), "GET", `/v1/operators/${operator.id}`);
    expect(stored).toMatchObject({ dailyCap: winner.dailyCap, version: operator.version + 1 });

    // One codice fiscale registered through both instances at once: one person.
    const body = personBody(again);
    const registrations = await Promise.all(
      [again, beside, again, beside].map((s) => s.as(callers.staff).post("/v1/persons", body)),
    );
    expect(registrations.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
  }, 120_000);
});
