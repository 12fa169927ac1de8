// Causal order across documents (issue 8, part 3), through both real services on the real broker and
// store. The adoption service writes one idea's events to different documents: the hold, the offer, the
// adoption, and on an early end the ended adoption, while the next company's hold, offer and adoption
// are new documents. An adoption is ended and the idea at once held, offered and adopted again, several
// rounds in a row, so those writes land within one relay pass or across passes. Consumers must still see
// them in the order they happened: the adoption topic carries each round's events in causal order, the
// ideas service ends adopted by the last company with the history of every round, and no DLQ holds
// anything about the idea.
import { romeDate } from "@lto/civil-time";
import { dlqTopic, eventsByType, topics } from "@lto/contracts";
import { createTestKafka } from "@lto/testkit";
import { readTopic, type TopicRecord } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callers,
  evaluateAndPublish,
  ideaContent,
  openCallBody,
  startIdeas,
  teamBody,
  type IdeasHarness,
} from "../../../ideas/test/int/support.js";
import {
  caughtUp,
  client,
  startHarness,
  stored,
  verifiedCompany,
  waitFor,
  type Client,
  type Harness,
} from "./support.js";

const DAY = 86_400_000;
/** Adoptions of the idea: the first, then one after each early end, by a different company each time. */
const ROUNDS = 6;

let ideas: IdeasHarness;
let h: Harness;

beforeAll(async () => {
  ideas = await startIdeas();
  h = await startHarness({ auth: ideas.auth, ideasAddress: ideas.grpcAddress });
}, 240_000);
afterAll(async () => {
  await h?.close();
  await ideas?.close();
});

async function ok(res: Promise<{ status: number; body: unknown }>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body as { id: string; [k: string]: unknown };
}

const dayBefore = (days: number) => romeDate(new Date(Date.now() - days * DAY));

/** An idea published in a call whose adoption phase is open today (drafted 45 days ago). */
async function publishedIdea(): Promise<string> {
  ideas.clock.set(new Date(Date.now() - 45 * DAY));
  const call = await ok(
    ideas.request("POST", "/v1/calls", { as: callers.staff, body: openCallBody(ideas.clock.now()) }),
    201,
  );
  const team = await ok(
    ideas.request("POST", "/v1/teams", {
      as: callers.school,
      body: teamBody(call.schoolYear as string, {
        // consent given before the team was formed (the ideas service's clock is 45 days back)
        members: [
          { pseudonym: "Volpe Blu", minor: true, parentalConsentOn: dayBefore(60) },
          { pseudonym: "Airone", minor: false },
        ],
      }),
    }),
    201,
  );
  const draft = await ok(
    ideas.request("POST", "/v1/ideas", {
      as: callers.school,
      body: { ...ideaContent, title: "Idea adottata più volte", callId: call.id, teamId: team.id },
    }),
    201,
  );
  await ok(ideas.request("POST", `/v1/ideas/${draft.id}/submit`, { as: callers.school }));
  ideas.clock.set(new Date());
  await evaluateAndPublish(ideas, draft.id);
  await waitFor(
    "the idea in the projection",
    async () => (await stored(h).ideas.findOne({ _id: draft.id })) !== null,
    60_000,
  );
  await waitFor(
    "the call in the projection",
    async () => (await stored(h).calls.findOne({ _id: call.id })) !== null,
    60_000,
  );
  return draft.id;
}

/**
 * The school accepts as soon as the ideas service lets it: right after an early end, CheckAdoptable
 * says "adopted" (409, the offer stays open) until the ideas service has consumed the AdoptionEnded.
 */
async function acceptWhenAdoptable(school: Client, offerId: string) {
  return waitFor(
    "the offer to be acceptable",
    async () => {
      const r = await school("POST", `/v1/offers/${offerId}/accept`);
      if (r.status === 409) return undefined;
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r;
    },
    60_000,
  );
}

/** An adoption topic record decoded: its short type name (IdeaAdopted) and the ids it names. */
function decoded(r: TopicRecord): { type: string; companyId?: string; adoptionId?: string } {
  const codec = eventsByType.get(r.headers.ce_type ?? "");
  if (!codec) return { type: `unknown ${r.headers.ce_type}` };
  const data = codec.decode(r.value) as { companyId?: string; adoptionId?: string };
  return { type: codec.type.split(".").at(-1)!, companyId: data.companyId, adoptionId: data.adoptionId };
}

/** Every record of a topic written so far (none when the topic was never created). */
async function wholeTopic(topic: string): Promise<TopicRecord[]> {
  const admin = (await createTestKafka()).admin();
  await admin.connect();
  let total = 0;
  try {
    if (!(await admin.listTopics()).includes(topic)) return [];
    for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high) - Number(p.low);
  } finally {
    await admin.disconnect();
  }
  if (total === 0) return [];
  return readTopic(topic, (records) => records.length >= total, 60_000);
}

