// Two instances of the ideas service on one store and one broker (issue 8, item 2): racing writes of one
// idea spread over both instances' HTTP APIs lose nothing, and every event they cause goes out.
import { IdeaChangesRequestedEvent, IdeaSubmittedEvent, topics } from "@lto/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { watchTopic, type TopicRecord, type TopicWatch } from "@lto/testkit/service";
import {
  callers,
  ideaContent,
  openCall,
  startIdeas,
  teamBody,
  type Caller,
  type IdeasHarness,
  type Reply,
} from "./support.js";

const RACERS = 20;

let a: IdeasHarness;
let b: IdeasHarness;
let topic: TopicWatch;
let callId: string;
let teamId: string;

/** Racer i talks to one instance or the other. */
const via = (i: number) => (i % 2 === 0 ? a : b);

async function ok(res: Promise<Reply>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

beforeAll(async () => {
  topic = await watchTopic(topics.ideas);
  a = await startIdeas();
  b = await startIdeas({}, { sameStoreAs: a });
  const call = await openCall(a);
  const team = await ok(
    b.request("POST", "/v1/teams", { as: callers.school, body: teamBody(call.schoolYear) }),
    201,
  );
  callId = call.id;
  teamId = team.id;
});

afterAll(async () => {
  await topic?.stop();
  await b?.close();
  await a?.close();
});

async function draft(title: string): Promise<string> {
  const idea = await ok(
    a.request("POST", "/v1/ideas", { as: callers.school, body: { ...ideaContent, title, callId, teamId } }),
    201,
  );
  // The other instance reads what the first one wrote.
  expect((await b.request("GET", `/v1/ideas/${idea.id}`, { as: callers.school })).body.version).toBe(1);
  return idea.id;
}

/** Reads the idea and writes with its version, again on a 412, until the write lands. */
async function untilLanded(
  i: number,
  id: string,
  write: (state: string) => { path: string; method: string; as: Caller; body: unknown },
): Promise<Reply> {
  const h = via(i);
  for (let attempt = 0; attempt < 200; attempt++) {
    const current = await h.request("GET", `/v1/ideas/${id}`, { as: callers.school });
    const { path, method, as, body } = write(current.body.state);
    const r = await h.request(method, path, {
      as,
      body,
      headers: { "if-match": `"${current.body.version}"` },
    });
    if (r.status === 200) return r;
    expect(r.status, JSON.stringify(r.body)).toBe(412);
    await new Promise((res) => setTimeout(res, Math.random() * 20));
  }
  throw new Error(`racer ${i} never landed`);
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

describe("two instances of the ideas service on one store and broker", () => {
  it(`${RACERS} racing edits with the same If-Match: exactly one wins, the others get 412`, async () => {
    const id = await draft("Idea contesa da due istanze");
    const replies = await Promise.all(
      range(RACERS).map((i) =>
        via(i).request("PATCH", `/v1/ideas/${id}`, {
          as: callers.school,
          body: { summary: `${ideaContent.summary} Versione ${i}.` },
          headers: { "if-match": '"1"' },
        }),
      ),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array<number>(RACERS - 1).fill(412)]);
    const winner = replies.find((r) => r.status === 200)!;
    expect(winner.body.version).toBe(2);
    const stored = await a.request("GET", `/v1/ideas/${id}`, { as: callers.school });
    expect(stored.body).toMatchObject({ version: 2, summary: winner.body.summary });
  });

  it(`${RACERS} racing edits that retry on 412: every one lands, on ${RACERS} consecutive versions`, async () => {
    const id = await draft("Idea modificata da tutti");
    const replies = await Promise.all(
      range(RACERS).map((i) =>
        untilLanded(i, id, () => ({
          method: "PATCH",
          path: `/v1/ideas/${id}`,
          as: callers.school,
          body: { summary: `${ideaContent.summary} Versione ${i}.` },
        })),
      ),
    );
    // A lost update would show as two racers answered with the same version.
    expect(replies.map((r) => r.body.version as number).sort((x, y) => x - y)).toEqual(range(RACERS, 2));
    for (const h of [a, b]) {
      expect((await h.request("GET", `/v1/ideas/${id}`, { as: callers.school })).body.version).toBe(
        RACERS + 1,
      );
    }
  });

  it(`${RACERS} racing transitions that retry on 412: each lands once and each event is published once, in order`, async () => {
    const id = await draft("Idea rimandata avanti e indietro");
    // Each racer moves the idea one step: a draft is submitted (school), a submitted idea sent back
    // with a change request (staff). Twenty steps, ten events of each kind.
    const replies = await Promise.all(
      range(RACERS).map((i) =>
        untilLanded(i, id, (state) =>
          state === "draft"
            ? { method: "POST", path: `/v1/ideas/${id}/submit`, as: callers.school, body: undefined }
            : {
                method: "POST",
                path: `/v1/ideas/${id}/request-changes`,
                as: callers.staff,
                body: { reason: `Cambio ${i}` },
              },
        ),
      ),
    );
    expect(replies.map((r) => r.body.version as number).sort((x, y) => x - y)).toEqual(range(RACERS, 2));

    const ofIdea = (e: TopicRecord) => e.key === id;
    const distinct = () => new Set(topic.records.filter(ofIdea).map((e) => e.headers.ce_id)).size;
    const deadline = Date.now() + 30_000;
    while (distinct() < RACERS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // Both relays sweep (every 200 ms here): give a second publication of anything the time to show.
    await new Promise((r) => setTimeout(r, 1500));

    const seen = topic.records.filter(ofIdea).map((e) => {
      const codec =
        e.headers.ce_type === IdeaSubmittedEvent.type ? IdeaSubmittedEvent : IdeaChangesRequestedEvent;
      expect([IdeaSubmittedEvent.type, IdeaChangesRequestedEvent.type]).toContain(e.headers.ce_type);
      return { id: e.headers.ce_id, type: e.headers.ce_type, version: codec.decode(e.value).version };
    });
    expect(seen).toHaveLength(RACERS);
    expect(new Set(seen.map((e) => e.id)).size).toBe(RACERS);
    // One idea's events on one partition, in the order they were stored: versions 2..21, submitted on
    // the even ones (from draft), changes requested on the odd ones.
    expect(seen.map((e) => e.version)).toEqual(range(RACERS, 2));
    expect(seen.map((e) => e.type)).toEqual(
      range(RACERS, 2).map((v) => (v % 2 === 0 ? IdeaSubmittedEvent.type : IdeaChangesRequestedEvent.type)),
    );
  });
});
