// THE RACE: 1,000 simultaneous bookings of one last slot through the public HTTP API of two instances
// of the service on one store: exactly one 201, 999 x 409, and in the ledger exactly the claims of the
// one booking written (besides the slot booked before). The claims live in the store, so the two
// processes cannot both win. (`npm run bench:race` measures the same race against plain inserts.)
import type { TestService } from "@lto/testkit/service";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookingBody, MONDAY, NOT_COURSE_MEETINGS, tuesday } from "./bookings-support.js";
import { callers, ok, operatorBody, personBody, startSelfEmployment } from "./support.js";

const CONTENDERS = Number(process.env.RACE_CONTENDERS ?? 1000);
/** Persons booking; each sends CONTENDERS / PERSONS of the requests (each for the same last slot). */
const PERSONS = 100;

let svc: TestService;
let peer: TestService;
let mongo: MongoClient;

beforeAll(async () => {
  svc = await startSelfEmployment();
  peer = await startSelfEmployment({ sameAs: svc });
  svc.clock.set(MONDAY);
  mongo = await MongoClient.connect(svc.mongoUrl);
}, 60_000);

afterAll(async () => {
  await mongo?.close();
  await peer?.close();
  await svc?.close();
});

describe("racing for the last slot on the real store", () => {
  it(`books the last slot for exactly one of ${CONTENDERS} simultaneous requests over two instances`, async () => {
    const staff = svc.as(callers.staff);
    // Tuesdays 09:00-11:15 only: accoglienza (60' + 15' after) fits at 09:00 and at 10:15.
    const operator = await ok(
      staff,
      "POST",
      "/v1/operators",
      operatorBody({
        plan: [{ weekday: 2, site: "lto-mantova", hours: { start: "09:00", end: "11:15" }, breaks: [] }],
      }),
    );
    // PERSONS contenders, and one more who holds the slot booked before: not a contender, so a winner's
    // own other requests meet only the slot gone (with that booking too, 2 h of accoglienza, the cap of 2 h
    // would refuse them first, which is right but not this race).
    const persons: string[] = [];
    for (let i = 0; i < PERSONS + 1; i += 20)
      persons.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(20, PERSONS + 1 - i) }, async () => {
            const p = await ok(staff, "POST", "/v1/persons", personBody(svc));
            await ok(staff, "POST", `/v1/persons/${p.id}/path`, {});
            return p.id as string;
          }),
        )),
      );
    expect((await staff.post("/v1/bookings", bookingBody(persons[PERSONS]!, operator.id))).status).toBe(201);
    const last = tuesday("10:15").toISOString();
    const free = await staff.get(
      `/v1/availability?service=accoglienza&site=lto-mantova&from=2026-03-03&to=2026-03-03&operator=${operator.id}`,
    );
    expect(free.body.days[0].slots.map((s: { start: string }) => s.start)).toEqual([last]);

    // Tokens signed first, so the race is the bookings and nothing else.
    const clients = [svc.as(callers.staff), peer.as(callers.staff)];
    await Promise.all(clients.map((c) => c.get("/v1/bookings?site=lto-mantova&limit=1")));
    const started = Date.now();
    const replies = await Promise.all(
      Array.from({ length: CONTENDERS }, (_, i) =>
        clients[i % 2]!.post(
          "/v1/bookings",
          bookingBody(persons[i % PERSONS]!, operator.id, { start: last }),
        ),
      ),
    );
    const elapsed = Date.now() - started;

    const byStatus = new Map<number, number>();
    for (const r of replies) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    expect(Object.fromEntries(byStatus)).toEqual({ 201: 1, 409: CONTENDERS - 1 });
    // Every loser is told the slot went (as taken, or as no longer offered): any other refusal is named.
    const otherRefusals = replies
      .filter(
        (r) => r.status === 409 && r.body.reason !== "slot_taken" && r.body.reason !== "slot_unavailable",
      )
      .map((r) => `${r.body.reason}: ${r.body.detail}`);
    expect([...new Set(otherRefusals)]).toEqual([]);
    const winner = replies.find((r) => r.status === 201)!.body;
    expect(winner).toMatchObject({ start: last, status: "confirmed" });

    const db = mongo.db(svc.dbName);
    const bookings = await db.collection("bookings").find({}).toArray();
    expect(bookings).toHaveLength(2);
    // In the ledger: exactly the two bookings' claims, 15 operator units (with the buffer) and 12 room
    // units each, all settled; nothing of the 999.
    const claims = await db.collection("slot_claims").find(NOT_COURSE_MEETINGS).toArray();
    const holders = new Map<string, number>();
    for (const c of claims) holders.set(c.holderId as string, (holders.get(c.holderId as string) ?? 0) + 1);
    expect(Object.fromEntries(holders)).toEqual(Object.fromEntries(bookings.map((b) => [b._id, 27])));
    expect(claims.every((c) => c.settled)).toBe(true);
    const winnerPath = await ok(staff, "GET", `/v1/paths/${winner.pathId}`);
    expect(winnerPath.bookings.map((b: { bookingId: string }) => b.bookingId)).toContain(winner.id);
    // No other path records a booking of the last slot.
    const paths = await db
      .collection("paths")
      .find({ "bookings.start": new Date(last) })
      .toArray();
    expect(paths).toHaveLength(1);
    console.info(`${CONTENDERS} bookings of the last slot over HTTP (2 instances): ${elapsed} ms`);
  }, 300_000);
});
