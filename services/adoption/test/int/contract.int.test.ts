// The adoption service's API contract through its real HTTP edge on the real broker and store: one
// problem shape for bad input, naming the resource's own fields; hostile text refused everywhere.
import { romeDate } from "@lto/civil-time";
import { uniqueId } from "@lto/testkit";
import { expectHostileTextRefused } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  client,
  companyProfile,
  offerBody,
  publishIdea,
  startHarness,
  verifiedCompany,
  visible,
  type Client,
  type Harness,
  stored,
} from "./support.js";

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
        // ends before it starts (both ahead of today, so only that rule speaks)
        internships: [{ ...offerBody.commitments.internships[0]!, endsOn: "2026-06-08" }],
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
    expect(await stored(h).offers.countDocuments({ ideaId })).toBe(0);
  });
});

describe("hostile text on every write endpoint", () => {
  it("refuses control characters and invalid Unicode with a 400 naming the field, and stores nothing", async () => {
    const school = client(h, { sub: uniqueId("t"), role: "school", org: schoolOrg });
    const adoptedIdea = await visible(h, await publishIdea(h, { schoolId: schoolOrg }));
    const offer = await company("POST", `/v1/ideas/${adoptedIdea}/offers`, offerBody);
    expect(offer.status).toBe(201);
    const adoption = await school("POST", `/v1/offers/${offer.body.id}/accept`);
    expect(adoption.status).toBe(201);
    const openOffer = await company("POST", `/v1/ideas/${ideaId}/offers`, offerBody);
    expect(openOffer.status).toBe(201);
    const companyId = (await company("GET", "/v1/companies?status=verified")).body.items[0].id as string;
    const newCompany = client(h, { sub: uniqueId("cu"), role: "company", org: uniqueId("company") });
    const v1 = { "if-match": '"1"' };
    const a = `/v1/adoptions/${adoption.body.id}`;
    const kickoff = {
      kind: "kickoff",
      date: romeDate(new Date()),
      note: "Incontro a scuola",
    };
    const cases: Array<[Client, string, string, unknown, string[], Record<string, string>?]> = [
      [
        newCompany,
        "POST",
        "/v1/companies",
        companyProfile(4242),
        ["legalName", "vatNumber", "atecoCode", "areas.0", "district", "contact.name", "contact.email"],
      ],
      [
        company,
        "PATCH",
        `/v1/companies/${companyId}`,
        { district: "suzzara", contact: { name: "Anna Neri", email: "a@example.it", phone: "+39 0376 1" } },
        ["district", "contact.name", "contact.phone"],
        v1,
      ],
      [company, "POST", `/v1/ideas/${ideaId}/offers`, offerBody, ["message", "commitments.equipment.0.item"]],
      [school, "POST", `/v1/offers/${openOffer.body.id}/decline`, { reason: "Non ora" }, ["reason"]],
      [company, "POST", `/v1/offers/${openOffer.body.id}/withdraw`, { reason: "Non ora" }, ["reason"]],
      [company, "POST", `${a}/records`, kickoff, ["note"], v1],
      [
        company,
        "POST",
        `${a}/records`,
        { kind: "equipment", date: kickoff.date, item: "Arduino kit", quantity: 1 },
        ["item"],
        v1,
      ],
      [school, "POST", `${a}/records/r1/dispute`, { reason: "Non è avvenuto" }, ["reason"], v1],
      [company, "POST", `${a}/end`, { reason: "Budget finito" }, ["reason"], v1],
    ];
    await expectHostileTextRefused(
      cases.map(([as, method, path, body, fields, headers]) => ({
        what: `${method} ${path}`,
        body,
        fields,
        send: (b) => as(method, path, b, headers),
      })),
    );
    // Single-line fields refuse line breaks; multi-line ones keep them.
    const twoLines = await newCompany("POST", "/v1/companies", {
      ...companyProfile(4243),
      legalName: "Officine\nTest",
    });
    expect(twoLines.status).toBe(400);
    expect(twoLines.body.errors).toContainEqual({
      path: "legalName",
      message: expect.stringMatching(/single line/),
    });
    const query = await company("GET", "/v1/ideas?district=mantova%00");
    expect(query.status).toBe(400);
    expect(query.body.errors[0].path).toBe("district");

    // Nothing stored: no company for the new user, one offer on the idea, the adoption unchanged.
    expect(
      await stored(h).companies.countDocuments({
        legalName: /Of/,
        vatNumber: companyProfile(4242).vatNumber,
      }),
    ).toBe(0);
    expect(await stored(h).offers.countDocuments({ ideaId })).toBe(1);
    expect((await company("GET", a)).body).toMatchObject({ version: 1, records: [], status: "active" });
    expect((await company("GET", `/v1/offers/${openOffer.body.id}`)).body.status).toBe("open");
    const multiLine = await company(
      "POST",
      `${a}/records`,
      { ...kickoff, note: "Primo incontro.\n\tSecondo punto." },
      v1,
    );
    expect(multiLine.status).toBe(201);
    expect(multiLine.body.records[0].note).toBe("Primo incontro.\n\tSecondo punto.");
  });
});
