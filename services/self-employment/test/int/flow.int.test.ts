// Reference data, operators and persons through the public HTTP API on the real broker and store:
// the public lists, an operator's plan under If-Match, a person registered once per codice fiscale
// (also when several registrations race) and their PersonRegistered event, which names no one.
import { PersonRegisteredEvent, topics } from "@lto/contracts";
import { waitFor } from "@lto/testkit";
import { readTopic, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCHOOL_REFERENT } from "../fixtures.js";
import { callers, ok, operatorBody, personBody, startSelfEmployment } from "./support.js";

let svc: TestService;
const staff = () => svc.as(callers.staff);

beforeAll(async () => {
  svc = await startSelfEmployment();
});
afterAll(async () => {
  await svc?.close();
});

describe("reference data", () => {
  it("shows the service types and sites to anyone, without a token", async () => {
    const types = await ok(svc.as(), "GET", "/v1/service-types");
    expect(types.items.map((t: { code: string }) => t.code)).toContain("business_plan");
    const plan = await ok(svc.as(), "GET", "/v1/service-types/business_plan");
    expect(plan.requires).toEqual(["definizione_percorso", "consulenza_autoimpiego"]);
    expect((await svc.as().get("/v1/service-types/astrologia")).status).toBe(404);
    const sites = await ok(svc.as(), "GET", "/v1/sites");
    expect(sites.items).toHaveLength(7);
    const mantova = await ok(svc.as(), "GET", "/v1/sites/lto-mantova");
    expect(mantova.equipment.some((e: { kind: string }) => e.kind === "cnc")).toBe(true);
    expect((await svc.as().get("/v1/sites/lto-roma")).status).toBe(404);
  });

  it("answers health, readiness and its OpenAPI document", async () => {
    expect((await svc.as().get("/healthz")).status).toBe(200);
    // Ready once its consumer (IdeaAdopted) has joined its group, which takes a moment after start.
    await waitFor("the service ready", async () => (await svc.as().get("/readyz")).status === 200);
    expect((await svc.as().get("/openapi.json")).body.info.title).toMatch(/self-employment/);
  });
});

describe("operators", () => {
  it("are added by staff of their site, listed there and re-planned under If-Match", async () => {
    const created = await staff().post("/v1/operators", operatorBody({ dailyCap: 4 }));
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`/v1/operators/${created.body.id}`);
    expect(created.headers.get("etag")).toBe('"1"');
    const id = created.body.id as string;

    const listed = await ok(staff(), "GET", "/v1/sites/lto-mantova/operators?limit=100");
    expect(listed.items.map((o: { id: string }) => o.id)).toContain(id);
    const asola = await ok(svc.as(callers.otherSiteStaff), "GET", "/v1/sites/lto-asola/operators");
    expect(asola.items.map((o: { id: string }) => o.id)).not.toContain(id);

    const plan = {
      plan: [{ weekday: 2, site: "lto-mantova", hours: { start: "14:00", end: "18:00" }, breaks: [] }],
    };
    expect((await staff().put(`/v1/operators/${id}/plan`, plan)).status).toBe(428);
    const replanned = await staff().put(`/v1/operators/${id}/plan`, plan, { headers: { "if-match": '"1"' } });
    expect(replanned.status).toBe(200);
    expect(replanned.body).toMatchObject({ version: 2, plan: plan.plan });
    expect(replanned.body.dailyCap).toBeUndefined();
    const stale = await staff().put(`/v1/operators/${id}/plan`, plan, { headers: { "if-match": '"1"' } });
    expect(stale.status).toBe(412);

    const leave = { exceptions: [{ kind: "leave", date: "2027-01-04", reason: "Ferie" }] };
    const excepted = await staff().put(`/v1/operators/${id}/exceptions`, leave, {
      headers: { "if-match": '"2"' },
    });
    expect(excepted.status).toBe(200);
    expect((await ok(svc.as(callers.programme), "GET", `/v1/operators/${id}`)).exceptions).toEqual(
      leave.exceptions,
    );
  });
});

describe("persons", () => {
  it("are registered by staff of the site with a pseudonymous id, announced without personal data", async () => {
    const body = personBody(svc);
    const created = await staff().post("/v1/persons", body);
    expect(created.status).toBe(201);
    const person = created.body;
    expect(person.id).not.toBe(body.codiceFiscale);
    expect(person).toMatchObject({
      codiceFiscale: body.codiceFiscale,
      site: "lto-mantova",
      ageBand: "18_24",
    });

    // The programme office sees the person by pseudonym only.
    const seen = await ok(svc.as(callers.programme), "GET", `/v1/persons/${person.id}`);
    expect(seen).toEqual({
      id: person.id,
      site: "lto-mantova",
      ageBand: "18_24",
      registeredAt: person.registeredAt,
      version: 1,
    });

    const records = await readTopic(topics.selfemployment, (rs) => rs.some((r) => r.key === person.id));
    const record = records.find((r) => r.key === person.id)!;
    expect(record.headers.ce_type).toBe("lto.selfemployment.v1.PersonRegistered");
    const event = PersonRegisteredEvent.decode(record.value);
    expect(event).toMatchObject({
      personId: person.id,
      site: "lto-mantova",
      guardianConsent: false,
      version: 1,
    });
    for (const secret of [body.codiceFiscale, body.givenName, body.familyName, body.birthDate, body.email])
      expect(record.value.toString("latin1")).not.toContain(secret);
  });

  it("make one person of one codice fiscale, even for registrations sent at once", async () => {
    const body = personBody(svc);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? svc.as(callers.admin) : staff()).post("/v1/persons", { ...body, givenName: `Giulia ${i}` }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const winner = answers.find((a) => a.status === 201)!.body;
    const refused = answers.find((a) => a.status === 409)!;
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(refused.body.personId).toBe(winner.id);
    const listed = await ok(staff(), "GET", "/v1/sites/lto-mantova/persons?limit=100");
    expect(
      listed.items.filter((p: { codiceFiscale: string }) => p.codiceFiscale === body.codiceFiscale),
    ).toHaveLength(1);
  });

  it("refuse a person under 16 with a 400 that says why, and need a guardian's consent at 16-17", async () => {
    const young = await staff().post("/v1/persons", personBody(svc, {}, 15));
    expect(young.status).toBe(400);
    expect(young.body.detail).toMatch(/is 15: .*16 or more/);
    expect(young.body.errors.map((e: { path: string }) => e.path)).toEqual(["birthDate"]);

    const minor = personBody(svc, { referent: SCHOOL_REFERENT }, 17);
    const noConsent = await staff().post("/v1/persons", minor);
    expect(noConsent.status).toBe(400);
    expect(noConsent.body.errors.map((e: { path: string }) => e.path)).toEqual(["guardianConsent"]);
    const withConsent = await staff().post("/v1/persons", {
      ...minor,
      guardianConsent: { name: "Anna Rossi", date: minor.consent.date },
    });
    expect(withConsent.status).toBe(201);
    expect(withConsent.body).toMatchObject({ ageBand: "16_17", guardianConsent: { name: "Anna Rossi" } });
  });
});
