// A fact already applied, sent again with a new event id (issue 7 item 19), on the real broker and
// store: it writes nothing, so the idea's version (ETag) does not move and clients' If-Match stays good.
// An adoption fact that breaks its contract (item 18) is parked on the DLQ at once, never applied.
import { AdoptionEndedEvent, IdeaAdoptedEvent, dlqTopic } from "@lto/contracts";
import { createTestKafka, uniqueGroupId } from "@lto/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventProducer, type EventProducer } from "@lto/testkit/service";
import {
  callers,
  fullScores,
  ideaContent,
  openCall,
  startIdeas,
  teamBody,
  type IdeasHarness,
} from "./support.js";

let h: IdeasHarness;
let producer: EventProducer;

const group = uniqueGroupId("ideas");

beforeAll(async () => {
  h = await startIdeas({ KAFKA_CONSUMER_GROUP: group });
  producer = await eventProducer();
});
afterAll(async () => {
  await producer?.stop();
  await h?.close();
});

async function ok(
  res: Promise<{ status: number; body: { id: string } & Record<string, unknown> }>,
  status = 200,
) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

async function publishedIdea(): Promise<string> {
  const call = await openCall(h);
  const team = await ok(
    h.request("POST", "/v1/teams", { as: callers.school, body: teamBody(call.schoolYear) }),
    201,
  );
  const { id } = await ok(
    h.request("POST", "/v1/ideas", {
      as: callers.school,
      body: { ...ideaContent, title: "Idea con fatti ripetuti", callId: call.id, teamId: team.id },
    }),
    201,
  );
  await ok(h.request("POST", `/v1/ideas/${id}/submit`, { as: callers.school }));
  await ok(
    h.request("PUT", `/v1/ideas/${id}/evaluators`, {
      as: callers.staff,
      body: { evaluators: [callers.evaluator.sub] },
    }),
  );
  await ok(
    h.request("PUT", `/v1/ideas/${id}/scores`, { as: callers.evaluator, body: { scores: fullScores } }),
  );
  await ok(
    h.request("POST", `/v1/ideas/${id}/publish`, { as: callers.staff, body: { answer: "Pubblicata" } }),
  );
  return id;
}

async function until(id: string, state: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await h.request("GET", `/v1/ideas/${id}`, { as: callers.school });
    if (r.body.state === state) return r;
    if (Date.now() > deadline) throw new Error(`idea ${id} is ${r.body.state}, not ${state}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

describe("a fact already applied, sent again with a new event id (issue 7 item 19)", () => {
  it("writes nothing: the ETag is unchanged and the next real change is exactly one version on", async () => {
    const id = await publishedIdea();
    const adopted = (adoptionId: string) =>
      IdeaAdoptedEvent.create({
        adoptionId,
        ideaId: id,
        companyId: "company-omv",
        occurredAt: new Date().toISOString(),
      });
    const ended = (adoptionId: string) =>
      AdoptionEndedEvent.create({
        adoptionId,
        ideaId: id,
        reason: "Progetto sospeso",
        occurredAt: new Date().toISOString(),
      });

    await producer.send(IdeaAdoptedEvent, id, adopted("adoption-1"));
    const first = await until(id, "adopted");
    const etag = first.headers.get("etag")!;
    // the same fact again with a new event id; then the next fact on the same key (same partition, so
    // handled after it)
    await producer.send(IdeaAdoptedEvent, id, adopted("adoption-1"));
    expect((await h.request("GET", `/v1/ideas/${id}`, { as: callers.school })).headers.get("etag")).toBe(
      etag,
    );
    await producer.send(AdoptionEndedEvent, id, ended("adoption-1"));
    const back = await until(id, "published");
    expect(back.body.version).toBe(first.body.version + 1);

    const etag2 = back.headers.get("etag")!;
    await producer.send(AdoptionEndedEvent, id, ended("adoption-1")); // ended again, new event id
    await producer.send(IdeaAdoptedEvent, id, adopted("adoption-2"));
    const again = await until(id, "adopted");
    expect(again.body.version).toBe(back.body.version + 1);
    expect(again.body.history.filter((e: { to: string }) => e.to === "published")).toHaveLength(2);
    expect(etag2).toBe(`"${back.body.version}"`);
  }, 120_000);
});

describe("an adoption fact that breaks its contract (issue 7 item 18)", () => {
  it("an IdeaAdopted with an empty idea id goes to the DLQ at once, with the error in its headers", async () => {
    const reader = (await createTestKafka()).consumer({ groupId: uniqueGroupId("dlq-reader") });
    const parked: Record<string, string>[] = [];
    await reader.connect();
    try {
      await reader.subscribe({ topic: dlqTopic(group), fromBeginning: true });
      await reader.run({
        eachMessage: async ({ message }) => {
          parked.push(
            Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
          );
        },
      });
      const id = await producer.send(
        IdeaAdoptedEvent,
        "poison-key",
        IdeaAdoptedEvent.create({ adoptionId: "adoption-x", ideaId: "", companyId: "company-omv" }),
      );
      const deadline = Date.now() + 30_000;
      while (!parked.some((p) => p.ce_id === id) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(parked.find((p) => p.ce_id === id)).toMatchObject({
        lto_error_type: "ContractViolationError",
        lto_error_attempts: "1",
        lto_error_message: expect.stringMatching(/idea_id is empty/),
      });
    } finally {
      await reader.disconnect();
    }
  }, 60_000);
});
