// Booking lab equipment gated by a credential, against the REAL catalogue service started beside this
// one (same token issuer): the CNC needs DigComp 2.2 competence 3.4 at level 4. Booked without the
// credential: 409 credential_missing, nothing stored; once the catalogue issues it through its public
// API: booked, the item's units claimed; with the catalogue stopped: 503 with Retry-After, nothing
// stored, while an item needing no credential is still booked.
import { catalogueService } from "@lto/catalogue-service";
import { testAuth, type TestAuth } from "@lto/testkit";
import { startTestService, type TestService } from "@lto/testkit/service";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anOperatorWith, bookingBody, MONDAY, NOT_COURSE_MEETINGS } from "./bookings-support.js";
import { issueCredential } from "./credential-support.js";
import { callers, ok, personBody, startSelfEmployment } from "./support.js";

const CNC = "lto-mantova-cnc";
const LEARNER = `learner-${Math.random().toString(36).slice(2, 10)}`;

let auth: TestAuth;
let catalogue: TestService;
let catalogueStopped = false;
let svc: TestService;
let mongo: MongoClient;
let laura: string;

const staff = () => svc.as(callers.staff);
/** A person at lto-mantova with an open path (their learner account `learnerSubject` when given). */
async function personWithPath(learnerSubject?: string) {
  const p = await ok(
    staff(),
    "POST",
    "/v1/persons",
    personBody(svc, learnerSubject ? { learnerSubject } : {}),
  );
  await ok(staff(), "POST", `/v1/persons/${p.id}/path`, {});
  return p.id as string;
}
/** LEARNER's person: one person per learner account, registered once and shared by the tests. */
let learnerPerson: Promise<string> | undefined;
const holderOfLearner = () => (learnerPerson ??= personWithPath(LEARNER));
const inLab = (person: string, start: string, equipmentIds: string[]) =>
  bookingBody(person, laura, { start, roomId: "lto-mantova-fablab", equipmentIds });
const stored = async () => ({
  bookings: await mongo.db(svc.dbName).collection("bookings").countDocuments({}),
  claims: await mongo.db(svc.dbName).collection("slot_claims").countDocuments(NOT_COURSE_MEETINGS),
});

beforeAll(async () => {
  auth = await testAuth();
  catalogue = await startTestService(catalogueService, { auth, env: { SEED_DEMO_WHEN_EMPTY: "false" } });
  svc = await startSelfEmployment({
    auth,
    env: {
      SEED_DEMO_WHEN_EMPTY: "false",
      CATALOGUE_GRPC_ADDRESS: catalogue.grpcAddress,
      CATALOGUE_GRPC_DEADLINE_MS: "1500",
    },
  });
  svc.clock.set(MONDAY);
  mongo = await MongoClient.connect(svc.mongoUrl);
  laura = await anOperatorWith(svc, ["orientatore"]);
}, 300_000);
afterAll(async () => {
  await mongo?.close();
  await svc?.close();
  if (!catalogueStopped) await catalogue?.close();
  await auth?.close();
});

describe("booking lab equipment gated by a credential from the real catalogue", () => {
  it("refuses the CNC to a person without the credential (or without a learner account), storing nothing", async () => {
    const holder = await holderOfLearner();
    const stranger = await personWithPath();
    const before = await stored();
    const refused = await staff().post("/v1/bookings", inLab(holder, "2026-03-03T09:00:00+01:00", [CNC]));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      reason: "credential_missing",
      equipmentId: CNC,
      field: "equipmentIds.0",
      requirement: { framework: "digcomp", version: "2.2", competence: "3.4", minimumLevel: 4 },
    });
    const noAccount = await staff().post("/v1/bookings", inLab(stranger, "2026-03-03T09:00:00+01:00", [CNC]));
    expect(noAccount.status).toBe(409);
    expect(noAccount.body.detail).toMatch(/learnerSubject/);
    expect(await stored()).toEqual(before);
  });

  it("books the CNC once the catalogue has issued the credential; its units are claimed", async () => {
    await issueCredential(catalogue, LEARNER);
    const holder = await holderOfLearner();
    const res = await staff().post("/v1/bookings", inLab(holder, "2026-03-03T10:15:00+01:00", [CNC]));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ roomId: "lto-mantova-fablab", equipmentIds: [CNC] });
    const units = await mongo
      .db(svc.dbName)
      .collection("slot_claims")
      .countDocuments({ holderId: res.body.id, _id: { $regex: `^equipment:${CNC}@` } as never });
    expect(units).toBe(12);
  });

  it("answers 503 with Retry-After when the catalogue is down, storing nothing; an open item is still booked", async () => {
    const holder = await holderOfLearner();
    await catalogue.close();
    catalogueStopped = true;
    const before = await stored();
    const res = await staff().post("/v1/bookings", inLab(holder, "2026-03-04T09:00:00+01:00", [CNC]));
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await stored()).toEqual(before);
    const open = await staff().post(
      "/v1/bookings",
      inLab(holder, "2026-03-04T09:00:00+01:00", ["lto-mantova-stampante-3d-1"]),
    );
    expect(open.status).toBe(201);
  });
});
