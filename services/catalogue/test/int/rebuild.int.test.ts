// The copy of ideas behind the course suggestions, rebuilt from the topics' beginning with the service
// stopped (infra/rebuild.ts), on the real broker and store: the rebuilt documents equal the ones the live
// consumer wrote, field by field and with the same applied event ids, for a history with redelivery,
// out-of-order and no-op events; it refuses while an instance runs; the service's group is handed the
// replay's end, and the service goes on from there.
import {
  AdoptionEndedEvent,
  IdeaAdoptedEvent,
  IdeaPublishedEvent,
  IdeaWithdrawnEvent,
  topics,
} from "@lto/contracts";
import { AggregateStore } from "@lto/store";
import { createTestKafka, uniqueGroupId, uniqueId, waitFor } from "@lto/testkit";
import { eventProducer, startTestService, type EventProducer, type TestService } from "@lto/testkit/service";
import { createLogger } from "@lto/telemetry";
import type { Kafka } from "kafkajs";
import type { Document } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogueService } from "../../src/main.js";
import { rebuildTeamIdeas } from "../../src/infra/rebuild.js";
import { startCatalogue } from "./support.js";
import { adoptionEnded, caughtUp, ideaAdopted, ideaPublished, produce, storedDb } from "./suggest-support.js";

const logger = createLogger("catalogue-rebuild-test", { level: "warn" });
let svc: TestService;
let events: EventProducer;
let kafka: Kafka;
let store: AggregateStore;
const school = uniqueId("school");
const ids: Record<string, string> = {};

beforeAll(async () => {
  svc = await startCatalogue();
  events = await eventProducer();
  kafka = await createTestKafka({ clientPrefix: "catalogue-rebuild" });
  store = await AggregateStore.open({ url: svc.mongoUrl, dbName: svc.dbName });
}, 120_000);
afterAll(async () => {
  await store?.close();
  await events?.stop();
  await svc?.close();
});

/** Our ideas' documents as stored, without the store's volatile internals; applied event ids as a set. */
async function ours(): Promise<Record<string, Document>> {
  const db = await storedDb(svc);
  try {
    const docs = await db.find("teamIdeas", { _id: { $in: Object.values(ids) } });
    return Object.fromEntries(
      docs.map((d) => {
        const { _processed, ...rest } = d;
        const fields = Object.fromEntries(
          Object.entries(rest).filter(([k]) => k === "_id" || !k.startsWith("_")),
        );
        return [d._id as string, { ...fields, applied: [...((_processed as string[]) ?? [])].sort() }];
      }),
    );
  } finally {
    await db.close();
  }
}

describe("rebuilding the ideas' copy (catalogue)", () => {
  let live: Record<string, Document>;

  it("the live consumer applies a history with redelivery, out-of-order and no-op events", async () => {
    for (const name of ["plain", "early", "ended", "older", "withdrawn", "otherEnd", "later"])
      ids[name] = uniqueId(`idea-${name}`);
    const publish = (name: string, version?: number) =>
      produce(
        events,
        IdeaPublishedEvent,
        ideaPublished({ id: ids[name]!, teamId: `team-${ids[name]}`, schoolId: school, version }),
      );
    // published, then adopted; the adoption redelivered (same event id)
    await publish("plain");
    const adopted = ideaAdopted(ids.plain!, school);
    const adoptedId = await produce(events, IdeaAdoptedEvent, adopted);
    await produce(events, IdeaAdoptedEvent, adopted, adoptedId);
    // adopted before its publication arrives: a placeholder the publication fills in
    await produce(events, IdeaAdoptedEvent, ideaAdopted(ids.early!, school));
    await publish("early");
    // adopted, then the adoption ended
    await publish("ended");
    const a = uniqueId("adoption");
    await produce(events, IdeaAdoptedEvent, ideaAdopted(ids.ended!, school, a));
    await produce(events, AdoptionEndedEvent, adoptionEnded(ids.ended!, school, a));
    // a newer snapshot, then an older one (ignored, only its id recorded)
    await publish("older", 5);
    await publish("older", 4);
    // published, then withdrawn; a withdrawal of an idea never seen changes nothing
    await publish("withdrawn", 3);
    await produce(
      events,
      IdeaWithdrawnEvent,
      IdeaWithdrawnEvent.create({ ideaId: ids.withdrawn!, schoolId: school, reason: "ritirata", version: 4 }),
    );
    // the end of another adoption than the stored one changes nothing
    await publish("otherEnd");
    await produce(events, IdeaAdoptedEvent, ideaAdopted(ids.otherEnd!, school));
    await produce(events, AdoptionEndedEvent, adoptionEnded(ids.otherEnd!, school, uniqueId("adoption")));
    await caughtUp(svc);
    live = await ours();
    expect(Object.keys(live).sort()).toEqual(
      ["plain", "early", "ended", "older", "withdrawn", "otherEnd"].map((n) => ids[n]).sort(),
    );
    expect(live[ids.plain!]).toMatchObject({
      status: "published",
      adoption: { adoptionId: adopted.adoptionId },
    });
    expect(live[ids.early!]).toMatchObject({ status: "published", teamId: `team-${ids.early}` });
    expect(live[ids.ended!]).toMatchObject({ adoption: null });
    expect(live[ids.older!]).toMatchObject({ ideaVersion: 5 });
    expect(live[ids.withdrawn!]).toMatchObject({ status: "withdrawn", ideaVersion: 4 });
    expect(live[ids.otherEnd!]!.adoption).not.toBeNull();
  }, 240_000);

  it("refuses while an instance of the service runs, naming what to do", async () => {
    await expect(rebuildTeamIdeas({ kafka, store, logger, group: svc.groupId })).rejects.toThrow(
      /stop every instance of the service/,
    );
  });

  it("with the service stopped, rebuilds exactly what the live consumer wrote, and hands over the group", async () => {
    await svc.running.stop();
    // A group that never ran stands for the service's after a restore: the rebuild gives it the replay's end.
    const group = uniqueGroupId("catalogue-after-rebuild");
    const result = await rebuildTeamIdeas({ kafka, store, logger, group, timeoutMs: 120_000 });
    expect(result.ideas).toBeGreaterThanOrEqual(6);
    expect(await ours()).toEqual(live);
    // handed over: the new group is already at (or near, as other files produce) the topics' ends
    const handed = await kafka.admin();
    await handed.connect();
    try {
      for (const topic of [topics.ideas, topics.adoption]) {
        const [committed] = await handed.fetchOffsets({ groupId: group, topics: [topic] });
        const ends = await handed.fetchTopicOffsets(topic);
        for (const end of ends)
          if (Number(end.high) > 0)
            expect(
              Number(committed!.partitions.find((p) => p.partition === end.partition)?.offset ?? -1),
              `${topic}:${end.partition}`,
            ).toBeGreaterThan(0);
      }
    } finally {
      await handed.disconnect();
    }

    // the service started on that group goes on from there: a new event is applied, the rest unchanged
    const next = await startTestService(catalogueService, {
      sameAs: svc,
      env: { KAFKA_CONSUMER_GROUP: group },
    });
    try {
      await produce(
        events,
        IdeaPublishedEvent,
        ideaPublished({ id: ids.later!, teamId: `team-${ids.later}`, schoolId: school }),
      );
      await waitFor("the new idea in the rebuilt copy", async () => (await ours())[ids.later!]);
      const after = await ours();
      delete after[ids.later!];
      expect(after).toEqual(live);
    } finally {
      await next.close();
    }
  }, 240_000);
});
