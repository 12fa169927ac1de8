// Replaying dead-lettered messages on the real broker: parked while their cause lasts, sent again once it
// is fixed, applied by the consumer, and never sent twice by a second run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueGroupId, uniqueId } from "@lto/testkit";
import type { KafkaMessage } from "kafkajs";
import { DlqReplayError, on, replayDeadLetters } from "../src/index.js";
import {
  ideaSubmittedMessage,
  ideaSubmittedOnOwnTopic,
  startConsumerOnTopic,
  testLogger,
  waitFor,
  type ConsumerOnTopic,
} from "./helpers.js";

const codec = ideaSubmittedOnOwnTopic("dlq-replay");
const groupId = uniqueGroupId("messaging-dlq-replay");
const quiet = { ...testLogger, error: () => undefined, warn: () => undefined };

let rig: ConsumerOnTopic;
/** Titles the handler refuses while their cause lasts. */
const broken = new Set<string>();
const applied: string[] = [];
const seenIds = new Set<string>();

beforeAll(async () => {
  rig = await startConsumerOnTopic(codec, {
    groupId,
    logger: quiet,
    retry: { attempts: 2, initialBackoffMs: 10, maxBackoffMs: 20 },
    subscriptions: [
      on(codec, async (e) => {
        if (broken.has(e.data.title)) throw new Error(`school of "${e.data.title}" not known yet`);
        // The idempotent consumer of a service: an event id applied once is skipped after.
        if (seenIds.has(e.id)) return;
        seenIds.add(e.id);
        applied.push(e.data.title);
      }),
    ],
  });
});

afterAll(async () => {
  await rig?.close();
});

async function dlqSize(): Promise<number> {
  const admin = rig.kafka.admin();
  await admin.connect();
  try {
    const [p] = await admin.fetchTopicOffsets(rig.consumer.dlqTopic);
    return Number(p!.high);
  } finally {
    await admin.disconnect();
  }
}

/** Every message now on the codec's topic, in partition order. */
async function topicMessages(count: number): Promise<KafkaMessage[]> {
  const got: KafkaMessage[] = [];
  const reader = rig.kafka.consumer({ groupId: uniqueId("dlq-replay-reader") });
  await reader.connect();
  await reader.subscribe({ topics: [codec.topic], fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => void got.push(message) });
  try {
    await waitFor(`${count} messages on the topic`, () => got.length >= count);
  } finally {
    await reader.disconnect();
  }
  return got;
}

describe("replaying dead-lettered messages", () => {
  it("sends each parked message back to where it came from once its cause is fixed, and only once", async () => {
    broken.add("orphan-1").add("orphan-2");
    await rig.producer.send({
      topic: codec.topic,
      acks: -1,
      messages: [
        ideaSubmittedMessage(codec, "i-1", "orphan-1"),
        ideaSubmittedMessage(codec, "i-2", "fine"),
        ideaSubmittedMessage(codec, "i-3", "orphan-2"),
      ],
    });
    await waitFor("two parked, one applied", async () => applied.includes("fine") && (await dlqSize()) === 2);

    // A look first: nothing is sent, the mark does not move.
    const look = await replayDeadLetters({ kafka: rig.kafka, group: groupId, logger: quiet, dryRun: true });
    expect(look.dryRun).toBe(true);
    expect(look.mark).toBe(0);
    expect(look.messages.map((m) => [m.offset, m.originalTopic, m.type, m.error])).toEqual([
      [0, codec.topic, codec.type, 'Error: school of "orphan-1" not known yet'],
      [1, codec.topic, codec.type, 'Error: school of "orphan-2" not known yet'],
    ]);

    // The cause of orphan-1 is fixed: replay just that one, by its offset.
    broken.delete("orphan-1");
    const one = await replayDeadLetters({ kafka: rig.kafka, group: groupId, logger: quiet, offset: 0 });
    expect(one.messages.map((m) => m.offset)).toEqual([0]);
    expect(one.mark).toBe(0);
    await waitFor("orphan-1 applied", () => applied.includes("orphan-1"));

    // Then everything: orphan-1 again (skipped by its event id) and orphan-2, still broken, parked again.
    const all = await replayDeadLetters({ kafka: rig.kafka, group: groupId, logger: quiet });
    expect(all.messages.map((m) => m.offset)).toEqual([0, 1]);
    expect(all.mark).toBe(2);
    await waitFor("orphan-2 parked again", async () => (await dlqSize()) === 3);

    // Fixed at last: a plain run sends only what was parked since the last one.
    broken.delete("orphan-2");
    const since = await replayDeadLetters({ kafka: rig.kafka, group: groupId, logger: quiet });
    expect(since.messages.map((m) => [m.offset, m.error])).toEqual([
      [2, 'Error: school of "orphan-2" not known yet'],
    ]);
    expect(since.mark).toBe(3);
    await waitFor("orphan-2 applied", () => applied.includes("orphan-2"));
    expect(applied.sort()).toEqual(["fine", "orphan-1", "orphan-2"]);
    const nothing = await replayDeadLetters({ kafka: rig.kafka, group: groupId, logger: quiet });
    expect(nothing.messages).toEqual([]);

    // On the topic, a replayed message is the one published, plus where it came back from.
    const onTopic = await topicMessages(3 + 4);
    const first = onTopic.find(
      (m) => m.headers?.lto_replayed_from === undefined && m.key?.toString() === "i-1",
    )!;
    const replays = onTopic.filter((m) => m.key?.toString() === "i-1" && m.headers?.lto_replayed_from);
    expect(replays).toHaveLength(2);
    for (const replay of replays) {
      expect(Buffer.compare(replay.value!, first.value!)).toBe(0);
      expect(replay.headers?.ce_id?.toString()).toBe(first.headers?.ce_id?.toString());
      expect(replay.headers?.lto_error_message).toBeUndefined();
      expect(replay.headers?.lto_original_topic).toBeUndefined();
      expect(replay.headers?.lto_replayed_from?.toString()).toBe(`${rig.consumer.dlqTopic}@0`);
    }
  });

  it("says what is wrong with a request it cannot serve", async () => {
    await expect(
      replayDeadLetters({ kafka: rig.kafka, group: groupId, logger: quiet, offset: 99 }),
    ).rejects.toThrow(/holds offsets 0 to \d+: there is no offset 99/);
    await expect(
      replayDeadLetters({ kafka: rig.kafka, group: uniqueGroupId("never-parked"), logger: quiet }),
    ).rejects.toBeInstanceOf(DlqReplayError);
  });
});
