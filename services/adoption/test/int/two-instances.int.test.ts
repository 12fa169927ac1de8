// Two instances of the adoption service on one store and one broker (issue 8, part 2): the store, not
// the process, keeps the market's rules. 50 accepts of different offers on one idea, spread over both
// instances, make exactly one adoption; every other offer is declined, and its OfferDeclined published,
// exactly once.
import { eventsByType, topics } from "@lto/contracts";
import { uniqueId } from "@lto/testkit";
import { startTestService, watchTopic, type TestService, type TopicWatch } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adoptionService } from "../../src/main.js";
import {
  client,
  offerBody,
  publishIdea,
  startHarness,
  verifiedCompany,
  visible,
  waitFor,
  type Harness,
} from "./support.js";

const OFFERS = 50;
let h: Harness;
let second: TestService;
let topic: TopicWatch;

beforeAll(async () => {
  h = await startHarness();
  second = await startTestService(adoptionService, { sameAs: h.svc });
  topic = await watchTopic(topics.adoption); // filtered by idea below
}, 240_000);
afterAll(async () => {
  await topic?.stop();
  await second?.close();
  await h?.close();
});

/** What the topic carried so far, decoded. */
const seen = () =>
  topic.records.flatMap((r) => {
    const codec = eventsByType.get(r.headers.ce_type ?? "");
    return codec
      ? [
          {
            id: r.headers.ce_id ?? "",
            type: codec.type,
            data: codec.decode(r.value) as Record<string, unknown>,
          },
        ]
      : [];
  });

describe("two instances on one store and broker", () => {
  it(`${OFFERS} racing accepts over both instances make exactly one adoption`, async () => {
    const schoolOrg = uniqueId("school");
    const staff = client(h, { sub: uniqueId("staff"), role: "staff", org: "lto", sites: ["mantova"] });
    const ideaId = await visible(h, await publishIdea(h, { schoolId: schoolOrg }));

    const offers: string[] = [];
    for (let i = 0; i < OFFERS; i++) {
      const { company } = await verifiedCompany(h, staff, 5000 + i * 7);
      const r = await company("POST", `/v1/ideas/${ideaId}/offers`, offerBody);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      offers.push(r.body.id as string);
    }

    // the same school user on both instances; accepts alternate between them
    const claims = { sub: uniqueId("teacher"), role: "school" as const, org: schoolOrg };
    const onFirst = client(h, claims);
    const onSecond = client({ svc: second }, claims);
    const results = await Promise.all(
      offers.map((id, i) => (i % 2 === 0 ? onFirst : onSecond)("POST", `/v1/offers/${id}/accept`)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(OFFERS - 1);
    const winner = results.find((r) => r.status === 201)!.body;

    for (const reader of [
      staff,
      client({ svc: second }, { sub: uniqueId("staff"), role: "staff", org: "lto" }),
    ]) {
      const adoptions = await reader("GET", `/v1/adoptions?ideaId=${ideaId}`);
      expect(adoptions.body.items.map((a: { id: string }) => a.id)).toEqual([winner.id]);
      const all = await reader("GET", `/v1/offers?ideaId=${ideaId}&limit=100`);
      const byStatus = all.body.items.map((o: { status: string }) => o.status);
      expect(byStatus.filter((s: string) => s === "accepted")).toHaveLength(1);
      expect(byStatus.filter((s: string) => s === "declined")).toHaveLength(OFFERS - 1);
    }

    // on Kafka: one IdeaAdopted, and one OfferDeclined for each other offer (none twice). Delivery is
    // at least once (both relays may publish an event before either clears it): consumers dedupe by
    // ce_id, so a fact is counted once per event id.
    const ofIdea = (type: string) => [
      ...new Map(
        seen()
          .filter((e) => e.type === type && e.data.ideaId === ideaId)
          .map((e) => [e.id, e]),
      ).values(),
    ];
    await waitFor(
      "every other offer declined on the topic",
      async () => ofIdea("lto.adoption.v1.OfferDeclined").length >= OFFERS - 1,
      60_000,
    );
    await new Promise((r) => setTimeout(r, 2000)); // a duplicate would arrive by now
    expect(ofIdea("lto.adoption.v1.IdeaAdopted")).toHaveLength(1);
    const declined = ofIdea("lto.adoption.v1.OfferDeclined").map((e) => e.data.offerId as string);
    expect(declined).toHaveLength(OFFERS - 1);
    expect(new Set(declined)).toEqual(new Set(offers.filter((id) => id !== winner.offerId)));
  }, 300_000);
});
