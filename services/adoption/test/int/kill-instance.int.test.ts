// Issue 8, part 2: two instances of each service (separate OS processes running their real main.ts) on
// one database per service, one broker, one consumer group per service. Load goes through both
// instances' HTTP APIs, with events flowing both ways (ideas -> the adoption projection, IdeaAdopted ->
// the ideas service). Midway, one instance of each service is killed with SIGKILL: no shutdown hook
// runs, its relay stops between publishing and clearing, its consumer between applying and committing.
// Requests that hit a dead instance are retried on the survivor, as a client behind a load balancer
// would (the same Idempotency-Key where the API takes one). Then every acknowledged write is there,
// every event it caused is on its topic (a duplicate record of one event id is allowed: delivery is at
// least once), every consumer applied each event exactly once, and no DLQ holds anything.
import { romeDate } from "@lto/civil-time";
import type { TokenClaims } from "@lto/auth";
import { dlqTopic, topics } from "@lto/contracts";
import {
  getInfra,
  groupLag,
  testAuth,
  testDbName,
  uniqueGroupId,
  uniqueId,
  waitFor,
  type TestAuth,
} from "@lto/testkit";
import { freePorts, spawnService, type ServiceProcess } from "@lto/testkit/process";
import { distinctEventIds, readWholeTopic, type TopicRecord } from "@lto/testkit/service";
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { companyProfile } from "./support.js";

/** Ideas evaluated, published, held, offered and adopted under load; as many drafted and submitted. */
const IDEAS = 16;
/** Writes each idea's load makes: draft + submit (second call), evaluators + scores + publish, hold + offer + accept. */
const WRITES_PER_IDEA = 8;
/** The kill comes once this many load writes have been answered (and at least one adoption made). */
const KILL_AFTER = Math.round(IDEAS * WRITES_PER_IDEA * 0.4);
const CONCURRENCY = 6;
const DAY = 86_400_000;

const school = { role: "school", org: uniqueId("school"), sub: uniqueId("referent") } as const;
const staff = { role: "staff", org: "provincia-mantova", sub: "staff-lto", sites: ["lto-mantova"] } as const;
const evaluator = {
  role: "staff",
  org: "provincia-mantova",
  sub: "eval-bertoli",
  sites: ["lto-mantova"],
} as const;
const adoptionStaff = { role: "staff", org: "provincia-mantova", sub: uniqueId("staff") } as const;

const day = (offset: number) => romeDate(new Date(Date.now() + offset * DAY));
const schoolYear = (() => {
  const now = new Date();
  const y = now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  return `${y}/${String((y + 1) % 100).padStart(2, "0")}`;
})();
const callBody = (title: string, phaseStarts: Record<string, string>) => ({
  title,
  description: "Call della prova di kill",
  model: "open",
  schoolYear,
  phaseStarts,
  panel: [{ subject: evaluator.sub, organisationId: evaluator.org, kind: "staff" }],
});
const submissionOpen = { submission: day(-5), evaluation: day(20), adoption: day(40), closed: day(80) };
const adoptionOpen = { submission: day(-60), evaluation: day(-40), adoption: day(-5), closed: day(80) };
const ideaContent = (title: string, callId: string, teamId: string) => ({
  title,
  summary: "Una serra idroponica con sensori IoT per le aziende agricole del Viadanese.",
  problem: "Le piccole aziende agricole sprecano acqua e fertilizzanti senza dati sul suolo.",
  solution: "Sensori a basso costo e un cruscotto web che suggerisce quando irrigare.",
  area: "agroalimentare",
  district: "viadana",
  technologies: ["iot"],
  needs: ["mentoring"],
  callId,
  teamId,
});
const scores = { innovation: 5, feasibility: 4, digital_content: 4, territorial_impact: 3 };
const offerBody = {
  commitments: { mentoringHours: 4, internships: [], fundingCents: 0, equipment: [] },
  message: "Mentoring sul prototipo per tutto il semestre.",
};

interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/**
 * One service's instances behind a "load balancer": request i goes to instance i mod n among the live
 * ones. A request whose connection fails on an instance the test killed is sent again to a survivor;
 * a connection failure on an instance still alive fails the test.
 */
class Balancer {
  private next = 0;
  retriedAfterKill = 0;
  inProgressRetries = 0;
  constructor(
    readonly instances: ServiceProcess[],
    private readonly auth: TestAuth,
  ) {}
  private tokens = new Map<string, Promise<string>>();

