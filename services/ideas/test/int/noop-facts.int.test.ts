// A fact already applied, sent again with a new event id (issue 7 item 19), on the real broker and
// store: it writes nothing, so the idea's version (ETag) does not move and clients' If-Match stays good.
import { AdoptionEndedEvent, IdeaAdoptedEvent } from "@lto/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adoptionProducer } from "./kafka-support.js";
import {
  callers,
  fullScores,
  ideaContent,
  openCallBody,
  startIdeas,
  teamBody,
  type IdeasHarness,
} from "./support.js";

let h: IdeasHarness;
let producer: Awaited<ReturnType<typeof adoptionProducer>>;

beforeAll(async () => {
  h = await startIdeas();
  producer = await adoptionProducer();
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
  const call = await ok(h.request("POST", "/v1/calls", { as: callers.staff, body: openCallBody() }), 201);
  const team = await ok(
    h.request("POST", "/v1/teams", { as: callers.school, body: teamBody(call.schoolYear as string) }),
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
