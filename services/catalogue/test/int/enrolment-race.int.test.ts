// The seat ledger under contention on the real store: 1,000 different learners race for the LAST seat
// through the public HTTP API of two instances (one store): exactly one is confirmed, every other is
// told it waits (202), nothing fails, and exactly one seat document exists for it. The same person
// racing 20 times gets one enrolment holding one seat. A session without a waiting list answers 409 to
// the 999 others. (`npm run bench:race` measures the same race against plain inserts.)
import type { TokenClaims } from "@lto/auth";
import type { TestService } from "@lto/testkit/service";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allPages, callers, ok, publishedCourseWithSession, sessionBody, startCatalogue } from "./support.js";

const CONTENDERS = Number(process.env.RACE_CONTENDERS ?? 1000);
const CAPACITY = 5;

let svc: TestService;
let peer: TestService;
let mongo: MongoClient;

const learner = (n: number | string): TokenClaims => ({
  sub: `racer-${n}`,
  role: "learner",
  org: `racer-${n}`,
});

async function seatDocs(sessionId: string) {
  return mongo.db(svc.dbName).collection("seats").find({ group: sessionId }).toArray();
}

async function newSession(capacity: number) {
  const { course } = await publishedCourseWithSession(svc);
  return ok(svc.as(callers.staff), "POST", "/v1/sessions", sessionBody(course.id, { capacity }));
}

beforeAll(async () => {
  svc = await startCatalogue();
  peer = await startCatalogue({ sameAs: svc });
  mongo = await MongoClient.connect(svc.mongoUrl);
});

afterAll(async () => {
  await mongo?.close();
  await peer?.close();
  await svc?.close();
});

describe("racing for seats on the real store", () => {
  it(`gives the last seat to exactly one of ${CONTENDERS} simultaneous learners over two instances`, async () => {
    const session = await newSession(CAPACITY);
    const staff = svc.as(callers.staff);
    for (let i = 0; i < CAPACITY - 1; i++)
      expect(
        (await staff.post(`/v1/sessions/${session.id}/enrolments`, { personId: `early-${i}` })).status,
      ).toBe(201);
    // Sign every token first, so the race is the enrolments and nothing else.
    const clients = Array.from({ length: CONTENDERS }, (_, i) => (i % 2 ? peer : svc).as(learner(i)));
    await Promise.all(clients.map((c) => c.get("/v1/enrolments/mine")));

    const started = Date.now();
    const replies = await Promise.all(
      clients.map((c) => c.post(`/v1/sessions/${session.id}/enrolments`, {})),
    );
    const elapsed = Date.now() - started;

    const byStatus = new Map<number, number>();
    for (const r of replies) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    expect(Object.fromEntries(byStatus)).toEqual({ 201: 1, 202: CONTENDERS - 1 });
    const winner = replies.find((r) => r.status === 201)!;
    expect(winner.body).toMatchObject({ status: "confirmed", seat: expect.any(Number) });
    const waiting = replies.filter((r) => r.status === 202).map((r) => r.body);
    expect(waiting.every((b) => b.status === "waitlisted" && b.position >= 1)).toBe(true);

    const seats = await seatDocs(session.id);
    expect(seats).toHaveLength(CAPACITY);
    expect(new Set(seats.map((s) => s.number)).size).toBe(CAPACITY);
    expect(seats.filter((s) => s.holderId === winner.body.id)).toHaveLength(1);
    const list = await allPages(staff, `/v1/sessions/${session.id}/enrolments`);
    expect(list.items.filter((e: { status: string }) => e.status === "confirmed")).toHaveLength(CAPACITY);
    const positions = list.items
      .filter((e: { status: string }) => e.status === "waitlisted")
      .map((e: { position: number }) => e.position)
      .sort((a: number, b: number) => a - b);
    expect(positions).toEqual(Array.from({ length: CONTENDERS - 1 }, (_, i) => i + 1));
    expect((await ok(staff, "GET", `/v1/sessions/${session.id}`)).freeSeats).toBe(0);
    console.info(`${CONTENDERS} enrolments for the last seat over HTTP (2 instances): ${elapsed} ms`);
  }, 300_000);

  it("lets the same person racing 20 times hold one enrolment and one seat", async () => {
    const session = await newSession(10);
    const me = learner("twenty");
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? peer : svc).as(me).post(`/v1/sessions/${session.id}/enrolments`, {}),
      ),
    );
    expect(replies.every((r) => r.status === 201 || r.status === 200)).toBe(true);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    const seats = await seatDocs(session.id);
    expect(seats).toHaveLength(1);
    expect(seats[0]!.holderId).toBe(replies[0]!.body.id);
    const mine = await ok(svc.as(me), "GET", "/v1/enrolments/mine");
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ status: "confirmed", seat: seats[0]!.number });
  }, 60_000);

  it(`answers 409 to every other of ${CONTENDERS} when the session keeps no waiting list`, async () => {
    const strict = await startCatalogue({ env: { WAITLIST: "false" } });
    try {
      const { course } = await publishedCourseWithSession(strict);
      const session = await ok(
        strict.as(callers.staff),
        "POST",
        "/v1/sessions",
        sessionBody(course.id, { capacity: 1 }),
      );
      const replies = await Promise.all(
        Array.from({ length: CONTENDERS }, (_, i) =>
          strict.as(learner(`strict-${i}`)).post(`/v1/sessions/${session.id}/enrolments`, {}),
        ),
      );
      const statuses = replies.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(CONTENDERS - 1);
      expect(replies.find((r) => r.status === 409)!.body.detail).toMatch(/no waiting list/);
      expect(await mongo.db(strict.dbName).collection("seats").countDocuments({ group: session.id })).toBe(1);
      expect(
        await mongo.db(strict.dbName).collection("enrolments").countDocuments({ sessionId: session.id }),
      ).toBe(1);
    } finally {
      await strict.close();
    }
  }, 60_000);
});
