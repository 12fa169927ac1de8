// The REST API's edges on the real broker and store: every endpoint with every role, bad input
// answered with 4xx problem+json (nothing stored), Idempotency-Key, If-Match, ending early, the gRPC
// API, and the projection rebuild equal to the live projection.
import { adoptionV1, topics } from "@lto/contracts";
import { createGrpcClient } from "@lto/grpc-kit";
import { uniqueId } from "@lto/testkit";
import { leaveIdempotencyKeyAsCrashed, readTopic } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rebuildProjection } from "../../src/infra/rebuild.js";
import {
  caughtUp,
  client,
  companyProfile,
  dayOf,
  logger,
  offerBody,
  publishIdea,
  startHarness,
  verifiedCompany,
  visible,
  waitFor,
  withdrawIdea,
  type Client,
  type Harness,
  stored,
  storedDb,
} from "./support.js";

let h: Harness;
const schoolOrg = uniqueId("school");
let roles: Record<string, Client>;
let own: { orgId: string; company: Client };
let other: { orgId: string; company: Client };
const fx = { idea: "", idea2: "", offer: "", hold: "", adoption: "" };

beforeAll(async () => {
  h = await startHarness();
  const staff = client(h, { sub: uniqueId("staff"), role: "staff", org: "lto", sites: ["mantova"] });
  own = await verifiedCompany(h, staff, 700);
  other = await verifiedCompany(h, staff, 701);
  roles = {
    anon: client(h),
    schoolOwn: client(h, { sub: uniqueId("t"), role: "school", org: schoolOrg }),
    schoolOther: client(h, { sub: uniqueId("t"), role: "school", org: uniqueId("school") }),
    companyOwn: own.company,
    companyOther: other.company,
    staff,
    programme: client(h, { sub: uniqueId("p"), role: "programme", org: "provincia-mn" }),
    admin: client(h, { sub: uniqueId("a"), role: "admin", org: "lto" }),
  };
  fx.idea = await visible(h, await publishIdea(h, { schoolId: schoolOrg }));
  fx.idea2 = await visible(h, await publishIdea(h, { schoolId: schoolOrg }));
  fx.offer = (await own.company("POST", `/v1/ideas/${fx.idea}/offers`, offerBody)).body.id;
  fx.adoption = (await roles.schoolOwn!("POST", `/v1/offers/${fx.offer}/accept`)).body.id;
  fx.hold = (await own.company("POST", `/v1/ideas/${fx.idea2}/holds`, {})).body.id;
  await own.company("POST", `/v1/holds/${fx.hold}/release`);
  expect(Object.values(fx).every(Boolean)).toBe(true);
});
afterAll(async () => {
  await h?.close();
});

