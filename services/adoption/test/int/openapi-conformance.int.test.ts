// The adoption service answers exactly what its live /openapi.json documents: every operation is sent
// unauthenticated, with the wrong role, with invalid input and with a valid request (and, where they
// apply, without or with a stale If-Match, a body that is not JSON, a reused Idempotency-Key); each
// answer's status must be documented for that operation, with its content type and body schema.
import type { TokenClaims } from "@lto/auth";
import { conformance, operations, type Answer, type Operation } from "@lto/testkit/openapi-conformance";
import { uniqueId } from "@lto/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  client,
  companyProfile,
  offerBody,
  publishIdea,
  startHarness,
  verifiedCompany,
  visible,
  type Harness,
} from "./support.js";

let h: Harness;
const schoolOrg = uniqueId("school");
const as: Record<string, TokenClaims> = {};
const ids: Record<string, string> = {};

interface Probe {
  path?: string;
  as?: TokenClaims;
  body?: unknown;
  headers?: Record<string, string>;
}

const tokens = new Map<TokenClaims, string>();
async function send(method: string, path: string, probe: Probe & { raw?: string }): Promise<Answer> {
  const headers: Record<string, string> = { ...probe.headers };
  if (probe.as) {
    if (!tokens.has(probe.as)) tokens.set(probe.as, await h.auth.token(probe.as));
    headers.authorization = `Bearer ${tokens.get(probe.as)}`;
  }
  const body = probe.raw ?? (probe.body === undefined ? undefined : JSON.stringify(probe.body));
  if (body !== undefined) headers["content-type"] ??= "application/json";
  const res = await fetch(`${h.svc.http.url}${path}`, { method, headers, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function ok(
  method: string,
  path: string,
  who: TokenClaims,
  body?: unknown,
  headers?: Record<string, string>,
) {
  const res = await send(method, path, { as: who, body, ...(headers ? { headers } : {}) });
  if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${res.text}`);
  return JSON.parse(res.text);
}
const today = () => new Date().toISOString().slice(0, 10);
const v1 = { "if-match": '"1"' };
const newIdea = async () => visible(h, await publishIdea(h, { schoolId: schoolOrg }));
const newOffer = async () => ok("POST", `/v1/ideas/${await newIdea()}/offers`, as.company!, offerBody);
const newAdoption = async () => ok("POST", `/v1/offers/${(await newOffer()).id}/accept`, as.school!);
async function withRecord() {
  const adoption = await newAdoption();
  const logged = await ok(
    "POST",
    `/v1/adoptions/${adoption.id}/records`,
    as.company!,
    { kind: "kickoff", date: today() },
    v1,
  );
  return { adoption: `/v1/adoptions/${adoption.id}`, record: logged.records[0].id as string };
}

/** A request each operation should accept, on a resource in the state it needs. */
const valid: Record<string, () => Promise<Probe>> = {
  "POST /v1/companies": async () => ({
    as: { sub: uniqueId("cu"), role: "company", org: uniqueId("company") },
    body: companyProfile(Math.floor(Math.random() * 1e6)),
  }),
  "GET /v1/companies": async () => ({ path: "/v1/companies?status=verified", as: as.company }),
  "GET /v1/companies/{id}": async () => ({ path: `/v1/companies/${ids.companyId}`, as: as.company }),
  "PATCH /v1/companies/{id}": async () => {
    const res = await send("GET", `/v1/companies/${ids.companyId}`, { as: as.company! });
    return {
      path: `/v1/companies/${ids.companyId}`,
      as: as.company,
      body: { district: "suzzara" },
      headers: { "if-match": res.headers.get("etag")! },
    };
  },
  "POST /v1/companies/{id}/verification": async () => {
    const org = uniqueId("company");
    await ok(
      "POST",
      "/v1/companies",
      { sub: uniqueId("cu"), role: "company", org },
      companyProfile(Math.floor(Math.random() * 1e6)),
    );
    return { path: `/v1/companies/${org}/verification`, as: as.staff };
  },
  "GET /v1/ideas": async () => ({ as: as.company }),
  "GET /v1/ideas/{ideaId}": async () => ({ path: `/v1/ideas/${ids.ideaId}`, as: as.company }),
  "POST /v1/ideas/{ideaId}/holds": async () => ({
    path: `/v1/ideas/${await newIdea()}/holds`,
    as: as.company,
    body: {},
  }),
  "GET /v1/holds": async () => ({ as: as.company }),
  "GET /v1/holds/{id}": async () => ({ path: `/v1/holds/${ids.holdId}`, as: as.company }),
  "POST /v1/holds/{id}/release": async () => {
    const hold = await ok("POST", `/v1/ideas/${await newIdea()}/holds`, as.company!, {});
    return { path: `/v1/holds/${hold.id}/release`, as: as.company };
  },
  "POST /v1/ideas/{ideaId}/offers": async () => ({
    path: `/v1/ideas/${await newIdea()}/offers`,
    as: as.company,
    body: offerBody,
  }),
  "GET /v1/offers": async () => ({ as: as.company }),
  "GET /v1/offers/{id}": async () => ({ path: `/v1/offers/${ids.offerId}`, as: as.company }),
  "POST /v1/offers/{id}/accept": async () => ({
    path: `/v1/offers/${(await newOffer()).id}/accept`,
    as: as.school,
  }),
  "POST /v1/offers/{id}/decline": async () => ({
    path: `/v1/offers/${(await newOffer()).id}/decline`,
    as: as.school,
    body: { reason: "Abbiamo scelto un'altra proposta" },
  }),
  "POST /v1/offers/{id}/withdraw": async () => ({
    path: `/v1/offers/${(await newOffer()).id}/withdraw`,
    as: as.company,
    body: { reason: "Budget rivisto" },
  }),
  "GET /v1/adoptions": async () => ({ as: as.company }),
  "GET /v1/adoptions/{id}": async () => ({ path: `/v1/adoptions/${ids.adoptionId}`, as: as.company }),
  "POST /v1/adoptions/{id}/records": async () => ({
    path: `/v1/adoptions/${(await newAdoption()).id}/records`,
    as: as.company,
    body: { kind: "kickoff", date: today(), note: "Primo incontro" },
    headers: v1,
  }),
  "POST /v1/adoptions/{id}/records/{recordId}/end": async () => {
    const adoption = await newAdoption();
    const logged = await ok(
      "POST",
      `/v1/adoptions/${adoption.id}/records`,
      as.company!,
      { kind: "internship", pseudonym: "volpe-rossa", startedOn: today() },
      v1,
    );
    return {
      path: `/v1/adoptions/${adoption.id}/records/${logged.records[0].id}/end`,
      as: as.company,
      body: { endedOn: today(), hours: 8 },
      headers: { "if-match": '"2"' },
    };
  },
  "POST /v1/adoptions/{id}/records/{recordId}/confirm": async () => {
    const { adoption, record } = await withRecord();
    return { path: `${adoption}/records/${record}/confirm`, as: as.school, headers: { "if-match": '"2"' } };
  },
  "POST /v1/adoptions/{id}/records/{recordId}/dispute": async () => {
    const { adoption, record } = await withRecord();
    return {
      path: `${adoption}/records/${record}/dispute`,
      as: as.school,
      body: { reason: "Non è avvenuto" },
      headers: { "if-match": '"2"' },
    };
  },
  "GET /v1/adoptions/{id}/pcto": async () => ({
    path: `/v1/adoptions/${ids.adoptionId}/pcto`,
    as: as.company,
  }),
  "POST /v1/adoptions/{id}/end": async () => ({
    path: `/v1/adoptions/${(await newAdoption()).id}/end`,
    as: as.company,
    body: { reason: "Budget finito" },
    headers: v1,
  }),
};

beforeAll(async () => {
  h = await startHarness();
  as.staff = { sub: uniqueId("staff"), role: "staff", org: "lto", sites: ["mantova"] };
  as.school = { sub: uniqueId("t"), role: "school", org: schoolOrg };
  as.programme = { sub: uniqueId("p"), role: "programme", org: "provincia-mn" };
  const own = await verifiedCompany(h, client(h, as.staff), 950);
  ids.companyId = own.orgId;
  as.company = { sub: uniqueId("cu"), role: "company", org: own.orgId };
  ids.ideaId = await newIdea();
  ids.holdId = (await ok("POST", `/v1/ideas/${await newIdea()}/holds`, as.company, {})).id;
  const offer = await newOffer();
  ids.offerId = offer.id;
  ids.adoptionId = (await newAdoption()).id;
});

afterAll(async () => {
  await h?.close();
});

describe("the OpenAPI document", () => {
  it("names its servers and documents every answer as the service sends it", async () => {
    const doc = JSON.parse((await send("GET", "/openapi.json", {})).text);
    expect.soft(doc.servers).toEqual([expect.objectContaining({ url: expect.any(String) })]);
    const check = conformance(doc);
    const violations: string[] = [];
    const probe = async (op: Operation, what: string, path: string, p: Probe & { raw?: string }) => {
      const answer = await send(op.method, path, p);
      violations.push(...check(op, answer, what));
      return answer;
    };
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThanOrEqual(25);
    for (const op of ops) {
      const key = `${op.method} ${op.path}`;
      const make = valid[key];
      expect(make, `a valid request for ${key}`).toBeDefined();
      const good = await make!();
      const path = good.path ?? op.path;
      const hasBody = op.spec.requestBody !== undefined;

      const anonymous = await probe(op, "unauthenticated", path, { body: good.body });
      expect(anonymous.status, key).toBe(401);
      await probe(op, "wrong role", path, { as: as.programme, body: good.body, headers: good.headers });
      const invalid = hasBody
        ? await probe(op, "invalid body", path, { ...good, body: { unknownField: "\u0000" } })
        : op.path.includes("{")
          ? await probe(op, "invalid id", op.path.replace(/\{\w+\}/g, "x".repeat(300)), good)
          : await probe(op, "invalid query", `${op.path}?limit=0`, good);
      expect(invalid.status, `${key} invalid`).toBe(400);
      if (hasBody) {
        const form = await probe(op, "not JSON", path, {
          ...good,
          raw: "a=b",
          headers: { ...good.headers, "content-type": "application/x-www-form-urlencoded" },
        });
        expect(form.status, `${key} not JSON`).toBe(415);
      }
      const ifMatch = op.spec.parameters?.find(
        (p: { in: string; name: string }) => p.in === "header" && p.name === "If-Match",
      );
      if (ifMatch) await probe(op, "stale If-Match", path, { ...good, headers: { "if-match": '"999"' } });
      if (ifMatch?.required) {
        const missing = await probe(op, "no If-Match", path, { ...good, headers: {} });
        expect(missing.status, `${key} without If-Match`).toBe(428);
      }
      const answer = await probe(op, "valid", path, good);
      expect(answer.status, `${key} valid -> ${answer.text.slice(0, 300)}`).toBeLessThan(300);
      if (op.spec.parameters?.some((p: { name: string }) => p.name === "Idempotency-Key")) {
        const fresh = await make!();
        const key1 = { ...fresh.headers, "idempotency-key": `k-${Math.random()}` };
        await probe(op, "idempotent", fresh.path ?? path, { ...fresh, headers: key1 });
        await probe(op, "idempotent replay", fresh.path ?? path, { ...fresh, headers: key1 });
        // Another valid request with the same key: replayed if it is the same, else 422.
        const other = await make!();
        await probe(op, "key reused", other.path ?? path, { ...other, headers: key1 });
      }
    }
    expect(violations).toEqual([]);
  });

  it("answers headers over Node's limit with a problem", async () => {
    const res = await send("GET", `/v1/ideas?district=${"m".repeat(40_000)}`, { as: as.company });
    expect(res.status).toBe(431);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.parse(res.text)).toMatchObject({ status: 431 });
  });
});
