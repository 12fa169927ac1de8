// Test harness for the adoption service's integration tests: the real service on the real broker and
// store, a real gRPC server standing in for the ideas service's CheckAdoptable, and real IdeaPublished
// / IdeaWithdrawn / CallCreated protobuf events produced onto the ideas topic. The service hands out
// nothing internal: the harness reads its database through a store of its own on the same database,
// and asks the broker how far the service's consumer group has read.
import type { TokenClaims } from "@lto/auth";
import {
  CallCreatedEvent,
  IdeaPublishedEvent,
  IdeaWithdrawnEvent,
  ideasV1,
  topics,
  type RegisteredEventCodec,
} from "@lto/contracts";
import { NotFoundError } from "@lto/errors";
import { createGrpcServer, type GrpcServer } from "@lto/grpc-kit";
import { pendingEvent, toKafkaMessage } from "@lto/messaging";
import { createLogger } from "@lto/telemetry";
import {
  createTestKafka,
  getInfra,
  groupLag,
  testAuth,
  testDbName,
  uniqueGroupId,
  uniqueId,
  type TestAuth,
} from "@lto/testkit";
import type { RunningService } from "@lto/service-host";
import type { Kafka, Producer } from "kafkajs";
import type { Collection, Db, Document } from "mongodb";
import { romeDate } from "../../src/domain/validation.js";
import { openAdoptionStore, type AdoptionStore } from "../../src/infra/store.js";
import { start } from "../../src/main.js";

/** The Rome calendar date `days` after the instant `from`: commitment records are dated in Rome days. */
export function dayOf(from: Date | string, days = 0): string {
  return romeDate(new Date(new Date(from).getTime() + days * 86_400_000));
}

export const logger = createLogger("adoption-test", {
  level: (process.env.LTO_TEST_LOG as "warn") ?? "silent",
});

/** A clock tests can move forward (hold expiry). */
export class TestClock {
  offsetMs = 0;
  now = () => new Date(Date.now() + this.offsetMs);
  advanceHours(h: number) {
    this.offsetMs += h * 3_600_000;
  }
}

type IdeaState = { state: "published" | "withdrawn" | "adopted"; panel: string[] };

/** A real gRPC server implementing IdeasService.CheckAdoptable from a small in-memory table. */
export class FakeIdeasServer {
  readonly ideas = new Map<string, IdeaState>();
  server?: GrpcServer;
  port = 0;
  calls = 0;

  async start(port = 0) {
    const server = createGrpcServer({ logger });
    server.addService(ideasV1.IdeasServiceService, {
      getIdea: async (req) => {
        throw new NotFoundError("idea", req.ideaId);
      },
      listPublishedIdeas: async () => ({ ideas: [], nextPageToken: "" }),
      checkAdoptable: async (req) => {
        this.calls++;
        const idea = this.ideas.get(req.ideaId);
        if (!idea) throw new NotFoundError("idea", req.ideaId);
        const reason =
          idea.state === "withdrawn"
            ? "NOT_ADOPTABLE_REASON_WITHDRAWN"
            : idea.state === "adopted"
              ? "NOT_ADOPTABLE_REASON_ALREADY_ADOPTED"
              : idea.panel.includes(req.companyId)
                ? "NOT_ADOPTABLE_REASON_CONFLICT_OF_INTEREST"
                : "NOT_ADOPTABLE_REASON_UNSPECIFIED";
        return ideasV1.CheckAdoptableResponse.fromPartial({
          adoptable: reason === "NOT_ADOPTABLE_REASON_UNSPECIFIED",
          reason,
          reasonDetail: reason === "NOT_ADOPTABLE_REASON_UNSPECIFIED" ? "" : `idea is ${idea.state}`,
          ideaId: req.ideaId,
        });
      },
    });
    this.port = (await server.listen(port, "127.0.0.1")).port;
    this.server = server;
    return this;
  }
  async stop() {
    await this.server?.stop();
    this.server = undefined;
  }
  get address() {
    return `127.0.0.1:${this.port}`;
  }
}

export interface Harness {
  svc: RunningService;
  /** The service's database through a store of the harness's own (its collections registered). */
  store: AdoptionStore;
  /** A Kafka client of the harness's own on the test broker. */
  kafka: Kafka;
  /** The consumer group the service reads the ideas topic with (KAFKA_CONSUMER_GROUP). */
  groupId: string;
  auth: TestAuth;
  ideasServer: FakeIdeasServer;
  clock: TestClock;
  producer: Producer;
  dbName: string;
  env: NodeJS.ProcessEnv;
  /** A call of this harness in its adoption phase (from 30 days ago to 120 days on): ideas default to it. */
  callId: string;
  close(): Promise<void>;
}

