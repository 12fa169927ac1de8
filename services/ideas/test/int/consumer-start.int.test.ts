// After a kill -9 the consumer group still holds the dead process's member until its session expires;
// the service must serve HTTP (and gRPC) meanwhile, and /readyz names the consumer's state
// (issue 7 item 16).
import { topics } from "@lto/contracts";
import { checkHealth } from "@lto/grpc-kit";
import { deadGroupMember, uniqueGroupId } from "@lto/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callers, startIdeas, type IdeasHarness } from "./support.js";

let h: IdeasHarness;
const group = uniqueGroupId("ideas-dead-member");

beforeAll(async () => {
  // The group's previous member died without leaving: joining waits for its 15 s session to expire.
  await deadGroupMember({ groupId: group, topics: [topics.adoption], sessionTimeoutMs: 15_000 });
  h = await startIdeas({ KAFKA_CONSUMER_GROUP: group });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe("start-up while the consumer cannot join its group yet", () => {
  it("answers /healthz, gRPC and API reads at once, and /readyz says the consumer is joining", async () => {
    expect((await h.request("GET", "/healthz")).status).toBe(200);
    expect(await checkHealth(h.grpcAddress)).toBe("SERVING"); // CheckAdoptable's server is up
    expect((await h.request("GET", "/v1/calls", { as: callers.staff })).status).toBe(200);
    let readyz = await h.request("GET", "/readyz");
    expect(readyz.status).toBe(503);
    expect(readyz.headers.get("retry-after")).toBeTruthy();
    expect(readyz.body.checks).toMatchObject({ store: "ok", broker: "ok" });
    expect(["starting", "joining"]).toContain(readyz.body.checks.consumer);
    expect(readyz.body.failing).toEqual(["consumer"]);
    // Connected, and waiting for the group: still serving.
    while (readyz.body.checks.consumer === "starting") {
      await new Promise((r) => setTimeout(r, 50));
      readyz = await h.request("GET", "/readyz");
    }
    expect(readyz.body.checks.consumer).toBe("joining");
    expect((await h.request("GET", "/v1/calls", { as: callers.staff })).status).toBe(200);
  });

  it("becomes ready once the dead member's session has expired", async () => {
    const deadline = Date.now() + 90_000;
    let readyz = await h.request("GET", "/readyz");
    while (readyz.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      readyz = await h.request("GET", "/readyz");
    }
    expect(readyz.status, JSON.stringify(readyz.body)).toBe(200);
    expect(readyz.body.checks).toMatchObject({ consumer: "ok" });
  }, 120_000);

  it("stops cleanly while its consumer is still waiting to join", async () => {
    const other = uniqueGroupId("ideas-dead-member");
    await deadGroupMember({ groupId: other, topics: [topics.adoption], sessionTimeoutMs: 20_000 });
    const second = await startIdeas({ KAFKA_CONSUMER_GROUP: other });
    const readyz = await second.request("GET", "/readyz");
    expect(["starting", "joining"]).toContain(readyz.body.checks.consumer);
    await second.close(); // resolves: nothing waits for the join
    await expect(fetch(`${second.url}/healthz`)).rejects.toThrow();
  }, 120_000);
});
