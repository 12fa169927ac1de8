// The projection rebuild equals the live projection field by field, also under writes (issue 7 item
// 20), and a re-sent snapshot changes nothing (item 19, projection side): real broker and store.
import { IdeaPublishedEvent, ideasV1 } from "@lto/contracts";
import { uniqueId } from "@lto/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mergeRebuilt, rebuildProjection } from "../../src/infra/rebuild.js";
import {
  caughtUp,
  client,
  logger,
  offerBody,
  produce,
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
let staff: Client;
let company: Client;
let school: Client;
const schoolOrg = uniqueId("school");

beforeAll(async () => {
  h = await startHarness();
  staff = client(h, { sub: uniqueId("staff"), role: "staff", org: "lto" });
  company = (await verifiedCompany(h, staff, 2000)).company;
  school = client(h, { sub: uniqueId("t"), role: "school", org: schoolOrg });
});
afterAll(async () => {
  await h?.close();
});

/**
 * This test's documents of a collection by id, exactly as stored (the shared broker's ideas topic also
 * carries other tests' ideas, which may arrive at any moment).
 */
async function docs(name: string) {
  const mine = name.endsWith("calls") ? { _id: h.callId } : { callId: h.callId };
  const all = await storedDb(h)
    .collection<{ _id: string } & Record<string, unknown>>(name)
    .find(mine)
    .sort({ _id: 1 })
    .toArray();
  return new Map(all.map((d) => [String(d._id), d]));
}

/** Field by field, strictly (null is not absent): every document of `a` equals its twin in `b`. */
async function expectSame(a: string, b: string) {
  const [x, y] = [await docs(a), await docs(b)];
  expect([...x.keys()]).toEqual([...y.keys()]);
  for (const [id, doc] of x) expect(doc, `${a} ${id}`).toStrictEqual(y.get(id));
}

async function adopt(ideaId: string) {
  const offer = await company("POST", `/v1/ideas/${ideaId}/offers`, offerBody);
  expect(offer.status, JSON.stringify(offer.body)).toBe(201);
  const accepted = await school("POST", `/v1/offers/${offer.body.id}/accept`);
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
  return accepted;
}

describe("projection rebuild (issue 7 item 20)", () => {
  it("rebuilds to exactly the live projection, field by field, in every form", async () => {
    const published = await visible(h, await publishIdea(h, { schoolId: schoolOrg }));
    const adopted = await visible(h, await publishIdea(h, { schoolId: schoolOrg }));
    const ended = await visible(h, await publishIdea(h, { schoolId: schoolOrg }));
    const withdrawn = await visible(h, await publishIdea(h, { schoolId: schoolOrg }));
    await adopt(adopted);
    const e = await adopt(ended);
    expect(
      (
        await company(
          "POST",
          `/v1/adoptions/${e.body.id}/end`,
          { reason: "Progetto sospeso" },
          { "if-match": e.headers.get("etag")! },
        )
      ).status,
    ).toBe(200);
    await withdrawIdea(h, withdrawn, schoolOrg);
    await waitFor(
      "the withdrawal in the projection",
      async () => (await stored(h).ideas.findOne({ _id: withdrawn }))?.status === "withdrawn",
    );
    await caughtUp(h);

    await rebuildProjection({ kafka: h.kafka, store: h.store.store, logger, apply: false });
    await expectSame("rebuild_ideas", "ideas");
    await expectSame("rebuild_calls", "calls");
    const live = await docs("ideas");
    expect(live.get(published)!.adoption).toBeNull();
    expect(live.get(ended)!.adoption).toBeNull();
    expect(live.get(adopted)!.adoption).toMatchObject({ companyId: expect.any(String) });

    // a re-sent snapshot (same version, new event id) changes nothing in the projection (item 19)
    const before = live.get(published)!;
    const idea = ideasV1.Idea.fromPartial({
      id: published,
      callId: h.callId,
      schoolId: schoolOrg,
      title: "Titolo diverso, stessa versione",
      version: before.ideaVersion as number,
    });
    await produce(
      h,
      IdeaPublishedEvent,
      IdeaPublishedEvent.create({ ideaId: published, idea, version: before.ideaVersion as number }),
    );
    await caughtUp(h);
    expect(await stored(h).ideas.findOne({ _id: published })).toStrictEqual(before);
  }, 180_000);

  it("keeps an adoption marker written while the rebuild ran, and ends equal to live under writes", async () => {
    const first = await visible(h, await publishIdea(h, { schoolId: schoolOrg }));
    const second = await visible(h, await publishIdea(h, { schoolId: schoolOrg }));
    const e = await adopt(second);
    await caughtUp(h);
    // the rebuild has read the topic and the adoptions (its shadow says: first not adopted, second adopted)
    await rebuildProjection({ kafka: h.kafka, store: h.store.store, logger, apply: false });
    // meanwhile: first is adopted, second's adoption ends, and a new idea arrives
    const a = await adopt(first);
    await company(
      "POST",
      `/v1/adoptions/${e.body.id}/end`,
      { reason: "Progetto sospeso" },
      { "if-match": e.headers.get("etag")! },
    );
    const third = await visible(h, await publishIdea(h, { schoolId: schoolOrg }));
    // now the rebuild merges its shadow into the live projection
    await mergeRebuilt({ store: h.store.store });
    const live = await docs("ideas");
    expect(live.get(first)!.adoption).toEqual({ id: a.body.id, companyId: a.body.companyId });
    expect(live.get(second)!.adoption).toBeNull();
    expect(live.get(third)).toBeDefined();

    // a whole rebuild while new ideas are published ends equal to live
    const more = [1, 2, 3].map(() => publishIdea(h, { schoolId: schoolOrg }));
    const rebuilding = rebuildProjection({ kafka: h.kafka, store: h.store.store, logger });
    const ids = await Promise.all(more);
    await rebuilding;
    for (const id of ids) await visible(h, id);
    await caughtUp(h);
    await rebuildProjection({ kafka: h.kafka, store: h.store.store, logger, apply: false });
    await expectSame("rebuild_ideas", "ideas");
    await expectSame("rebuild_calls", "calls");
  }, 240_000);
});