type RawDoc = Document & { _id: string };
/** The service's database as stored, for assertions on exactly what was written. */
export function storedDb(h: Harness): Db {
  return h.store.store.connection.db as unknown as Db;
}
/** One collection as stored (raw documents), by the service's collection names. */
export function stored(
  h: Harness,
): Record<"companies" | "holds" | "offers" | "adoptions" | "ideas" | "calls", Collection<RawDoc>> {
  const db = storedDb(h);
  const c = (name: string) => db.collection<RawDoc>(name);
  return {
    companies: c("companies"),
    holds: c("holds"),
    offers: c("offers"),
    adoptions: c("adoptions"),
    ideas: c("ideas"),
    calls: c("calls"),
  };
}

export async function startHarness(
  opts: { auth?: TestAuth; ideasAddress?: string; grpcPort?: number } = {},
): Promise<Harness> {
  const infra = await getInfra();
  const auth = opts.auth ?? (await testAuth());
  const ideasServer = await new FakeIdeasServer().start();
  const clock = new TestClock();
  const dbName = testDbName("adoption");
  const groupId = uniqueGroupId("adoption");
  const env = {
    ...process.env,
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    MONGO_URL: infra.mongoUrl,
    MONGO_DB: dbName,
    KAFKA_BROKERS: infra.kafkaBrokers.join(","),
    KAFKA_CONSUMER_GROUP: groupId,
    IDEAS_GRPC_ADDRESS: opts.ideasAddress ?? ideasServer.address,
    IDEAS_GRPC_DEADLINE_MS: "1500",
    OUTBOX_SWEEP_MS: "200",
    HOLD_SWEEP_MS: "200",
    ...auth.env,
  };
  const svc = await start({ env, httpPort: 0, grpcPort: opts.grpcPort ?? 0, clock, logger });
  const store = await openAdoptionStore({ url: infra.mongoUrl, dbName });
  const kafka = await createTestKafka();
  const producer = kafka.producer();
  await producer.connect();
  const h: Harness = {
    svc,
    store,
    kafka,
    groupId,
    auth,
    ideasServer,
    clock,
    producer,
    dbName,
    env,
    callId: uniqueId("call"),
    async close() {
      await producer.disconnect();
      await h.svc.stop();
      await storedDb(h)
        .dropDatabase()
        .catch(() => undefined);
      await store.store.close();
      await ideasServer.stop();
      if (!opts.auth) await auth.close();
    },
  };
  await createCall(h, h.callId, []);
  // A fresh consumer group reads the ideas topic from the beginning: wait until it has caught up.
  await caughtUp(h);
  return h;
}

/** Waits until the service's consumer group has committed everything on the ideas topic. */
export async function caughtUp(h: Harness, timeoutMs = 170_000) {
  await waitFor(async () => (await groupLag(h.groupId, topics.ideas)) === 0, timeoutMs);
}

/** Waits until the idea is in the service's projection. */
export async function visible(h: Harness, ideaId: string, timeoutMs = 30_000) {
  await waitFor(async () => (await stored(h).ideas.findOne({ _id: ideaId })) !== null, timeoutMs);
  return ideaId;
}

export async function produce<T>(producer: Producer, codec: RegisteredEventCodec<T>, message: T) {
  const ev = pendingEvent(codec, codec.key(message), message);
  await producer.send({ topic: codec.topic, messages: [toKafkaMessage(ev)] });
}

let version = 0;
export interface IdeaSpec {
  id?: string;
  callId?: string;
  schoolId: string;
  title?: string;
  area?: ideasV1.EconomicArea;
  district?: string;
  technologies?: string[];
  needs?: ideasV1.Need[];
  members?: string[];
}