const ORDER = [
  "anon",
  "schoolOwn",
  "schoolOther",
  "companyOwn",
  "companyOther",
  "staff",
  "programme",
  "admin",
] as const;
type Row = [
  method: string,
  path: () => string,
  body: unknown,
  headers: Record<string, string>,
  expected: number[],
];
const stale = { "if-match": '"999"' };
//                                                                   anon sOwn sOth cOwn cOth staff prog admin
const matrix: Row[] = [
  ["POST", () => "/v1/companies", companyProfile(9), {}, [401, 403, 403, 409, 409, 403, 403, 403]],
  ["GET", () => "/v1/companies?status=verified", undefined, {}, [401, 200, 200, 200, 200, 200, 200, 200]],
  ["GET", () => "/v1/companies?status=registered", undefined, {}, [401, 403, 403, 403, 403, 200, 200, 200]],
  ["GET", () => "/v1/companies", undefined, {}, [401, 200, 200, 200, 200, 200, 200, 200]],
  ["GET", () => `/v1/companies/${own.orgId}`, undefined, {}, [401, 200, 200, 200, 200, 200, 200, 200]],
  [
    "PATCH",
    () => `/v1/companies/${own.orgId}`,
    { district: "suzzara" },
    stale,
    [401, 403, 403, 412, 403, 403, 403, 403],
  ],
  [
    "POST",
    () => `/v1/companies/${own.orgId}/verification`,
    undefined,
    {},
    [401, 403, 403, 403, 403, 409, 403, 409],
  ],
  ["GET", () => "/v1/ideas", undefined, {}, [401, 200, 200, 200, 200, 200, 200, 200]],
  ["GET", () => `/v1/ideas/${fx.idea}`, undefined, {}, [401, 200, 200, 200, 200, 200, 200, 200]],
  ["POST", () => `/v1/ideas/${fx.idea}/holds`, {}, {}, [401, 403, 403, 409, 409, 403, 403, 403]],
  ["GET", () => "/v1/holds", undefined, {}, [401, 200, 200, 200, 200, 200, 200, 200]],
  ["GET", () => `/v1/holds/${fx.hold}`, undefined, {}, [401, 200, 404, 200, 404, 200, 200, 200]],
  ["POST", () => `/v1/holds/${fx.hold}/release`, undefined, {}, [401, 403, 403, 409, 404, 403, 403, 403]],
  ["POST", () => `/v1/ideas/${fx.idea}/offers`, offerBody, {}, [401, 403, 403, 409, 409, 403, 403, 403]],
  ["GET", () => "/v1/offers", undefined, {}, [401, 200, 200, 200, 200, 200, 200, 200]],
  ["GET", () => `/v1/offers/${fx.offer}`, undefined, {}, [401, 200, 404, 200, 404, 200, 200, 200]],
  ["POST", () => `/v1/offers/${fx.offer}/accept`, undefined, {}, [401, 201, 404, 403, 403, 403, 403, 403]],
  [
    "POST",
    () => `/v1/offers/${fx.offer}/decline`,
    { reason: "no" },
    {},
    [401, 409, 404, 403, 403, 403, 403, 403],
  ],
  [
    "POST",
    () => `/v1/offers/${fx.offer}/withdraw`,
    { reason: "no" },
    {},
    [401, 403, 403, 409, 404, 403, 403, 403],
  ],
  ["GET", () => "/v1/adoptions", undefined, {}, [401, 200, 200, 200, 200, 200, 200, 200]],
  ["GET", () => `/v1/adoptions/${fx.adoption}`, undefined, {}, [401, 200, 404, 200, 404, 200, 200, 200]],
  [
    "POST",
    () => `/v1/adoptions/${fx.adoption}/records`,
    { kind: "kickoff", date: dayOf(new Date()) },
    stale,
    [401, 403, 404, 412, 404, 403, 403, 403],
  ],
  [
    "POST",
    () => `/v1/adoptions/${fx.adoption}/records/nope/end`,
    { endedOn: "2026-07-01", hours: 8 },
    stale,
    [401, 403, 404, 404, 404, 403, 403, 403],
  ],
  [
    "POST",
    () => `/v1/adoptions/${fx.adoption}/records/nope/confirm`,
    undefined,
    stale,
    [401, 404, 404, 403, 404, 403, 403, 403],
  ],
  [
    "POST",
    () => `/v1/adoptions/${fx.adoption}/records/nope/dispute`,
    { reason: "wrong" },
    stale,
    [401, 404, 404, 403, 404, 403, 403, 403],
  ],
  ["GET", () => `/v1/adoptions/${fx.adoption}/pcto`, undefined, {}, [401, 200, 404, 200, 404, 200, 200, 200]],
  [
    "POST",
    () => `/v1/adoptions/${fx.adoption}/end`,
    { reason: "budget" },
    stale,
    [401, 412, 404, 412, 404, 403, 403, 403],
  ],
];

describe("every endpoint with every role", () => {
  it.each(matrix.map((r) => [`${r[0]} ${String(r[1]).replace(/^\(\) => /, "")}`, r] as const))(
    "%s",
    async (_name, [method, path, body, headers, expected]) => {
      const got: number[] = [];
      for (const role of ORDER) {
        const r = await roles[role]!(method, path(), body, headers);
        got.push(r.status);
        if (r.status >= 400)
          expect(r.headers.get("content-type"), `${role}`).toContain("application/problem+json");
      }
      expect(Object.fromEntries(ORDER.map((r, i) => [r, got[i]]))).toEqual(
        Object.fromEntries(ORDER.map((r, i) => [r, expected[i]])),
      );
    },
  );
});

