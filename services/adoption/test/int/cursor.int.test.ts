// One cursor codec for every list (issue 7 item 5): a cursor the service did not give out is a 400
// naming the cursor (it was a 500, or JSON passed into the store's filter), and a real next cursor
// still pages.
import { uniqueId } from "@lto/testkit";
import { expectForeignCursorsRefused } from "@lto/testkit/service";
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
} from "./support.js";

let h: Harness;
let staff: Client;
let company: Client;
const LISTS = ["/v1/companies", "/v1/ideas", "/v1/holds", "/v1/offers", "/v1/adoptions"];

beforeAll(async () => {
  h = await startHarness();
  staff = client(h, { sub: uniqueId("staff"), role: "staff", org: "lto", sites: ["mantova"] });
  const own = await verifiedCompany(h, staff, 900);
  company = own.company;
  const school = uniqueId("school");
  for (let i = 0; i < 3; i++) {
    const idea = await visible(h, await publishIdea(h, { schoolId: school }));
    expect((await company("POST", `/v1/ideas/${idea}/offers`, offerBody)).status).toBe(201);
  }
});
afterAll(async () => {
  await h?.close();
});

describe("list cursors", () => {
  it("every list answers 400 naming the cursor to a cursor it did not give out", async () => {
    // The company browses ideas; staff read the other lists.
    await expectForeignCursorsRefused(LISTS, (path) =>
      (path.startsWith("/v1/ideas") ? company : staff)("GET", path),
    );
  });

  it("a next cursor pages through without repeats, for the projection and the stored lists", async () => {
    for (const [path, as] of [
      ["/v1/ideas", company],
      ["/v1/offers", company],
    ] as const) {
      const first = await as("GET", `${path}?limit=2`);
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toBeTruthy();
      const next = await as("GET", `${path}?limit=2&cursor=${first.body.nextCursor}`);
      expect(next.status, JSON.stringify(next.body)).toBe(200);
      const ids = [...first.body.items, ...next.body.items].map((i: { id: string }) => i.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(next.body.items.length).toBeGreaterThan(0);
    }
  });
});
