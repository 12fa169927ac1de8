// The adoption service answers exactly what its live /openapi.json documents: every operation is sent
// unauthenticated, with the wrong role, with invalid input and with a valid request (and, where they
// apply, without or with a stale If-Match, a body that is not JSON, a reused Idempotency-Key); each
// answer's status must be documented for that operation, with its content type and body schema.
import { romeDate } from "@lto/civil-time";
import type { TokenClaims } from "@lto/auth";
import { operations, probeOperations, type Probe } from "@lto/testkit/openapi-conformance";
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

async function ok(
  method: string,
  path: string,
  who: TokenClaims,
  body?: unknown,
  headers?: Record<string, string>,
) {
  const res = await h.svc.as(who).request(method, path, { body, ...(headers ? { headers } : {}) });
  if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${res.text}`);
  return res.body;
}
const today = () => romeDate(new Date());
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
    const res = await h.svc.as(as.company).get(`/v1/companies/${ids.companyId}`);
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
    const doc = (await h.svc.as().get("/openapi.json")).body;
    expect.soft(doc.servers).toEqual([expect.objectContaining({ url: expect.any(String) })]);
    expect(operations(doc).length).toBeGreaterThanOrEqual(25);
    const violations = await probeOperations({ doc, as: h.svc.as, valid, wrongRole: as.programme!, ids });
    expect(violations).toEqual([]);
  });

  it("answers headers over Node's limit with a problem", async () => {
    const res = await h.svc.as(as.company).get(`/v1/ideas?district=${"m".repeat(40_000)}`);
    expect(res.status).toBe(431);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.parse(res.text)).toMatchObject({ status: 431 });
  });
});