describe("bad input", () => {
  it("names every bad field with 400 problem+json and stores nothing", async () => {
    const company = client(h, { sub: uniqueId("cu"), role: "company", org: uniqueId("company") });
    const r = await company("POST", "/v1/companies", {
      legalName: "",
      vatNumber: 123,
      atecoCode: "62.01",
      areas: [],
      district: "mantova",
      contact: { name: "x" },
      extra: true,
    });
    expect(r.status).toBe(400);
    expect(r.headers.get("content-type")).toContain("application/problem+json");
    const text = JSON.stringify(r.body);
    for (const field of ["legalName", "vatNumber", "areas", "contact.email", "extra"])
      expect(text).toContain(field);

    const badVat = await company("POST", "/v1/companies", { ...companyProfile(1), vatNumber: "12345670200" });
    expect(badVat.status).toBe(400);
    expect(JSON.stringify(badVat.body)).toMatch(/check digit/);
    expect(await stored(h).companies.countDocuments({ legalName: "" })).toBe(0);

    const offer = await own.company("POST", `/v1/ideas/${fx.idea2}/offers`, {
      message: "",
      commitments: { mentoringHours: -1, internships: [{ places: 1, startsOn: "2026-13-01", endsOn: "x" }] },
    });
    expect(offer.status).toBe(400);
    expect(JSON.stringify(offer.body)).toMatch(/mentoringHours/);
    expect(await stored(h).offers.countDocuments({ ideaId: fx.idea2 })).toBe(0);

    expect((await own.company("POST", `/v1/ideas/${fx.idea2}/offers`, "{not json")).status).toBe(400);
    expect((await own.company("GET", "/v1/ideas?area=astronautica&limit=0")).status).toBe(400);
    expect((await own.company("GET", "/v1/ideas?cursor=%%%")).status).toBe(400);
    expect((await own.company("POST", `/v1/ideas/${fx.idea2}/holds`, { hours: 200 })).status).toBe(400);
  });

  it("refuses an unverified company and a missing If-Match", async () => {
    const orgId = uniqueId("company");
    const company = client(h, { sub: uniqueId("cu"), role: "company", org: orgId });
    expect((await company("POST", "/v1/companies", companyProfile(Date.now() % 1e6))).status).toBe(201);
    expect((await company("POST", `/v1/ideas/${fx.idea2}/holds`, {})).status).toBe(403);
    expect((await company("PATCH", `/v1/companies/${orgId}`, { district: "suzzara" })).status).toBe(428);
    const got = await company("GET", `/v1/companies/${orgId}`);
    const patched = await company(
      "PATCH",
      `/v1/companies/${orgId}`,
      { district: "suzzara" },
      { "if-match": got.headers.get("etag")! },
    );
    expect(patched.status).toBe(200);
    expect(patched.headers.get("etag")).toBe('"2"');
  });
});

describe("empty and no-op patches (issue 7 item 14)", () => {
  it("PATCH /v1/companies/{id} with {} is a 400 naming the body; a patch that changes nothing keeps the version", async () => {
    const got = await own.company("GET", `/v1/companies/${own.orgId}`);
    const etag = got.headers.get("etag")!;
    const empty = await own.company("PATCH", `/v1/companies/${own.orgId}`, {}, { "if-match": etag });
    expect(empty.status).toBe(400);
    expect(empty.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.stringify(empty.body)).toMatch(/body/);
    expect(JSON.stringify(empty.body)).toMatch(/at least one field/);
    const same = await own.company(
      "PATCH",
      `/v1/companies/${own.orgId}`,
      { district: got.body.district },
      { "if-match": etag },
    );
    expect(same.status).toBe(200);
    expect(same.headers.get("etag")).toBe(etag);
    const after = await own.company("GET", `/v1/companies/${own.orgId}`);
    expect(after.headers.get("etag")).toBe(etag);
    expect(after.body.version).toBe(got.body.version);
  });
});

describe("commitment records within the adoption's days (issue 7 item 13)", () => {
  it("refuses a session dated 2099 and an internship claiming more hours than its days allow, naming the field", async () => {
    const get = await own.company("GET", `/v1/adoptions/${fx.adoption}`);
    let etag = get.headers.get("etag")!;
    const today = dayOf(new Date());
    const future = await own.company(
      "POST",
      `/v1/adoptions/${fx.adoption}/records`,
      { kind: "mentoring", date: "2099-01-01", hours: 2, pseudonyms: ["volpe-rossa"] },
      { "if-match": etag },
    );
    expect(future.status).toBe(400);
    expect(future.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.stringify(future.body)).toMatch(/date/);
    expect(JSON.stringify(future.body)).toMatch(/must not be in the future/);
    const before = await own.company(
      "POST",
      `/v1/adoptions/${fx.adoption}/records`,
      { kind: "kickoff", date: "2020-01-01" },
      { "if-match": etag },
    );
    expect(before.status).toBe(400);
    expect(JSON.stringify(before.body)).toMatch(/before the adoption started/);

    const started = await own.company(
      "POST",
      `/v1/adoptions/${fx.adoption}/records`,
      { kind: "internship", pseudonym: "volpe-rossa", startedOn: today },
      { "if-match": etag },
    );
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    etag = started.headers.get("etag")!;
    const recordId = started.body.records.at(-1).id;
    const inflated = await own.company(
      "POST",
      `/v1/adoptions/${fx.adoption}/records/${recordId}/end`,
      { endedOn: today, hours: 2000 },
      { "if-match": etag },
    );
    expect(inflated.status).toBe(400);
    expect(JSON.stringify(inflated.body)).toMatch(/hours/);
    expect(JSON.stringify(inflated.body)).toMatch(/at most 8/);
    const after = await own.company("GET", `/v1/adoptions/${fx.adoption}`);
    expect(after.headers.get("etag")).toBe(etag);
    expect(after.body.records.at(-1)).not.toHaveProperty("hours");
    const ended = await own.company(
      "POST",
      `/v1/adoptions/${fx.adoption}/records/${recordId}/end`,
      { endedOn: today, hours: 6 },
      { "if-match": etag },
    );
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
  });
});

