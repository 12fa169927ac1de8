// The adoption service's API contract through its real HTTP edge on the real broker and store: one
// problem shape for bad input, naming the resource's own fields.
import { uniqueId } from "@lto/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  client,
  offerBody,
  publishIdea,
  startHarness,
  verifiedCompany,
  visible,
  type Client,
  type Harness,
} from "../support.js";

let h: Harness;
let staff: Client;
let company: Client;
let ideaId: string;
const schoolOrg = uniqueId("school");

const INVALID = "https://lto.mantova.it/problems/invalid";

beforeAll(async () => {
  h = await startHarness();
  staff = client(h, { sub: uniqueId("staff"), role: "staff", org: "lto", sites: ["mantova"] });
  ({ company } = await verifiedCompany(h, staff, 900));
  ideaId = await visible(h, await publishIdea(h, { schoolId: schoolOrg }));
});

afterAll(async () => {
  await h?.close();
});

describe("one problem shape for validation errors", () => {
  it("names the resource's field, whether the schema or a domain rule refuses it", async () => {
    const bySchema = await company("POST", `/v1/ideas/${ideaId}/offers`, {
      commitments: offerBody.commitments,
      colour: "blue",
    });
    expect(bySchema.status).toBe(400);
    expect(bySchema.headers.get("content-type")).toContain("application/problem+json");
    expect(bySchema.body.type).toBe(INVALID);
    expect(bySchema.body.errors).toEqual(
      expect.arrayContaining([
        { path: "message", message: expect.any(String) },
        { path: "colour", message: expect.any(String) },
      ]),
    );

    const byDomain = await company("POST", `/v1/ideas/${ideaId}/offers`, {
      ...offerBody,
      commitments: {
        ...offerBody.commitments,
        internships: [{ places: 1, startsOn: "2026-07-03", endsOn: "2026-06-08" }],
      },
    });
    expect(byDomain.status).toBe(400);
    expect(byDomain.body.type).toBe(INVALID);
    expect(byDomain.body.errors).toEqual([
      { path: "commitments.internships.0.endsOn", message: expect.any(String) },
    ]);

    const query = await company("GET", "/v1/offers?limit=0");
    expect(query.body).toMatchObject({
      type: INVALID,
      errors: [{ path: "limit", message: expect.any(String) }],
    });
    expect(await h.svc.store.cols.offers.countDocuments({ ideaId })).toBe(0);
  });
});
