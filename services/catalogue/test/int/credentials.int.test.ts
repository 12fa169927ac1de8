// Attendance, completion and credentials end to end through the public API, on the real broker and
// store: a register with a correction, completion outcomes, a credential issued, verified, tampered,
// revoked and downloaded, gRPC CheckCredential, the passport, erasure, the role matrix and bad input.
import { topics } from "@lto/contracts";
import {
  AttendanceRecordedEvent,
  catalogueV1,
  CourseCompletedEvent,
  CredentialIssuedEvent,
  CredentialRevokedEvent,
} from "@lto/contracts";
import { createGrpcClient } from "@lto/grpc-kit";
import { AggregateStore } from "@lto/store";
import { readTopic, type TestService, type TopicRecord } from "@lto/testkit/service";
import { addDays, romeDate } from "@lto/civil-time";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogueCollections } from "../../src/infra/store.js";
import { credentialIssuer } from "../../src/infra/credential-repositories.js";
import { callers, confirmEnrolmentsFixture, courseBody, ok, sessionBody, startCatalogue } from "./support.js";

const trainer = { sub: "trainer-neri", role: "partner", org: "partner-cfp-for-ma" } as const;
const giulia = callers.learner;
const MARCO = "learner-marco";
const SARA = "learner-sara";
const DAY = 86_400_000;

let svc: TestService;
let sessionId: string;
let meetings: { id: string }[];
let credentialId: string;
let jwt: string;

const staff = () => svc.as(callers.staff);
const attendancePath = (i: number) => `/v1/sessions/${sessionId}/meetings/${meetings[i]!.id}/attendance`;

function flipPayloadByte(token: string, text: string): string {
  const parts = token.split(".");
  const bytes = Buffer.from(parts[1]!, "base64url");
  const i = bytes.indexOf(text) + 2;
  bytes[i] = bytes[i]! ^ 0x01;
  parts[1] = bytes.toString("base64url");
  return parts.join(".");
}

async function grpcCheck(minimumLevel: number) {
  const client = createGrpcClient(catalogueV1.CatalogueServiceClient, svc.grpcAddress, {
    deadlineMs: 5000,
  });
  try {
    return await client.checkCredential(
      catalogueV1.CheckCredentialRequest.fromPartial({
        personId: giulia.sub,
        framework: "digcomp",
        frameworkVersion: "2.2",
        competence: "3.4",
        minimumLevel,
      }),
      { token: await svc.auth.token(callers.staff) },
    );
  } finally {
    client.close();
  }
}

beforeAll(async () => {
  svc = await startCatalogue();
  const course = await ok(staff(), "POST", "/v1/courses", courseBody({ titleIt: "Cittadinanza digitale" }));
  await ok(staff(), "POST", `/v1/courses/${course.id}/publish`);
  const body = sessionBody(course.id);
  body.meetings = body.meetings.map((m) => ({ ...m, trainer: trainer.sub }));
  const session = await ok(staff(), "POST", "/v1/sessions", body);
  sessionId = session.id;
  meetings = session.meetings;
  await confirmEnrolmentsFixture(svc, sessionId, [giulia.sub, MARCO, SARA]);
}, 300_000);

afterAll(async () => {
  await svc?.close();
});

