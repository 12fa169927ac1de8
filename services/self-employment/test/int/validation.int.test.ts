// Bad input in every field gets a 4xx problem+json naming the field, and nothing is stored: the
// operators and persons of every site are the same before and after.
import { HOSTILE_TEXT, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SITE_IDS } from "../../src/domain/index.js";
import { callers, ok, operatorBody, personBody, startSelfEmployment } from "./support.js";

let svc: TestService;
let operator: { id: string; version: number };
const admin = () => svc.as(callers.admin);

async function refused(method: string, path: string, body: unknown, field: string, status = 400) {
  const headers = method === "PUT" ? { "if-match": `"${operator.version}"` } : undefined;
  const res = await admin().request(method, path, { body, ...(headers ? { headers } : {}) });
  expect(
    res.status,
    `${method} ${path} ${String(JSON.stringify(body)).slice(0, 200)} -> ${JSON.stringify(res.body)}`,
  ).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  // A body that is not JSON has no field to name.
  if (status === 400 && field !== "")
    expect(
      res.body.errors.map((e: { path: string }) => e.path),
      JSON.stringify(res.body),
    ).toContain(field);
}

/** Everything a bad request could have left behind. */
async function snapshot() {
  const all = [];
  for (const site of SITE_IDS)
    all.push(
      (await ok(admin(), "GET", `/v1/sites/${site}/operators?limit=100`)).items,
      (await ok(admin(), "GET", `/v1/sites/${site}/persons?limit=100`)).items,
    );
  return JSON.stringify(all);
}

beforeAll(async () => {
  svc = await startSelfEmployment();
  operator = await ok(admin(), "POST", "/v1/operators", operatorBody());
  await ok(admin(), "POST", "/v1/persons", personBody(svc));
});
afterAll(async () => {
  await svc?.close();
});

describe("bad input", () => {
  it("refuses every bad field of an operator, its plan and its exceptions", async () => {
    const before = await snapshot();
    const entry = operatorBody().plan[0]!;
    const withPlan = (change: Record<string, unknown>) =>
      operatorBody({ plan: [{ ...entry, ...change }] as never });
    const cases: [unknown, string][] = [
      [operatorBody({ name: "x" }), "name"],
      [operatorBody({ name: `a${HOSTILE_TEXT[0]}b` }), "name"],
      [{ ...operatorBody(), name: undefined }, "name"],
      [operatorBody({ sites: [] }), "sites"],
      [operatorBody({ sites: ["lto-roma"], plan: [] }), "sites.0"],
      [operatorBody({ profiles: ["mago"] }), "profiles.0"],
      [operatorBody({ profiles: [] }), "profiles"],
      [{ ...operatorBody(), email: "non-una-mail" }, "email"],
      [operatorBody({ dailyCap: 0 }), "dailyCap"],
      [{ ...operatorBody(), dailyCap: "tre" }, "dailyCap"],
      [{ ...operatorBody(), color: "rosso" }, "color"],
      [withPlan({ weekday: 8 }), "plan.0.weekday"],
      [withPlan({ site: "lto-asola" }), "plan.0.site"],
      [withPlan({ hours: { start: "9", end: "17:00" } }), "plan.0.hours.start"],
      [withPlan({ hours: { start: "17:00", end: "09:00" } }), "plan.0.hours.end"],
      [withPlan({ breaks: [{ start: "07:00", end: "08:00" }] }), "plan.0.breaks.0"],
      [withPlan({ validFrom: "2027-02-30" }), "plan.0.validFrom"],
      [withPlan({ validFrom: "2027-03-01", validTo: "2027-02-01" }), "plan.0.validTo"],
      [
        operatorBody({ plan: [entry, { ...entry, hours: { start: "10:00", end: "11:00" }, breaks: [] }] }),
        "plan.1.hours",
      ],
      [operatorBody({ exceptions: [{ kind: "holiday", date: "2027-01-04" }] as never }), "exceptions.0.kind"],
      [operatorBody({ exceptions: [{ kind: "leave", date: "04/01/2027" }] }), "exceptions.0.date"],
      [
        operatorBody({
          exceptions: [{ kind: "extra", date: "2027-01-04", site: "lto-asola", hours: entry.hours }],
        }),
        "exceptions.0.site",
      ],
    ];
    for (const [body, field] of cases) await refused("POST", "/v1/operators", body, field);
    await refused("POST", "/v1/operators", "{not json", "", 400);
    for (const [body, field] of [
      [{ plan: [{ ...entry, weekday: 0 }] }, "plan.0.weekday"],
      [{ plan: [entry], dailyCap: -1 }, "dailyCap"],
      [{}, "plan"],
    ] as const)
      await refused("PUT", `/v1/operators/${operator.id}/plan`, body, field);
    for (const [body, field] of [
      [{ exceptions: [{ kind: "leave", date: "2027-13-01" }] }, "exceptions.0.date"],
      [
        { exceptions: [{ kind: "leave", date: "2027-01-04", hours: { start: "12:00", end: "11:00" } }] },
        "exceptions.0.hours.end",
      ],
      [{ exceptions: "none" }, "exceptions"],
    ] as const)
      await refused("PUT", `/v1/operators/${operator.id}/exceptions`, body, field);
    await refused("GET", "/v1/sites/lto-mantova/operators?limit=0", undefined, "limit");
    await refused("GET", "/v1/sites/lto-mantova/operators?colour=red", undefined, "colour");
    await refused("GET", "/v1/sites/lto-roma/operators", undefined, "", 404);
    expect(await snapshot()).toBe(before);
  });

  it("refuses every bad field of a person", async () => {
    const before = await snapshot();
    const valid = personBody(svc);
    const cf = valid.codiceFiscale;
    const cases: [unknown, string][] = [
      [{ ...valid, givenName: "" }, "givenName"],
      [{ ...valid, givenName: `Giu${HOSTILE_TEXT[1]}lia` }, "givenName"],
      [{ ...valid, familyName: undefined }, "familyName"],
      [{ ...valid, codiceFiscale: "RSSMRA80A01" }, "codiceFiscale"],
      [{ ...valid, codiceFiscale: cf.slice(0, 15) + (cf[15] === "Z" ? "Y" : "Z") }, "codiceFiscale"],
      [{ ...valid, codiceFiscale: 42 }, "codiceFiscale"],
      [{ ...valid, birthDate: "2005-02-30" }, "birthDate"],
      [{ ...valid, birthDate: "2001-01-01" }, "birthDate"],
      [{ ...valid, email: "giulia-at-example" }, "email"],
      [{ ...valid, email: undefined }, "email"],
      [{ ...valid, phone: "chiamami" }, "phone"],
      [{ ...valid, consent: undefined }, "consent"],
      [{ ...valid, consent: { date: "ieri" } }, "consent.date"],
      [{ ...valid, consent: { date: "2999-01-01" } }, "consent.date"],
      [{ ...valid, guardianConsent: { name: "A", date: valid.consent.date } }, "guardianConsent.name"],
      [{ ...valid, guardianConsent: { name: "Anna Rossi" } }, "guardianConsent.date"],
      [{ ...valid, site: "lto-roma" }, "site"],
      [{ ...valid, site: undefined }, "site"],
      [{ ...valid, nickname: "Giuli" }, "nickname"],
    ];
    for (const [body, field] of cases) await refused("POST", "/v1/persons", body, field);
    await refused("POST", "/v1/persons", personBody(svc, {}, 15), "birthDate");
    await refused("POST", "/v1/persons", personBody(svc, {}, 16), "guardianConsent");
    expect(await snapshot()).toBe(before);
  });
});
