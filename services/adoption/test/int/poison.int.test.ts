// Events that break their contract's invariants (issue 7 item 18), on the real broker and store: they
// are parked on the dead-letter topic at once, with the error in the headers, and never applied.
import { CallCreatedEvent, dlqTopic, IdeaPublishedEvent, ideasV1 } from "@lto/contracts";
import { uniqueId } from "@lto/testkit";
import { watchTopic, type TopicWatch } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishIdea, startHarness, visible, waitFor, type Harness, stored } from "./support.js";

let h: Harness;
let dlq: TopicWatch;

beforeAll(async () => {
  h = await startHarness();
  dlq = await watchTopic(dlqTopic(h.groupId));
});
afterAll(async () => {
  await dlq?.stop();
  await h?.close();
});

describe("poison events (issue 7 item 18)", () => {
  it("an IdeaPublished with an empty idea id goes to lto.dlq.<group> at once and is never applied", async () => {
    const school = uniqueId("school");
    const idea = ideasV1.Idea.fromPartial({
      id: "",
      callId: "call-poison",
      schoolId: school,
      title: "Idea senza id",
      state: "IDEA_STATE_PUBLISHED",
      publishedAt: new Date().toISOString(),
      version: 3,
    });
    const key = uniqueId("poison");
    const eventId = await h.events.send(
      IdeaPublishedEvent,
      key,
      IdeaPublishedEvent.create({ ideaId: "", idea, version: 3 }),
    );
    // a call with an empty id and an idea with an area the contract does not know: the same treatment
    const callKey = uniqueId("poison-call");
    const callEvent = await h.events.send(
      CallCreatedEvent,
      callKey,
      CallCreatedEvent.create({
        callId: "",
        call: ideasV1.Call.fromPartial({ id: "", title: "Senza id", version: 1 }),
        version: 1,
      }),
    );
    const badAreaKey = uniqueId("poison-date");
    const badArea = await h.events.send(
      IdeaPublishedEvent,
      badAreaKey,
      IdeaPublishedEvent.create({
        ideaId: badAreaKey,
        idea: { ...idea, id: badAreaKey, economicArea: "UNRECOGNIZED" as ideasV1.EconomicArea },
        version: 3,
      }),
    );
    // a good event after the poison ones is applied: the partition moved on
    const good = await visible(h, await publishIdea(h, { schoolId: school }));

    for (const [k, id] of [
      [key, eventId],
      [callKey, callEvent],
      [badAreaKey, badArea],
    ] as const) {
      const m = await waitFor(
        "the event parked on the DLQ",
        async () => dlq.records.find((p) => p.key === k),
        30_000,
      );
      expect(m.headers).toMatchObject({
        ce_id: id,
        lto_error_type: "ContractViolationError",
        lto_error_attempts: "1",
        lto_consumer_group: h.groupId,
      });
      expect(m.headers.lto_error_message).toMatch(/idea_id|call_id|economic_area/);
    }
    expect(dlq.records.find((p) => p.key === key)!.headers.lto_error_message).toMatch(/idea_id is empty/);
    expect(await stored(h).ideas.countDocuments({ _id: "" })).toBe(0);
    expect(await stored(h).ideas.countDocuments({ _id: badAreaKey })).toBe(0);
    expect(await stored(h).calls.countDocuments({ _id: "" })).toBe(0);
    expect(await stored(h).ideas.countDocuments({ _id: good })).toBe(1);
  });
});