describe("attendance and completion", () => {
  it("takes no attendance before the meeting begins", async () => {
    const res = await svc
      .as(trainer)
      .put(attendancePath(0), { marks: [{ personId: giulia.sub, status: "present" }] });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/starts at/);
  });

  it("keeps a correction in the register's history; the trainer and staff keep it", async () => {
    svc.clock.set(new Date(Date.now() + 60 * DAY));
    const first = await svc.as(trainer).put(attendancePath(0), {
      marks: [
        { personId: giulia.sub, status: "present" },
        { personId: MARCO, status: "absent" },
        { personId: SARA, status: "present" },
      ],
    });
    expect(first.status).toBe(200);
    const corrected = await staff().put(attendancePath(0), {
      marks: [{ personId: MARCO, status: "late", lateMinutes: 30 }],
    });
    expect(corrected.status).toBe(200);
    const register = (await staff().get(attendancePath(0))).body;
    expect(register.history.map((e: { personId: string; status: string }) => [e.personId, e.status])).toEqual(
      [
        [giulia.sub, "present"],
        [MARCO, "absent"],
        [SARA, "present"],
        [MARCO, "late"],
      ],
    );
    expect(register.history[3]).toMatchObject({ correction: true, by: callers.staff.sub, lateMinutes: 30 });
    expect(register.current).toContainEqual({ personId: MARCO, status: "late", lateMinutes: 30 });
    await ok(svc.as(trainer), "PUT", attendancePath(1), {
      marks: [
        { personId: giulia.sub, status: "present" },
        { personId: MARCO, status: "present" },
        { personId: SARA, status: "absent" },
      ],
    });
  });

  it("refuses learners not confirmed on the session, naming them, and stores nothing", async () => {
    const before = (await staff().get(attendancePath(1))).body;
    const res = await staff().put(attendancePath(1), {
      marks: [
        { personId: giulia.sub, status: "absent" },
        { personId: "learner-intruso", status: "present" },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(res.body)).toContain("learner-intruso");
    expect((await staff().get(attendancePath(1))).body).toEqual(before);
  });

  it("answers bad input with 400 problem+json and stores nothing", async () => {
    const before = (await staff().get(attendancePath(1))).body;
    for (const body of [
      { marks: [] },
      { marks: [{ personId: giulia.sub, status: "sleeping" }] },
      { marks: [{ personId: giulia.sub, status: "late", lateMinutes: "ten" }] },
      { marks: [{ personId: giulia.sub, status: "late" }] },
      { marks: [{ personId: giulia.sub, status: "present", lateMinutes: 5 }] },
      { marks: [{ personId: giulia.sub, status: "present", extra: 1 }] },
      { marks: [{ personId: "", status: "present" }] },
    ]) {
      const res = await staff().put(attendancePath(1), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
    }
    expect((await staff().get(attendancePath(1))).body).toEqual(before);
    const badCompletion = await staff().post(`/v1/sessions/${sessionId}/completion`, {
      assessments: [{ personId: giulia.sub, result: "maybe" }],
    });
    expect(badCompletion.status).toBe(400);
    const missing = await staff().post(`/v1/sessions/${sessionId}/completion`, {
      assessments: [{ personId: giulia.sub, result: "passed" }],
    });
    expect(missing.status).toBe(400);
    // names both learners without a result (in the roster's order)
    expect(JSON.stringify(missing.body)).toMatch(new RegExp(`${MARCO}, ${SARA}|${SARA}, ${MARCO}`));
    expect((await staff().get(`/v1/sessions/${sessionId}/completion`)).status).toBe(404);
  });

  it("takes no attendance for a cancelled meeting", async () => {
    await ok(staff(), "POST", `/v1/sessions/${sessionId}/meetings/${meetings[2]!.id}/cancel`, {
      reason: "Sciopero dei trasporti",
    });
    const res = await staff().put(attendancePath(2), {
      marks: [{ personId: giulia.sub, status: "present" }],
    });
    expect(res.status).toBe(409);
  });

  it("completes the session: outcomes by the rule, a credential for who completed", async () => {
    const res = await staff().post(`/v1/sessions/${sessionId}/completion`, {
      assessments: [
        { personId: giulia.sub, result: "passed" },
        { personId: MARCO, result: "failed" },
        { personId: SARA, result: "passed" },
      ],
    });
    expect(res.status).toBe(200);
    const outcomes = Object.fromEntries(
      res.body.outcomes.map((o: { personId: string; outcome: string }) => [o.personId, o]),
    );
    expect(outcomes[giulia.sub]).toMatchObject({
      outcome: "completed",
      attendedMinutes: 360,
      totalMinutes: 360,
    });
    expect(outcomes[MARCO]).toMatchObject({ outcome: "attended_only", attendedMinutes: 330 });
    expect(outcomes[SARA]).toMatchObject({ outcome: "not_completed", attendedMinutes: 180 });
    expect(outcomes[MARCO].credentialId).toBeUndefined();
    credentialId = outcomes[giulia.sub].credentialId;
    expect((await staff().get(`/v1/sessions/${sessionId}`)).body.state).toBe("completed");
    // Repeating it answers the same outcomes and issues nothing more.
    const again = await staff().post(`/v1/sessions/${sessionId}/completion`, { assessments: [] });
    expect(again.body.outcomes).toEqual(res.body.outcomes);
    const mine = (await svc.as(giulia).get("/v1/credentials/mine")).body.items;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      id: credentialId,
      site: "lto-mantova",
      courseTitle: "Cittadinanza digitale",
      hours: 6,
      competences: [{ framework: "digcomp", version: "2.2", competence: "3.4", level: 4 }],
      revoked: false,
    });
    expect(
      (await svc.as({ ...giulia, sub: MARCO, org: MARCO }).get("/v1/credentials/mine")).body.items,
    ).toEqual([]);
  });
});

