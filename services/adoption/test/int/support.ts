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
import { createLogger } from "@lto/telemetry";
import { createTestKafka, groupLag, uniqueId, waitFor, type TestAuth } from "@lto/testkit";

export { waitFor } from "@lto/testkit";
import {
  eventProducer,
  startTestService,
  TestClock,
  type EventProducer,
  type Reply,
  type TestService,
} from "@lto/testkit/service";
import type { Kafka } from "kafkajs";
import type { Collection, Db, Document } from "mongodb";
import { romeDate } from "../../src/domain/validation.js";
import { openAdoptionStore, type AdoptionStore } from "../../src/infra/store.js";
import { adoptionService } from "../../src/main.js";

export type Res = Reply;

/** The Rome calendar date `days` after the instant `from`: commitment records are dated in Rome days. */
export function dayOf(from: Date | string, days = 0): string {
  return romeDate(new Date(new Date(from).getTime() + days * 86_400_000));
}

export const logger = createLogger("adoption-test", {
  level: (process.env.LTO_TEST_LOG as "warn") ?? "silent",
});

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
  /** The adoption service under test (its env, consumer group, keys and clock). */
  svc: TestService;
  /** The service's database through a store of the harness's own (its collections registered). */
  store: AdoptionStore;
  /** A Kafka client of the harness's own on the test broker. */
  kafka: Kafka;
  /** The consumer group the service reads the ideas topic with (KAFKA_CONSUMER_GROUP). */
  groupId: string;
  auth: TestAuth;
  ideasServer: FakeIdeasServer;
  /** Ticking: the hold sweeper and timestamps keep moving; tests move it by days. */
  clock: TestClock;
  /** Produces what the ideas service would publish. */
  events: EventProducer;
  dbName: string;
  env: Record<string, string>;
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
  const ideasServer = await new FakeIdeasServer().start();
  const svc = await startTestService(adoptionService, {
    env: {
      IDEAS_GRPC_ADDRESS: opts.ideasAddress ?? ideasServer.address,
      IDEAS_GRPC_DEADLINE_MS: "1500",
      HOLD_SWEEP_MS: "200",
    },
    clock: new TestClock({ ticking: true }),
    ...(opts.auth ? { auth: opts.auth } : {}),
    ...(opts.grpcPort ? { grpcPort: opts.grpcPort } : {}),
  });
  const store = await openAdoptionStore({ url: svc.mongoUrl, dbName: svc.dbName });
  const kafka = await createTestKafka();
  const events = await eventProducer();
  const h: Harness = {
    svc,
    store,
    kafka,
    groupId: svc.groupId,
    auth: svc.auth,
    ideasServer,
    clock: svc.clock,
    events,
    dbName: svc.dbName,
    env: svc.env,
    callId: uniqueId("call"),
    async close() {
      await events.stop();
      await svc.close();
      await store.store.close();
      await ideasServer.stop();
    },
  };
  await createCall(h, h.callId, []);
  // A fresh consumer group reads the ideas topic from the beginning: wait until it has caught up.
  await caughtUp(h);
  return h;
}

/** Waits until the service's consumer group has committed everything on the ideas topic. */
export async function caughtUp(h: Harness, timeoutMs = 170_000) {
  await waitFor(
    "the service's consumer to catch up on the ideas topic",
    async () => (await groupLag(h.groupId, topics.ideas)) === 0,
    timeoutMs,
  );
}

/** Waits until the idea is in the service's projection. */
export async function visible(h: Harness, ideaId: string, timeoutMs = 30_000) {
  await waitFor(
    `idea ${ideaId} in the projection`,
    async () => (await stored(h).ideas.findOne({ _id: ideaId })) !== null,
    timeoutMs,
  );
  return ideaId;
}

/** Produces `message` keyed as its contract says. */
export async function produce<T>(h: Pick<Harness, "events">, codec: RegisteredEventCodec<T>, message: T) {
  await h.events.send(codec, codec.key(message), message);
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
  await produce(h, IdeaPublishedEvent, IdeaPublishedEvent.create({ ideaId: id, idea, version: v }));
  return id;
}

export async function withdrawIdea(h: Harness, ideaId: string, schoolId: string) {
  h.ideasServer.ideas.set(ideaId, { state: "withdrawn", panel: [] });
  await produce(
    h,
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
    h,
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

/** A tiny HTTP client acting as one user. */
export function client(h: Pick<Harness, "svc">, claims?: TokenClaims) {
  const as = h.svc.as(claims);
  return (method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Res> =>
    as.request(method, path, { body, ...(headers ? { headers } : {}) });
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

const daysFromToday = (days: number) => romeDate(new Date(Date.now() + days * 86_400_000));

export const offerBody = {
  commitments: {
    mentoringHours: 3,
    // A summer-style internship some months ahead of the (test) day the offer is made.
    internships: [{ places: 1, startsOn: daysFromToday(120), endsOn: daysFromToday(145) }],
    fundingCents: 20_000,
    equipment: [{ item: "Arduino kit", quantity: 2 }],
  },
  message: "Vi seguiamo con mentoring, un tirocinio estivo e un piccolo contributo.",
};