  async request(
    claims: TokenClaims,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply & { retried: boolean }> {
    const key = JSON.stringify(claims);
    if (!this.tokens.has(key)) this.tokens.set(key, this.auth.token(claims));
    const token = await this.tokens.get(key)!;
    const started = Date.now();
    let retried = false;
    for (;;) {
      const live = this.instances.filter((i) => !i.gone);
      if (!live.length) throw new Error("no live instance");
      const target = live[this.next++ % live.length]!;
      let res: Response;
      try {
        res = await fetch(target.httpUrl + path, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { "content-type": "application/json" }),
            ...headers,
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (error) {
        if (!target.gone)
          throw new Error(`${target.service} ${target.pid} failed while alive`, { cause: error });
        this.retriedAfterKill++;
        retried = true;
        continue;
      }
      const text = await res.text().catch((error: unknown) => {
        if (!target.gone) throw error;
        return undefined; // cut off mid-answer by the kill: not an answer
      });
      if (text === undefined) {
        this.retriedAfterKill++;
        retried = true;
        continue;
      }
      const answer = text ? JSON.parse(text) : undefined;
      // The dead instance had claimed this Idempotency-Key: the survivor says "in progress, retry"
      // until the claim counts as abandoned (IDEMPOTENCY_ABANDON_MS); a client retries as Retry-After asks.
      if (res.status === 409 && String(answer?.type).endsWith("/idempotency-key-in-progress")) {
        if (Date.now() - started > 120_000) throw new Error(`${path}: key still in progress after 120 s`);
        this.inProgressRetries++;
        await new Promise((r) => setTimeout(r, Number(res.headers.get("retry-after") ?? 1) * 1000));
        continue;
      }
      return { status: res.status, body: answer, retried };
    }
  }
}

const infraDbs: string[] = [];
let auth: TestAuth;
let ideas: Balancer;
let adoption: Balancer;
let ideasGroup: string;
let adoptionGroup: string;
const processes: ServiceProcess[] = [];

beforeAll(async () => {
  const infra = await getInfra();
  auth = await testAuth();
  ideasGroup = uniqueGroupId("kill-ideas");
  adoptionGroup = uniqueGroupId("kill-adoption");
  const ideasDb = testDbName("kill_ideas");
  const adoptionDb = testDbName("kill_adoption");
  infraDbs.push(ideasDb, adoptionDb);
  const common = {
    NODE_ENV: "test",
    LOG_LEVEL: "warn",
    MONGO_URL: infra.mongoUrl,
    KAFKA_BROKERS: infra.kafkaBrokers.join(","),
    OUTBOX_SWEEP_MS: "200",
    // A key the killed instance claimed is taken over by a retry after this (60 s by default): a run,
    // not a wait. The retry runs the request again and finds what the dead one wrote.
    IDEMPOTENCY_ABANDON_MS: "3000",
    ...auth.env,
  };
  // Each adoption instance asks "its" ideas instance CheckAdoptable (the pair dies together); all four
  // start at once, the adoption instances knowing the ideas instances' gRPC ports beforehand.
  const ideasGrpcPorts = await freePorts(2);
  const started = await Promise.allSettled([
    ...ideasGrpcPorts.map((grpcPort) =>
      spawnService("ideas", {
        grpcPort,
        env: { ...common, MONGO_DB: ideasDb, KAFKA_CONSUMER_GROUP: ideasGroup },
      }),
    ),
    ...ideasGrpcPorts.map((grpcPort) =>
      spawnService("adoption", {
        env: {
          ...common,
          MONGO_DB: adoptionDb,
          KAFKA_CONSUMER_GROUP: adoptionGroup,
          IDEAS_GRPC_ADDRESS: `127.0.0.1:${grpcPort}`,
          HOLD_SWEEP_MS: "200",
        },
      }),
    ),
  ]);
  // Whatever started is stopped by afterAll, also when another one failed to start.
  for (const r of started) if (r.status === "fulfilled") processes.push(r.value);
  const failed = started.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  const [ideas1, ideas2, adoption1, adoption2] = processes;
  ideas = new Balancer([ideas1!, ideas2!], auth);
  adoption = new Balancer([adoption1!, adoption2!], auth);
}, 240_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await auth?.close();
  const { mongoUrl } = await getInfra();
  for (const dbName of infraDbs) {
    const conn = await mongoose.createConnection(mongoUrl, { dbName }).asPromise();
    await conn.dropDatabase();
    await conn.close();
  }
}, 60_000);

async function ok(reply: Promise<Reply>, status = 200) {
  const r = await reply;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

const wholeTopic = readWholeTopic;

/**
 * The whole topic once `done` says every expected event is there; after 90 s without, the last read
 * (the exact counts below then name what is missing).
 */
async function untilComplete(topic: string, done: (records: TopicRecord[]) => boolean) {
  let last: TopicRecord[] = [];
  try {
    return await waitFor(
      `every event on ${topic}`,
      async () => {
        last = await wholeTopic(topic);
        return done(last) ? last : undefined;
      },
      90_000,
    );
  } catch {
    return last;
  }
}

/** Event ids per short type name among one key's records ("IdeaAdopted" -> {ce_id, ...}). */
function eventIdsByType(records: readonly TopicRecord[], key: string): Record<string, Set<string>> {
  const mine = records.filter((r) => r.key === key);
  const types = new Set(mine.map((r) => (r.headers.ce_type ?? "?").split(".").at(-1)!));
  return Object.fromEntries([...types].map((t) => [t, distinctEventIds(mine, t)]));
}
const counts = (byType: Record<string, Set<string>>) =>
  Object.fromEntries(Object.entries(byType).map(([type, ids]) => [type, ids.size]));

describe("SIGKILL of one instance of each service mid-load", () => {
  // No retry: a second run would start on instances the first one killed.
  it(
    `${IDEAS} ideas taken from draft to adoption over both instances lose nothing and apply nothing twice`,
    { retry: 0, timeout: 300_000 },
    async () => {
      onTestFailed(() => {
        for (const p of processes) console.error(`--- ${p.service} ${p.pid} ---\n${p.output().slice(-4000)}`);
      });
      // --- before the load: two calls, a team, the ideas to evaluate submitted, one company per idea ---
      const call = await ok(
        ideas.request(staff, "POST", "/v1/calls", callBody("Call adozioni", submissionOpen)),
        201,
      );
      const laterCall = await ok(
        ideas.request(staff, "POST", "/v1/calls", callBody("Call aperta", submissionOpen)),
        201,
      );
      const team = await ok(
        ideas.request(school, "POST", "/v1/teams", {
          name: "I Rinnovabili",
          schoolName: "IIS E. Fermi Mantova",
          className: "4A",
          schoolYear,
          referentTeacher: "Prof.ssa Bonfanti",
          members: [
            { pseudonym: "Volpe Blu", minor: true, parentalConsentOn: day(-30) },
            { pseudonym: "Airone", minor: false },
          ],
        }),
        201,
      );
      const ideaIds: string[] = [];
      for (let i = 0; i < IDEAS; i++) {
        const draft = await ok(
          ideas.request(school, "POST", "/v1/ideas", ideaContent(`Idea ${i}`, call.id, team.id)),
          201,
        );
        await ok(ideas.request(school, "POST", `/v1/ideas/${draft.id}/submit`));
        ideaIds.push(draft.id);
      }
      // The first call moves on to its adoption phase (the adoption service learns it from CallUpdated).
      await ok(
        ideas.request(staff, "PUT", `/v1/calls/${call.id}`, callBody("Call adozioni", adoptionOpen), {
          "if-match": `"${call.version}"`,
        }),
      );
      // Holds wait for the call's adoption window: let the adoption group consume the CallUpdated first.
      await waitFor(
        "the adoption group read the call's new dates",
        async () => (await groupLag(adoptionGroup, topics.ideas)) === 0,
        90_000,
      );
      const companies: { claims: TokenClaims; orgId: string }[] = [];
      for (let i = 0; i < IDEAS; i++) {
        const orgId = uniqueId("company");
        const claims = { role: "company", org: orgId, sub: uniqueId("cu") } as const;
        await ok(
          adoption.request(claims, "POST", "/v1/companies", companyProfile(Math.floor(Math.random() * 1e6)), {
            "idempotency-key": uniqueId("reg"),
          }),
          201,
        );
        await ok(adoption.request(adoptionStaff, "POST", `/v1/companies/${orgId}/verification`));
        companies.push({ claims, orgId });
      }

      // --- the load ---
      let acknowledged = 0;
      let accepted = 0;
      let killed: Promise<void> | undefined;
      let killedAtAck = 0;
      const ack = (r: Reply) => {
        acknowledged++;
        if (!killed && acknowledged >= KILL_AFTER && accepted > 0) {
          killedAtAck = acknowledged;
          killed = Promise.all([ideas.instances[0]!.kill(), adoption.instances[0]!.kill()]).then(() => {});
        }
        return r;
      };
      /** A write that must succeed; a retry after a kill may find it already done (then `landed` says so). */
      async function write(
        reply: Promise<Reply & { retried: boolean }>,
        status: number,
        landed?: () => Promise<Reply | undefined>,
      ) {
        const r = await reply;
        if (r.status === status) return ack(r).body;
        if (r.retried && landed) {
          const found = await landed();
          if (found) return ack(found).body;
        }
        expect(r.status, JSON.stringify(r.body)).toBe(status);
      }
      const succeeded = async (reply: Promise<Reply>, status: number) => {
        const r = await reply;
        return r.status === status ? r : undefined;
      };
      const readIdea = (id: string) => ideas.request(staff, "GET", `/v1/ideas/${id}`);
      const inState = (id: string, state: string) => async () => {
        const r = await readIdea(id);
        return r.body?.state === state ? r : undefined;
      };

      const results: {
        ideaId: string;
        published: { version: number; history: { to: string }[] };
        adoptionId: string;
        offerId: string;
        holdId: string;
        laterIdeaId: string;
      }[] = [];
      async function pipeline(i: number) {
        const ideaId = ideaIds[i]!;
        const company = companies[i]!;
        // a new draft in the other call (Idempotency-Key: a retry makes no second draft) and its submission
        const later = await write(
          ideas.request(school, "POST", "/v1/ideas", ideaContent(`Nuova idea ${i}`, laterCall.id, team.id), {
            "idempotency-key": uniqueId("draft"),
          }),
          201,
        );
        await write(
          ideas.request(school, "POST", `/v1/ideas/${later.id}/submit`),
          200,
          inState(later.id, "submitted"),
        );
        // evaluation and publication of the submitted idea
        // PUTs set a value: sending one again is safe (the first retry may race the dead instance's
        // last write still landing in the store).
        const assign = () =>
          ideas.request(staff, "PUT", `/v1/ideas/${ideaId}/evaluators`, { evaluators: [evaluator.sub] });
        await write(assign(), 200, () => succeeded(assign(), 200));
        const score = () => ideas.request(evaluator, "PUT", `/v1/ideas/${ideaId}/scores`, { scores });
        await write(score(), 200, () => succeeded(score(), 200));
        const published = await write(
          ideas.request(staff, "POST", `/v1/ideas/${ideaId}/publish`, { answer: "Pubblicata" }),
          200,
          inState(ideaId, "published"),
        );
        // The adoption service lists it once it has consumed the IdeaPublished (a dead member's partitions
        // wait for its session to expire: up to 30 s).
        await waitFor(
          `idea ${i} in the adoption projection`,
          async () => (await adoption.request(company.claims, "GET", `/v1/ideas/${ideaId}`)).status === 200,
          90_000,
        );
        const hold = await write(
          adoption.request(
            company.claims,
            "POST",
            `/v1/ideas/${ideaId}/holds`,
            { hours: 72 },
            {
              "idempotency-key": uniqueId("hold"),
            },
          ),
          201,
        );
        const offer = await write(
          adoption.request(company.claims, "POST", `/v1/ideas/${ideaId}/offers`, offerBody, {
            "idempotency-key": uniqueId("offer"),
          }),
          201,
        );
        const adopted = await write(
          adoption.request(school, "POST", `/v1/offers/${offer.id}/accept`),
          201,
          // An accept resumes where a crashed one stopped (offer accepted, adoption not yet stored) or
          // answers the adoption made. The first retry can race the dead instance's last write still
          // landing in the store (409 "it is accepted"): the client accepts once more.
          () => succeeded(adoption.request(school, "POST", `/v1/offers/${offer.id}/accept`), 201),
        );
        accepted++;
        results.push({
          ideaId,
          published: published,
          adoptionId: adopted.id,
          offerId: offer.id,
          holdId: hold.id,
          laterIdeaId: later.id,
        });
      }
      let nextIdea = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (nextIdea < IDEAS) await pipeline(nextIdea++);
        }),
      );
      await killed;
      expect(killedAtAck, "the kill came in the middle of the load").toBeGreaterThan(0);
      expect(killedAtAck).toBeLessThan(IDEAS * WRITES_PER_IDEA);
      expect(acknowledged).toBe(IDEAS * WRITES_PER_IDEA);
      expect(results).toHaveLength(IDEAS);

      // --- every acknowledged write is there, on the survivors ---
      const laterIdeas = await ok(ideas.request(staff, "GET", `/v1/ideas?callId=${laterCall.id}&limit=100`));
      expect(new Set(laterIdeas.items.map((x: { id: string }) => x.id))).toEqual(
        new Set(results.map((r) => r.laterIdeaId)),
      );
      expect(
        laterIdeas.items.map((x: { state: string; version: number }) => `${x.state}@${x.version}`),
      ).toEqual(Array<string>(IDEAS).fill("submitted@2"));
      for (const r of results) {
        const holds = await ok(adoption.request(adoptionStaff, "GET", `/v1/holds?ideaId=${r.ideaId}`));
        expect(holds.items.map((h: { id: string }) => h.id)).toEqual([r.holdId]);
        const offers = await ok(adoption.request(adoptionStaff, "GET", `/v1/offers?ideaId=${r.ideaId}`));
        expect(offers.items.map((o: { id: string; status: string }) => `${o.id}:${o.status}`)).toEqual([
          `${r.offerId}:accepted`,
        ]);
        const adoptions = await ok(
          adoption.request(adoptionStaff, "GET", `/v1/adoptions?ideaId=${r.ideaId}`),
        );
        expect(adoptions.items.map((a: { id: string }) => a.id)).toEqual([r.adoptionId]);
      }

      // --- the consumers applied each event exactly once ---
      // The ideas service took each IdeaAdopted once: one more version and one more history entry than at
      // publication, naming the one adoption (a second application would add an entry or a version).
      for (const r of results) {
        const idea = await waitFor(
          `idea ${r.ideaId} adopted in the ideas service`,
          async () => (await inState(r.ideaId, "adopted")())?.body,
          90_000,
        );
        expect(idea.adoption?.adoptionId).toBe(r.adoptionId);
        expect(idea.version).toBe(r.published.version + 1);
        expect(idea.history.map((e: { to: string }) => e.to)).toEqual([
          ...r.published.history.map((e) => e.to),
          "adopted",
        ]);
      }
      // Both groups committed everything (the survivors took over the dead members' partitions).
      await waitFor(
        "the ideas group caught up",
        async () => (await groupLag(ideasGroup, topics.adoption)) === 0,
        90_000,
      );
      await waitFor(
        "the adoption group caught up",
        async () => (await groupLag(adoptionGroup, topics.ideas)) === 0,
        90_000,
      );

      // --- every event of an acknowledged write reached its topic, each event id once or more ---
      const keys = new Set([...results.map((r) => r.ideaId), ...results.map((r) => r.laterIdeaId)]);
      // Distinct event ids per key (a duplicate record must not pass for a missing event), read up to
      // the topic's end as it is now.
      const complete = (
        records: readonly TopicRecord[],
        key: (r: (typeof results)[0]) => string,
        n: number,
      ) =>
        results.every(
          (r) => new Set(records.filter((x) => x.key === key(r)).map((x) => x.headers.ce_id)).size >= n,
        );
      const ideasTopic = await untilComplete(
        topics.ideas,
        (rs) => complete(rs, (r) => r.ideaId, 2) && complete(rs, (r) => r.laterIdeaId, 1),
      );
      const adoptionTopic = await untilComplete(topics.adoption, (rs) => complete(rs, (r) => r.ideaId, 4));
      for (const r of results) {
        expect(counts(eventIdsByType(ideasTopic, r.ideaId)), r.ideaId).toEqual({
          IdeaSubmitted: 1,
          IdeaPublished: 1,
        });
        expect(counts(eventIdsByType(ideasTopic, r.laterIdeaId)), r.laterIdeaId).toEqual({
          IdeaSubmitted: 1,
        });
        expect(counts(eventIdsByType(adoptionTopic, r.ideaId)), r.ideaId).toEqual({
          IdeaHeld: 1,
          AdoptionOffered: 1,
          IdeaAdopted: 1,
          HoldLapsed: 1,
        });
      }
      const duplicates = [...ideasTopic, ...adoptionTopic].filter((x) => keys.has(x.key)).length;

      // --- nothing about these ideas parked (the shared topics hold other files' poison messages too) ---
      for (const group of [ideasGroup, adoptionGroup]) {
        const parked = (await wholeTopic(dlqTopic(group))).filter(
          (r) => keys.has(r.key) || [...keys].some((id) => r.value.includes(Buffer.from(id))),
        );
        expect(
          parked.map((r) => r.headers),
          dlqTopic(group),
        ).toEqual([]);
      }
      console.info(
        `kill after ${killedAtAck}/${IDEAS * WRITES_PER_IDEA} writes; retried on survivors: ideas ${ideas.retriedAfterKill}, adoption ${adoption.retriedAfterKill}; Idempotency-Key in progress answers: ${ideas.inProgressRetries + adoption.inProgressRetries}; topic records of these ideas: ${duplicates} for ${IDEAS * 7} events`,
      );
    },
  );
});
