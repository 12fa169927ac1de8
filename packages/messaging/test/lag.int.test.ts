// Issue 12: the consumer lag on /metrics (lto_consumer_lag) comes from the broker's offsets, so it is
// still measured when the consumer is dead: its loop stopped while the process lives and events keep
// arriving. The lag grows with them, which is what the lag alert is for.
import { uniqueGroupId } from "@lto/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messagingMetrics, on, watchConsumerLag } from "../src/index.js";
import {
  ideaSubmittedMessage,
  ideaSubmittedOnOwnTopic,
  startConsumerOnTopic,
  testLogger,
  waitFor,
  type ConsumerOnTopic,
} from "./helpers.js";

const codec = ideaSubmittedOnOwnTopic("lag-int");
const groupId = uniqueGroupId("messaging-lag");

let rig: ConsumerOnTopic;
let unwatch: () => void = () => undefined;
const handled: string[] = [];

async function publish(count: number, prefix: string): Promise<void> {
  const messages = Array.from({ length: count }, (_, i) =>
    ideaSubmittedMessage(codec, `${prefix}-${i}`, `${prefix}-${i}`),
  );
  await rig.producer.send({ topic: codec.topic, acks: -1, messages });
}

/** lto_consumer_lag of the group, summed over the topic's partitions, as /metrics shows it. */
async function groupLag(): Promise<number> {
  const { values } = await messagingMetrics.consumerLag.get();
  return values
    .filter((v) => v.labels.group === groupId && v.labels.topic === codec.topic)
    .reduce((sum, v) => sum + v.value, 0);
}

beforeAll(async () => {
  rig = await startConsumerOnTopic(codec, {
    groupId,
    logger: testLogger,
    subscriptions: [on(codec, async (e) => void handled.push(e.data.title))],
  });
  unwatch = watchConsumerLag(rig.consumer, 200, testLogger);
});

afterAll(async () => {
  unwatch();
  await rig?.close();
});

describe("consumer lag", () => {
  it("is none while the consumer keeps up", async () => {
    await publish(3, "live");
    await waitFor("the consumer handled them", () => handled.length >= 3);
    await waitFor("no lag", async () => ((await groupLag()) === 0 ? true : undefined));
  });

  it("keeps growing on /metrics once the consumer is dead and events keep arriving", async () => {
    await rig.consumer.stop();
    expect(rig.consumer.state()).toBe("stopped");
    await publish(4, "after-death");
    await waitFor("the lag of the 4 events", async () => ((await groupLag()) === 4 ? true : undefined));
    await publish(5, "still-dead");
    await waitFor("the lag of 9 events", async () => ((await groupLag()) === 9 ? true : undefined));
    expect(handled).toHaveLength(3);
  });
});