describe("Idempotency-Key on creates", () => {
  it("replays the first answer for the same key", async () => {
    const ideaId = await visible(h, await publishIdea(h, { schoolId: schoolOrg }));
    const key = { "idempotency-key": uniqueId("key") };
    const first = await other.company("POST", `/v1/ideas/${ideaId}/offers`, offerBody, key);
    const again = await other.company("POST", `/v1/ideas/${ideaId}/offers`, offerBody, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(await stored(h).offers.countDocuments({ ideaId })).toBe(1);
  });

  it("an offer whose instance died after writing and before storing its answer is made once by the retry", async () => {
    const ideaId = await visible(h, await publishIdea(h, { schoolId: schoolOrg }));
    const orgId = uniqueId("company");
    const caller = { sub: uniqueId("cu"), role: "company", org: orgId } as const;
    const company = client(h, caller);
    expect((await company("POST", "/v1/companies", companyProfile(Date.now() % 1e6))).status).toBe(201);
    expect((await roles.staff!("POST", `/v1/companies/${orgId}/verification`)).status).toBe(200);
    const key = uniqueId("key");
    const headers = { "idempotency-key": key };
    const first = await company("POST", `/v1/ideas/${ideaId}/offers`, offerBody, headers);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // The instance dies right after the insert; the retry comes after the abandon time and runs again.
    await leaveIdempotencyKeyAsCrashed(h.svc, caller, key, 60_000);
    const retried = await company("POST", `/v1/ideas/${ideaId}/offers`, offerBody, headers);
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    expect(retried.headers.get("idempotent-replayed")).toBeNull(); // it ran, it was not replayed
    expect(retried.body).toMatchObject({ id: first.body.id, status: "open", version: 1 });
    expect(await stored(h).offers.countDocuments({ ideaId })).toBe(1);

    // One AdoptionOffered: the topic is read up to a later event of the same offer (same key, in order).
    const withdrawn = await company("POST", `/v1/offers/${first.body.id}/withdraw`, {
      reason: "Ci ripensiamo",
    });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    const typeOf = (r: { headers: Record<string, string> }) => r.headers.ce_type?.split(".").at(-1);
    const records = await readTopic(topics.adoption, (rs) =>
      rs.some((r) => r.key === ideaId && typeOf(r) === "OfferDeclined"),
    );
    expect(records.filter((r) => r.key === ideaId).map(typeOf)).toEqual([
      "AdoptionOffered",
      "OfferDeclined", // a withdrawal is an OfferDeclined (withdrawn_by_company),
    ]);
  });
});

describe("ending early and the gRPC API", () => {
  it("either party ends with a reason; the idea returns to the pool; gRPC reads the adoption", async () => {
    const ideaId = await visible(h, await publishIdea(h, { schoolId: schoolOrg }));
    const offer = await other.company("POST", `/v1/ideas/${ideaId}/offers`, offerBody);
    const adoption = await roles.schoolOwn!("POST", `/v1/offers/${offer.body.id}/accept`);
    expect(adoption.status).toBe(201);
    const ended = await other.company(
      "POST",
      `/v1/adoptions/${adoption.body.id}/end`,
      { reason: "The company closed its R&D department" },
      { "if-match": adoption.headers.get("etag")! },
    );
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: "ended", endedBy: "company" });
    const back = await own.company("GET", `/v1/ideas?limit=100`);
    expect(back.body.items.some((i: { id: string }) => i.id === ideaId)).toBe(true);
    // a new adoption of the same idea is possible after an early end
    const offer2 = await own.company("POST", `/v1/ideas/${ideaId}/offers`, offerBody);
    expect((await roles.schoolOwn!("POST", `/v1/offers/${offer2.body.id}/accept`)).status).toBe(201);

    const grpc = createGrpcClient(adoptionV1.AdoptionServiceClient, h.svc.grpcAddress);
    try {
      const token = await h.auth.token({ sub: uniqueId("p"), role: "programme", org: "provincia-mn" });
      const got = await grpc.getAdoption({ adoptionId: adoption.body.id }, { token });
      expect(got.adoption).toMatchObject({
        id: adoption.body.id,
        state: "ADOPTION_STATE_ENDED",
        endedBy: "PARTY_COMPANY",
      });
      const byIdea = await grpc.listAdoptionsByIdea({ ideaId, pageSize: 10, pageToken: "" }, { token });
      expect(byIdea.adoptions.map((a) => a.state)).toEqual(["ADOPTION_STATE_ACTIVE", "ADOPTION_STATE_ENDED"]);
      const byCompany = await grpc.listAdoptionsByCompany(
        { companyId: other.orgId, state: "ADOPTION_STATE_UNSPECIFIED", pageSize: 10, pageToken: "" },
        { token },
      );
      expect(byCompany.adoptions.map((a) => a.id)).toContain(adoption.body.id);
      const otherSchool = await h.auth.token({ sub: uniqueId("t"), role: "school", org: uniqueId("school") });
      await expect(
        grpc.getAdoption({ adoptionId: adoption.body.id }, { token: otherSchool }),
      ).rejects.toMatchObject({
        kind: "not_found",
      });
      await expect(grpc.getAdoption({ adoptionId: adoption.body.id })).rejects.toMatchObject({
        kind: "unauthenticated",
      });
    } finally {
      grpc.close();
    }
  });
});