/** Publishes an idea the way the ideas service does (IdeaPublished with the public view). */
export async function publishIdea(h: Harness, spec: IdeaSpec, panel: string[] = []) {
  const id = spec.id ?? uniqueId("idea");
  const v = ++version + 10;
  const idea = ideasV1.Idea.fromPartial({
    id,
    callId: spec.callId ?? h.callId,
    callTitle: "LTO Idee 2025/26",
    schoolYear: "2025/26",
    schoolId: spec.schoolId,
    schoolName: "IIS Test",
    title: spec.title ?? "Serra intelligente",
    summary: "Sensori e irrigazione automatica",
    problem: "Spreco d'acqua",
    solution: "IoT",
    economicArea: spec.area ?? "ECONOMIC_AREA_AGROALIMENTARE",
    technologies: spec.technologies ?? ["iot"],
    district: spec.district ?? "mantova",
    needs: spec.needs ?? ["NEED_MENTORING"],
    teamName: "Team Verde",
    memberPseudonyms: spec.members ?? ["volpe-rossa", "gufo-blu"],
    state: "IDEA_STATE_PUBLISHED",
    publishedAt: new Date().toISOString(),
    version: v,
  });
  h.ideasServer.ideas.set(id, { state: "published", panel });
  await produce(h.producer, IdeaPublishedEvent, IdeaPublishedEvent.create({ ideaId: id, idea, version: v }));
  return id;
}

export async function withdrawIdea(h: Harness, ideaId: string, schoolId: string) {
  h.ideasServer.ideas.set(ideaId, { state: "withdrawn", panel: [] });
  await produce(
    h.producer,
    IdeaWithdrawnEvent,
    IdeaWithdrawnEvent.create({ ideaId, schoolId, reason: "team dissolved", version: ++version + 1000 }),
  );
}

/** The adoption window of a call, in days from now (default: opened 30 days ago, closes in 120). */
export interface Window {
  fromDays: number;
  toDays: number;
}

export async function createCall(
  h: Harness,
  callId: string,
  panel: string[],
  window: Window = { fromDays: -30, toDays: 120 },
) {
  const at = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  await produce(
    h.producer,
    CallCreatedEvent,
    CallCreatedEvent.create({
      callId,
      call: ideasV1.Call.fromPartial({
        id: callId,
        title: "Call " + callId,
        panelOrganisationIds: panel,
        adoption: { startsAt: at(window.fromDays), endsAt: at(window.toDays) },
        version: 1,
      }),
      version: 1,
    }),
  );
}

export async function waitFor<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`waitFor timed out${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Res {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

/** A tiny HTTP client acting as one user. */
export function client(h: Harness, claims?: TokenClaims) {
  let token: string | undefined;
  return async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Res> {
    if (claims && !token) token = await h.auth.token(claims);
    const res = await fetch(h.svc.http.url + path, {
      method,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
}
export type Client = ReturnType<typeof client>;

/** A valid partita IVA built from 7 digits and office 020 (Mantova). */
export function vat(seed: number): string {
  const first10 = String(1_000_000 + (seed % 8_999_999)).padStart(7, "0") + "020";
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const d = Number(first10[i]);
    sum += i % 2 === 0 ? d : d * 2 > 9 ? d * 2 - 9 : d * 2;
  }
  return first10 + ((10 - (sum % 10)) % 10);
}

export function companyProfile(seed: number, name = "Officine Test S.r.l.") {
  return {
    legalName: name,
    vatNumber: vat(seed),
    atecoCode: "28.41.00",
    areas: ["meccanica"],
    district: "mantova",
    contact: { name: "Giulia Ferri", email: "giulia@example.it" },
  };
}

/** Registers a company as its user and has staff verify it; returns the company user's client. */
export async function verifiedCompany(h: Harness, staff: Client, seed: number) {
  const orgId = uniqueId("company");
  const company = client(h, { sub: uniqueId("cu"), role: "company", org: orgId });
  const reg = await company("POST", "/v1/companies", companyProfile(seed + Math.floor(Math.random() * 1e6)));
  if (reg.status !== 201) throw new Error(`register failed ${reg.status} ${JSON.stringify(reg.body)}`);
  const ver = await staff("POST", `/v1/companies/${orgId}/verification`);
  if (ver.status !== 200) throw new Error(`verify failed ${ver.status} ${JSON.stringify(ver.body)}`);
  return { orgId, company };
}

export const offerBody = {
  commitments: {
    mentoringHours: 3,
    internships: [{ places: 1, startsOn: "2026-06-08", endsOn: "2026-07-03" }],
    fundingCents: 20_000,
    equipment: [{ item: "Arduino kit", quantity: 2 }],
  },
  message: "Vi seguiamo con mentoring, un tirocinio estivo e un piccolo contributo.",
};
