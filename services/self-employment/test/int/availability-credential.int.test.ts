// The equipment credential gate against the REAL catalogue service started beside this one (same
// token issuer): the CNC needs DigComp 2.2 competence 3.4 at level 4. A person whose learner account
// holds no credential is refused; once the catalogue issues one through its public API (a course
// completed) the same question is allowed; with the catalogue stopped the answer is 503 with
// Retry-After and nothing is stored.
import { createServer, type Server, type Socket } from "node:net";
import { catalogueService } from "@lto/catalogue-service";
import { testAuth, type TestAuth } from "@lto/testkit";
import { startTestService, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueCredential } from "./credential-support.js";
import { callers, ok, personBody, startSelfEmployment } from "./support.js";

const CNC = "lto-mantova-cnc";
const LEARNER = `learner-${Math.random().toString(36).slice(2, 10)}`;

let auth: TestAuth;
let catalogue: TestService;
let catalogueStopped = false;
let svc: TestService;
let personId: string;
let stranger: string;

const access = (person: string, item = CNC) =>
  svc.as(callers.staff).get(`/v1/equipment/${item}/access?person=${person}`);

beforeAll(async () => {
  // One token issuer for both services, outliving the catalogue (stopped by a test below).
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
  personId = (
    await ok(svc.as(callers.staff), "POST", "/v1/persons", personBody(svc, { learnerSubject: LEARNER }))
  ).id;
  stranger = (await ok(svc.as(callers.staff), "POST", "/v1/persons", personBody(svc))).id;
}, 300_000);
afterAll(async () => {
  await svc?.close();
  if (!catalogueStopped) await catalogue?.close();
  await auth?.close();
});

describe("the equipment credential gate, asking the real catalogue", () => {
  it("refuses a person whose learner account holds no credential, naming the requirement", async () => {
    const res = await access(personId);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      item: CNC,
      person: personId,
      allowed: false,
      requirement: { framework: "digcomp", version: "2.2", competence: "3.4", minimumLevel: 4 },
      reason: "holds no valid credential for digcomp 2.2 competence 3.4 at level 4 or higher",
    });
  });

  it("refuses a person without a learner account on record, saying what to record", async () => {
    const res = await access(stranger);
    expect(res.body).toMatchObject({ allowed: false, reason: expect.stringMatching(/learnerSubject/) });
  });

  it("allows the person once the catalogue has issued the credential", async () => {
    const credentialId = await issueCredential(catalogue, LEARNER);
    const res = await access(personId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      allowed: true,
      credentialId,
      reason: `holds credential ${credentialId} at level 4`,
    });
    // The laser cutter needs level 3: level 4 is enough.
    expect((await access(personId, "lto-mantova-laser")).body.allowed).toBe(true);
  });

  it("answers 503 with Retry-After when the catalogue is down, and stores nothing", async () => {
    const before = (await svc.as(callers.staff).get(`/v1/persons/${personId}`)).body;
    await catalogue.close();
    catalogueStopped = true;
    const started = Date.now();
    const res = await access(personId);
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(res.body.detail).toMatch(/catalogue/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await svc.as(callers.staff).get(`/v1/persons/${personId}`)).body).toEqual(before);
    // An item that needs no credential is still answered.
    expect((await access(personId, "lto-mantova-stampante-3d-1")).body.allowed).toBe(true);
  });
});

describe("a catalogue that does not answer in time", () => {
  // A peer that accepts connections and never says a word: only the deadline ends the call.
  let silent: Server;
  let slow: TestService;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    slow = await startSelfEmployment({
      auth,
      env: {
        SEED_DEMO_WHEN_EMPTY: "false",
        CATALOGUE_GRPC_ADDRESS: `127.0.0.1:${port}`,
        CATALOGUE_GRPC_DEADLINE_MS: "300",
      },
    });
  }, 120_000);
  afterAll(async () => {
    await slow?.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
  });

  it("answers 503 with Retry-After within the deadline's reach, and stores nothing", async () => {
    const staff = slow.as(callers.staff);
    const id = (await ok(staff, "POST", "/v1/persons", personBody(slow, { learnerSubject: LEARNER }))).id;
    const before = (await staff.get(`/v1/persons/${id}`)).body;
    const started = Date.now();
    const res = await staff.get(`/v1/equipment/${CNC}/access?person=${id}`);
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    // Three attempts of 300 ms at most, with short back-offs: well under the caller's patience.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await staff.get(`/v1/persons/${id}`)).body).toEqual(before);
  });
});

describe("the learner account on a person record", () => {
  it("is refused blank or too long, naming learnerSubject, and nothing is stored", async () => {
    const staff = svc.as(callers.staff);
    for (const learnerSubject of ["", " ", "x".repeat(201), "a\u0000b"]) {
      const body = personBody(svc, { learnerSubject });
      const res = await staff.post("/v1/persons", body);
      expect(res.status, JSON.stringify(learnerSubject)).toBe(400);
      expect(JSON.stringify(res.body)).toContain("learnerSubject");
      const listed = (await staff.get("/v1/sites/lto-mantova/persons?limit=100")).body.items as {
        codiceFiscale: string;
      }[];
      expect(listed.some((p) => p.codiceFiscale === body.codiceFiscale)).toBe(false);
    }
  });

  it("is shown to staff and never to the programme office", async () => {
    expect((await svc.as(callers.staff).get(`/v1/persons/${personId}`)).body.learnerSubject).toBe(LEARNER);
    expect((await svc.as(callers.programme).get(`/v1/persons/${personId}`)).body).not.toHaveProperty(
      "learnerSubject",
    );
  });
});
