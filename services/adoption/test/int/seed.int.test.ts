// The adoption demo seed: companies, holds, offers and adoptions in every state, on ideas that reached
// the service over Kafka; idempotent.
import { uniqueId } from "@lto/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedAdoptionDemo } from "../../src/seed/index.js";
import { client, publishIdea, startHarness, visible, type Harness, stored } from "./support.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("adoption demo seed", () => {
  it("creates companies, holds, offers and adoptions in every state, once", async () => {
    const school = uniqueId("school");
    for (const title of [
      "Tracciabilità del pomodoro da industria",
      "Mappa dei musei mantovani accessibili",
      "Bike sharing tra i comuni del Suzzarese",
      "Cobot per la saldatura di piccoli lotti",
      "Serra idroponica connessa",
    ])
      await visible(h, await publishIdea(h, { schoolId: school, title }));

    const second = await seedAdoptionDemo(h.store.collections, new Date());
    expect(second).toMatchObject({ companies: 4, pendingIdeas: false });
    expect(second.adoptions).toBe(3);

    const staff = client(h, { sub: "staff-lto-mantova", role: "staff", org: "provincia-mantova" });
    const statuses = async (path: string) =>
      new Set(((await staff("GET", path)).body.items as { status: string }[]).map((x) => x.status));
    expect(await statuses("/v1/companies?status=registered")).toEqual(new Set(["registered"]));
    // a company asking for every company sees the verified ones (the seed has registered ones too)
    const asCompany = client(h, { sub: "ing-seed", role: "company", org: uniqueId("company") });
    const listed = await asCompany("GET", "/v1/companies?limit=100");
    expect(listed.status).toBe(200);
    expect(new Set((listed.body.items as { status: string }[]).map((x) => x.status))).toEqual(
      new Set(["verified"]),
    );
    expect(await statuses("/v1/holds?limit=100")).toEqual(
      new Set(["active", "lapsed", "released", "declined"]),
    );
    expect(await statuses("/v1/offers?limit=100")).toEqual(
      new Set(["open", "accepted", "declined", "withdrawn", "cancelled"]),
    );
    expect(await statuses("/v1/adoptions?limit=100")).toEqual(new Set(["active", "completed", "ended"]));

    // the active hold and the open offers are on ideas of a call in its adoption phase (issue 7 item 11)
    const live = [
      ...((await staff("GET", "/v1/holds?active=true&limit=100")).body.items as { ideaId: string }[]),
      ...((await staff("GET", "/v1/offers?status=open&limit=100")).body.items as { ideaId: string }[]),
    ];
    expect(live.length).toBeGreaterThan(0);
    for (const { ideaId } of live) {
      const idea = await stored(h).ideas.findOne({ _id: ideaId });
      const call = await stored(h).calls.findOne({ _id: idea!.callId });
      expect(call!.adoptionStartsAt.getTime()).toBeLessThanOrEqual(Date.now());
      expect(call!.adoptionEndsAt.getTime()).toBeGreaterThan(Date.now());
    }

    const again = await seedAdoptionDemo(h.store.collections, new Date());
    expect(again).toMatchObject({ companies: 0, holds: 0, offers: 0, adoptions: 0 });
  });
});