describe("the credential", () => {
  it("is served as a VC-JWT and verifies as valid; one byte changed is tampered", async () => {
    const res = await svc.as(giulia).get(`/v1/credentials/${credentialId}`, {
      headers: { accept: "application/vc+jwt" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/vc\+jwt/);
    jwt = res.text;
    const payload = JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString());
    expect(payload.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(payload.credentialSubject.achievement.alignment[0]).toMatchObject({ targetCode: "3.4" });
    expect(JSON.stringify(payload)).not.toContain(giulia.sub);
    const anyone = svc.as();
    expect((await anyone.post("/v1/credentials/verify", { credential: jwt })).body).toEqual({
      verdict: "valid",
      reason: "signed by the issuer, unaltered, not revoked",
    });
    const tampered = flipPayloadByte(jwt, "Cittadinanza");
    expect((await anyone.post("/v1/credentials/verify", { credential: tampered })).body.verdict).toBe(
      "tampered",
    );
    expect((await anyone.post("/v1/credentials/verify", { credential: "not-a-jwt" })).body.verdict).toBe(
      "invalid",
    );
  });

  it("publishes the issuer profile, its keys and the status list", async () => {
    const anyone = svc.as();
    const issuer = (await anyone.get("/v1/issuer")).body;
    expect(issuer).toMatchObject({ type: ["Profile"], id: expect.stringMatching(/\/v1\/issuer$/) });
    const jwks = (await anyone.get("/v1/issuer/jwks.json")).body;
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty("d");
    const list = await anyone.get("/v1/status-lists/1");
    expect(list.status).toBe(200);
    expect(list.headers.get("content-type")).toMatch(/application\/vc\+jwt/);
    expect((await anyone.get("/v1/status-lists/99")).status).toBe(404);
  });

  it("downloads as an Italian PDF attestato, with the learner's name only when asked", async () => {
    const token = await svc.auth.token(giulia);
    const res = await fetch(
      `${svc.url}/v1/credentials/${credentialId}/attestato.pdf?learnerName=${encodeURIComponent("Giulia Rossi")}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe("%PDF-");
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
    expect(pdf.getTitle()).toBe("Attestato - Cittadinanza digitale");
    expect(pdf.getKeywords()).toContain(credentialId);
    const other = await svc.as(callers.staff).get(`/v1/credentials/${credentialId}/attestato.pdf`);
    expect(other.status).toBe(404);
  });

  it("answers gRPC CheckCredential and ListCredentials from the issued credential", async () => {
    expect(await grpcCheck(3)).toMatchObject({ satisfied: true, credentialId, level: 4 });
    const client = createGrpcClient(catalogueV1.CatalogueServiceClient, svc.grpcAddress, {
      deadlineMs: 5000,
    });
    try {
      const { credentials } = await client.listCredentials(
        { personId: giulia.sub },
        { token: await svc.auth.token(giulia) },
      );
      expect(credentials).toEqual([
        expect.objectContaining({ id: credentialId, site: "lto-mantova", hours: 6, revoked: false }),
      ]);
    } finally {
      client.close();
    }
    expect(await grpcCheck(5)).toMatchObject({ satisfied: false });
  });

  it("shows in the learner's skills passport; staff read it with a reason", async () => {
    const mine = (await svc.as(giulia).get("/v1/passport/mine")).body;
    expect(mine.items).toEqual([
      expect.objectContaining({
        credentialId,
        site: "lto-mantova",
        competences: [{ framework: "digcomp", frameworkVersion: "2.2", competence: "3.4", level: 4 }],
      }),
    ]);
    const read = await svc
      .as(callers.programme)
      .get(`/v1/passport/${giulia.sub}?reason=${encodeURIComponent("Verifica requisiti bando")}`);
    expect(read.body.items).toHaveLength(1);
    expect((await svc.as(callers.programme).get(`/v1/passport/${giulia.sub}`)).status).toBe(400);
  });

  it("is revoked by staff of the issuing site with a reason: verify says revoked, gRPC says no", async () => {
    expect(
      (
        await svc
          .as(callers.otherSiteStaff)
          .post(`/v1/credentials/${credentialId}/revocation`, { reason: "Errore" })
      ).status,
    ).toBe(403);
    expect((await staff().post(`/v1/credentials/${credentialId}/revocation`, {})).status).toBe(400);
    const res = await staff().post(`/v1/credentials/${credentialId}/revocation`, {
      reason: "Rilasciata per errore: prova finale non registrata",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ revoked: true, revocationReason: expect.stringMatching(/errore/) });
    expect((await svc.as().post("/v1/credentials/verify", { credential: jwt })).body).toEqual({
      verdict: "revoked",
      reason: "the issuer revoked this credential",
    });
    expect(await grpcCheck(3)).toMatchObject({ satisfied: false });
    expect((await svc.as(giulia).get("/v1/passport/mine")).body.items).toEqual([]);
  });

  it("puts every event on the catalogue topic", async () => {
    const has = (rs: readonly TopicRecord[], key: string, type: string) =>
      rs.find((r) => r.key === key && r.headers.ce_type === `lto.catalogue.v1.${type}`);
    const records = await readTopic(topics.catalogue, (rs) =>
      [
        has(rs, sessionId, "AttendanceRecorded"),
        has(rs, sessionId, "CourseCompleted"),
        has(rs, credentialId, "CredentialIssued"),
        has(rs, credentialId, "CredentialRevoked"),
      ].every(Boolean),
    );
    const attendance = records
      .filter((r) => r.key === sessionId && r.headers.ce_type === "lto.catalogue.v1.AttendanceRecorded")
      .map((r) => AttendanceRecordedEvent.decode(r.value));
    expect(attendance).toContainEqual(
      expect.objectContaining({
        personId: MARCO,
        status: "ATTENDANCE_STATUS_LATE",
        lateMinutes: 30,
        correction: true,
      }),
    );
    const completed = records
      .filter((r) => r.key === sessionId && r.headers.ce_type === "lto.catalogue.v1.CourseCompleted")
      .map((r) => CourseCompletedEvent.decode(r.value));
    expect(completed).toEqual([
      expect.objectContaining({
        personId: giulia.sub,
        outcome: "COMPLETION_OUTCOME_COMPLETED",
        attendedHours: 6,
        hours: 6,
      }),
    ]);
    expect(
      CredentialIssuedEvent.decode(has(records, credentialId, "CredentialIssued")!.value as Buffer),
    ).toMatchObject({
      personId: giulia.sub,
      site: "lto-mantova",
      hours: 6,
    });
    expect(
      CredentialRevokedEvent.decode(has(records, credentialId, "CredentialRevoked")!.value as Buffer).reason,
    ).toMatch(/errore/);
  });
});

describe("who may call what", () => {
  const roles = {
    none: undefined,
    learner: giulia,
    staff: callers.staff,
    otherSiteStaff: callers.otherSiteStaff,
    programme: callers.programme,
    admin: callers.admin,
    partner: callers.partner,
    school: callers.school,
    company: callers.company,
    trainer,
  } as const;
  type Row = [string, string, () => unknown, Partial<Record<keyof typeof roles, number>>, number];
  // [method, path, body, exceptions, everyone else]
  const rows = (): Row[] => [
    ["GET", attendancePath(0), () => undefined, { none: 401, staff: 200, admin: 200, trainer: 200 }, 403],
    [
      "PUT",
      attendancePath(0),
      () => ({ marks: [{ personId: giulia.sub, status: "present" }] }),
      { none: 401, staff: 409, admin: 409, trainer: 409 },
      403,
    ],
    ["POST", `/v1/sessions/${sessionId}/completion`, () => ({}), { none: 401, staff: 200, admin: 200 }, 403],
    [
      "GET",
      `/v1/sessions/${sessionId}/completion`,
      () => undefined,
      { none: 401, staff: 200, admin: 200 },
      403,
    ],
    ["GET", "/v1/issuer", () => undefined, {}, 200],
    ["GET", "/v1/issuer/jwks.json", () => undefined, {}, 200],
    ["GET", "/v1/status-lists/1", () => undefined, {}, 200],
    ["POST", "/v1/credentials/verify", () => ({ credential: jwt }), {}, 200],
    ["GET", "/v1/credentials/mine", () => undefined, { none: 401 }, 200],
    [
      "GET",
      `/v1/credentials/${credentialId}`,
      () => undefined,
      { none: 401, learner: 200, staff: 200, programme: 200, admin: 200 },
      404,
    ],
    [
      "GET",
      `/v1/credentials/${credentialId}/attestato.pdf`,
      () => undefined,
      { none: 401, learner: 200 },
      404,
    ],
    // Already revoked: a second revocation by staff of the site answers the credential as it is.
    [
      "POST",
      `/v1/credentials/${credentialId}/revocation`,
      () => ({ reason: "Ancora una volta" }),
      { none: 401, staff: 200, admin: 200 },
      403,
    ],
    ["GET", "/v1/passport/mine", () => undefined, { none: 401, learner: 200 }, 403],
    [
      "GET",
      `/v1/passport/${giulia.sub}?reason=Controllo`,
      () => undefined,
      { none: 401, staff: 200, otherSiteStaff: 200, programme: 200, admin: 200 },
      403,
    ],
    ["POST", "/v1/persons/nobody-at-all/erasure", () => undefined, { none: 401, admin: 200 }, 403],
  ];

  it("answers every endpoint for every role as the matrix says", async () => {
    const wrong: string[] = [];
    for (const [method, path, body, exceptions, otherwise] of rows())
      for (const [name, caller] of Object.entries(roles)) {
        const b = body();
        const res = await svc.as(caller).request(method, path, b === undefined ? {} : { body: b });
        const expected = exceptions[name as keyof typeof roles] ?? otherwise;
        if (res.status !== expected)
          wrong.push(`${method} ${path} as ${name}: ${res.status}, expected ${expected}`);
      }
    expect(wrong).toEqual([]);
  });
});

describe("erasure on request", () => {
  it("replaces the learner by a tombstone; the credential and its revocation stay", async () => {
    expect((await svc.as(callers.staff).post(`/v1/persons/${giulia.sub}/erasure`)).status).toBe(403);
    const res = await svc.as(giulia).post(`/v1/persons/${giulia.sub}/erasure`);
    expect(res.body).toMatchObject({ erased: true, credentials: 1 });
    expect((await svc.as(giulia).get("/v1/credentials/mine")).body.items).toEqual([]);
    const kept = (await svc.as(callers.programme).get(`/v1/credentials/${credentialId}`)).body;
    expect(kept.personId).toMatch(/^erased-/);
    expect(kept.revoked).toBe(true);
    const register = (await staff().get(attendancePath(0))).body;
    expect(JSON.stringify(register)).not.toContain(giulia.sub);
    expect(register.history).toHaveLength(4);
    expect((await svc.as().post("/v1/credentials/verify", { credential: jwt })).body.verdict).toBe("revoked");
  });
});

describe("two instances", () => {
  it("racing to create the issuer key end with one key", async () => {
    const a = await startCatalogue();
    const b = await startCatalogue({ sameAs: a });
    try {
      const [ka, kb] = await Promise.all([
        a.as().get("/v1/issuer/jwks.json"),
        b.as().get("/v1/issuer/jwks.json"),
      ]);
      expect(ka.body.keys).toHaveLength(1);
      expect(kb.body.keys).toEqual(ka.body.keys);
    } finally {
      await b.close();
      await a.close();
    }
  }, 400_000);

  it("keep both keepers' marks when they record the same register at once", async () => {
    const other = await startCatalogue({ sameAs: svc });
    try {
      const course = await ok(staff(), "POST", "/v1/courses", courseBody({ titleIt: "Registro conteso" }));
      await ok(staff(), "POST", `/v1/courses/${course.id}/publish`);
      const today = romeDate(new Date());
      const body = sessionBody(
        course.id,
        { enrolment: { opensOn: addDays(today, -30), closesOn: addDays(today, -21) } },
        -20,
      );
      body.meetings = body.meetings.map((m) => ({ ...m, trainer: trainer.sub }));
      const s = await ok(staff(), "POST", "/v1/sessions", body);
      const people = ["learner-a", "learner-b", "learner-c", "learner-d"];
      await confirmEnrolmentsFixture(svc, s.id, people);
      const path = `/v1/sessions/${s.id}/meetings/${s.meetings[0].id}/attendance`;
      const answers = await Promise.all(
        people.map((personId, i) =>
          (i % 2 ? other.as(trainer) : svc.as(callers.staff)).put(path, {
            marks: [{ personId, status: "present" }],
          }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      const register = (await staff().get(path)).body;
      expect(register.history.map((e: { personId: string }) => e.personId).sort()).toEqual(people);
    } finally {
      await other.close();
    }
  });

  it("completing one session at once on both answers the same outcomes and issues one credential", async () => {
    const other = await startCatalogue({ sameAs: svc });
    try {
      const course = await ok(staff(), "POST", "/v1/courses", courseBody({ titleIt: "Chiusura contesa" }));
      await ok(staff(), "POST", `/v1/courses/${course.id}/publish`);
      const today = romeDate(new Date());
      const s = await ok(
        staff(),
        "POST",
        "/v1/sessions",
        sessionBody(
          course.id,
          { enrolment: { opensOn: addDays(today, -30), closesOn: addDays(today, -21) } },
          -20,
        ),
      );
      const learner = "learner-contesa";
      await confirmEnrolmentsFixture(svc, s.id, [learner]);
      for (const m of s.meetings)
        await ok(staff(), "PUT", `/v1/sessions/${s.id}/meetings/${m.id}/attendance`, {
          marks: [{ personId: learner, status: "present" }],
        });
      const body = { assessments: [{ personId: learner, result: "passed" }] };
      const [a, b] = await Promise.all([
        svc.as(callers.staff).post(`/v1/sessions/${s.id}/completion`, body),
        other.as(callers.staff).post(`/v1/sessions/${s.id}/completion`, body),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(b.body.outcomes).toEqual(a.body.outcomes);
      const mine = await svc.as({ ...giulia, sub: learner, org: learner }).get("/v1/credentials/mine");
      expect(mine.body.items.map((c: { id: string }) => c.id)).toEqual([a.body.outcomes[0].credentialId]);
    } finally {
      await other.close();
    }
  });

  it("never give two credentials the same status index", async () => {
    const stores = await Promise.all(
      [0, 1].map(() => AggregateStore.open({ url: svc.mongoUrl, dbName: svc.dbName })),
    );
    try {
      const issuers = stores.map((store) =>
        credentialIssuer(catalogueCollections(store), {
          publicBaseUrl: "http://127.0.0.1:8083",
          issuerName: "LTO Mantova",
          now: () => new Date(),
        }),
      );
      const taken = await Promise.all(Array.from({ length: 24 }, (_, i) => issuers[i % 2]!.allocateStatus()));
      const keys = taken.map((t) => `${t.listId}#${t.index}`);
      expect(new Set(keys).size).toBe(24);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
