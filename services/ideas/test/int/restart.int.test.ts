// The service starts again on its own data (issue 7 item 1): stop, start on the same database, and a
// second instance beside the first; both answer for what the first one wrote.
import { getInfra, testAuth, testDbName, uniqueGroupId, type TestAuth } from "@lto/testkit";
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start, type RunningIdeasService } from "../../src/main.js";
import { callers, openCallBody, teamBody } from "./support.js";

let auth: TestAuth;
let env: NodeJS.ProcessEnv;
const running: RunningIdeasService[] = [];

beforeAll(async () => {
  const infra = await getInfra();
  auth = await testAuth();
  env = {
    NODE_ENV: "test",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    MONGO_URL: infra.mongoUrl,
    MONGO_DB: testDbName("ideas_restart"),
    KAFKA_BROKERS: infra.kafkaBrokers.join(","),
    KAFKA_CONSUMER_GROUP: uniqueGroupId("ideas-restart"),
    OUTBOX_SWEEP_MS: "200",
    ...auth.env,
  };
});
afterAll(async () => {
  for (const s of running) await s.stop();
  const conn = await mongoose.createConnection(env.MONGO_URL!, { dbName: env.MONGO_DB! }).asPromise();
  await conn.dropDatabase();
  await conn.close();
  await auth.close();
});

const boot = async () => {
  const s = await start({ env, httpPort: 0, grpcPort: 0 });
  running.push(s);
  return s;
};

async function call(s: RunningIdeasService, method: string, path: string, as: object, body?: unknown) {
  const res = await fetch(`${s.http.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await auth.token(as as never)}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as { id: string; schoolYear: string } };
}

describe("restarting the ideas service on existing data", () => {
  it("starts again, and a second instance beside it, on the data the first wrote", async () => {
    const first = await boot();
    const callRes = await call(first, "POST", "/v1/calls", callers.staff, openCallBody());
    expect(callRes.status, JSON.stringify(callRes.body)).toBe(201);
    const team = await call(first, "POST", "/v1/teams", callers.school, teamBody(callRes.body.schoolYear));
    expect(team.status, JSON.stringify(team.body)).toBe(201);
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const again = await boot();
    const beside = await boot();
    for (const s of [again, beside]) {
      expect((await call(s, "GET", `/v1/teams/${team.body.id}`, callers.school)).status).toBe(200);
      expect((await call(s, "GET", `/v1/calls/${callRes.body.id}`, callers.staff)).status).toBe(200);
    }
  }, 120_000);
});
