// Booking lab equipment gated by a credential, against the REAL catalogue service started beside this
// one (same token issuer): the CNC needs DigComp 2.2 competence 3.4 at level 4. Booked without the
// credential: 409 credential_missing, nothing stored; once the catalogue issues it through its public
// API: booked, the item's units claimed; with the catalogue stopped: 503 with Retry-After, nothing
// stored, while an item needing no credential is still booked.
import { addDays, romeDate } from "@lto/civil-time";
import { catalogueService } from "@lto/catalogue-service";
import { testAuth, type TestAuth } from "@lto/testkit";
import { startTestService, type TestService } from "@lto/testkit/service";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anOperatorWith, bookingBody, MONDAY, NOT_COURSE_MEETINGS } from "./bookings-support.js";
import { callers, ok, personBody, startSelfEmployment } from "./support.js";

const DAY = 86_400_000;
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

/** A credential for LEARNER through the catalogue's public API: a DigComp 3.4 level 4 course completed. */
async function issueCredential(): Promise<string> {
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
    personId: LEARNER,
    overrideReason: "Ammesso dallo staff per il laboratorio",
  });
  catalogue.clock.set(new Date(catalogue.clock.now().getTime() + 60 * DAY));
  for (const meeting of session.meetings as { id: string }[])
    await ok(staff, "PUT", `/v1/sessions/${session.id}/meetings/${meeting.id}/attendance`, {
      marks: [{ personId: LEARNER, status: "present" }],
    });
  const completion = await ok(staff, "POST", `/v1/sessions/${session.id}/completion`, {
    assessments: [{ personId: LEARNER, result: "passed" }],
  });
  const outcome = (completion.outcomes as { personId: string; credentialId?: string }[]).find(
    (o) => o.personId === LEARNER,
  );
  if (!outcome?.credentialId) throw new Error(`no credential issued: ${JSON.stringify(completion)}`);
  return outcome.credentialId;
}

beforeAll(async () => {
  auth = await testAuth();
  catalogue = await startTestService(catalogueService, { auth, env: { SEED_DEMO_WHEN_EMPTY: "false" } });
  svc = await startSelfEmployment({
    auth,
    env: {
      SEED_DEMO_WHEN_EMPTY: "false",
      CATALOGUE_GRPC_ADDRESS: catalogue.running.grpc.address,
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
    await issueCredential();
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