describe("projection rebuild", () => {
  it("rebuilds from the ideas topic (fresh group, from the beginning) to exactly the live projection", async () => {
    const withdrawn = await visible(h, await publishIdea(h, { schoolId: schoolOrg }));
    await withdrawIdea(h, withdrawn, schoolOrg);
    await waitFor(
      "the withdrawal in the projection",
      async () => (await stored(h).ideas.findOne({ _id: withdrawn }))?.status === "withdrawn",
    );
    await caughtUp(h);
    const result = await rebuildProjection({
      kafka: h.kafka,
      store: h.store.store,
      logger,
      apply: false,
    });
    // This test's documents only: the shared broker's ideas topic also carries other tests' ideas,
    // which may reach the live projection after the rebuild has caught up.
    const all = async (name: string) =>
      (await storedDb(h)
        .collection<{ _id: string } & Record<string, unknown>>(name)
        .find(name.endsWith("calls") ? { _id: h.callId } : { callId: h.callId })
        .sort({ _id: 1 })
        .toArray()) as unknown[];
    expect(result.ideas).toBeGreaterThan(4);
    expect(await all("rebuild_ideas")).toEqual(await all("ideas"));
    expect(await all("rebuild_calls")).toEqual(await all("calls"));

    // corrupt the live projection, then rebuild and apply: it is repaired
    await stored(h).ideas.deleteOne({ _id: fx.idea2 });
    await stored(h).ideas.updateOne({ _id: fx.idea }, { $set: { adoption: null, title: "garbage" } });
    const applied = await rebuildProjection({ kafka: h.kafka, store: h.store.store, logger });
    expect(applied.merged).toBeGreaterThan(0);
    expect(await all("ideas")).toEqual(await all("rebuild_ideas"));
    expect((await roles.staff!("GET", `/v1/ideas/${fx.idea}`)).body.adoption).toMatchObject({
      id: fx.adoption,
    });
  }, 180_000);
});

describe("service edges", () => {
  it("serves the OpenAPI document generated from the schemas, health and readiness", async () => {
    const doc = await roles.anon!("GET", "/openapi.json");
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths);
    expect(paths.length).toBeGreaterThanOrEqual(17);
    for (const p of [
      "/v1/companies",
      "/v1/ideas/{ideaId}/offers",
      "/v1/offers/{id}/accept",
      "/v1/adoptions/{id}/pcto",
    ])
      expect(paths).toContain(p);
    expect((await roles.anon!("GET", "/healthz")).status).toBe(200);
    expect((await roles.anon!("GET", "/readyz")).status).toBe(200);
  });
});