describe("one idea's events written to different documents reach consumers in causal order", () => {
  it(`an adoption ended early and the idea adopted again at once, ${ROUNDS - 1} times`, async () => {
    const ideaId = await publishedIdea();
    const staff = client(h, { sub: "staff-lto", role: "staff", org: "provincia-mantova" });
    const companies: { orgId: string; company: Client }[] = [];
    for (let i = 0; i < ROUNDS; i++) companies.push(await verifiedCompany(h, staff, 7100 + i * 13));
    await caughtUp(h);
    const school = client(h, callers.school);

    const adoptions: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { company } = companies[round]!;
      // As fast as the API allows: each step starts as soon as the previous one answered.
      await ok(company("POST", `/v1/ideas/${ideaId}/holds`, { hours: 72 }), 201);
      const offer = await ok(
        company("POST", `/v1/ideas/${ideaId}/offers`, {
          commitments: { mentoringHours: 4, internships: [], fundingCents: 0, equipment: [] },
          message: `Proposta numero ${round + 1}: mentoring sul prototipo.`,
        }),
        201,
      );
      const accepted = await acceptWhenAdoptable(school, offer.id);
      adoptions.push(accepted.body.id as string);
      if (round === ROUNDS - 1) break;
      const ended = await company(
        "POST",
        `/v1/adoptions/${accepted.body.id}/end`,
        { reason: `Fine anticipata ${round + 1}: cambio di priorità` },
        { "if-match": accepted.headers.get("etag")! },
      );
      expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    }
    const last = companies[ROUNDS - 1]!.orgId;

    // The ideas service: adopted by the last company, through every round in order.
    const idea = await waitFor(
      "the idea adopted by the last company",
      async () => {
        const r = await ideas.request("GET", `/v1/ideas/${ideaId}`, { as: callers.school });
        return r.body.state === "adopted" && r.body.adoption?.adoptionId === adoptions.at(-1) && r.body;
      },
      60_000,
    );
    expect(idea.adoption).toMatchObject({ adoptionId: adoptions.at(-1), companyId: last });
    const history = (idea.history as { from: string | null; to: string; reason?: string }[])
      .slice(idea.history.findIndex((e: { to: string }) => e.to === "adopted"))
      .map((e) => (e.to === "adopted" ? `adopted:${e.reason}` : e.to));
    const expectedHistory = companies.flatMap(({ orgId }, round) =>
      round === 0 ? [`adopted:adopted by ${orgId}`] : ["published", `adopted:adopted by ${orgId}`],
    );
    expect(history).toEqual(expectedHistory);

    // The adoption topic (one partition per idea: key = idea id), read from the beginning. This is where
    // a reordering shows: the ideas service's state cannot, since each accept waits for CheckAdoptable,
    // i.e. for the ideas service to have applied the previous AdoptionEnded. A relay publishing a pass
    // in collection order sends the adopter's HoldLapsed (holds) before its IdeaAdopted (adoptions).
    const expected = companies.flatMap(({ orgId }, round) => [
      `IdeaHeld:${orgId}`,
      `AdoptionOffered:${orgId}`,
      `IdeaAdopted:${orgId}`,
      `HoldLapsed:${orgId}`, // the adopter's own hold ends with the adoption
      ...(round === ROUNDS - 1 ? [] : [`AdoptionEnded:${orgId}`]),
    ]);
    const records = await readTopic(
      topics.adoption,
      (rs) => rs.filter((r) => r.key === ideaId).length >= expected.length,
      60_000,
    );
    const ofIdea = records.filter((r) => r.key === ideaId);
    expect(ofIdea.map(decoded).map((e) => `${e.type}:${e.companyId}`)).toEqual(expected);
    // Each adoption's AdoptionEnded names the adoption that ended, and comes before the next IdeaAdopted.
    const lifecycle = ofIdea
      .map(decoded)
      .map(({ type, adoptionId }) => ({ type, adoptionId }))
      .filter((e) => e.type === "IdeaAdopted" || e.type === "AdoptionEnded");
    expect(lifecycle).toEqual(
      adoptions.flatMap((adoptionId, round) => [
        { type: "IdeaAdopted", adoptionId },
        ...(round === ROUNDS - 1 ? [] : [{ type: "AdoptionEnded", adoptionId }]),
      ]),
    );

    // Nothing about the idea was parked by either service's consumers.
    for (const dlq of [dlqTopic(ideas.env.KAFKA_CONSUMER_GROUP!), dlqTopic(h.groupId)]) {
      const parked = (await wholeTopic(dlq)).filter(
        (r) => r.key === ideaId || r.value.includes(Buffer.from(ideaId)),
      );
      expect(
        parked.map((r) => r.headers),
        dlq,
      ).toEqual([]);
    }
  }, 300_000);
});
