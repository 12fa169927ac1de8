// Starts the real ideas service (real Kafka and store from the testkit) and talks to it over HTTP.
import type { Role } from "@lto/auth";
import mongoose from "mongoose";
import { getInfra, testAuth, testDbName, uniqueGroupId, type TestAuth } from "@lto/testkit";
import { start, type RunningIdeasService } from "../../src/main.js";

export interface Caller {
  role: Role;
  org: string;
  sub: string;
  /** Staff act only at these sites (the token's `sites` claim). */
  sites?: string[];
}

export const callers = {
  school: { role: "school", org: "school-fermi-mantova", sub: "referent-fermi" },
  otherSchool: { role: "school", org: "school-galilei-ostiglia", sub: "referent-galilei" },
  company: { role: "company", org: "company-omv", sub: "ing-gatti" },
  // Calls made by `staff` without naming a site are run by lto-mantova, its only site.
  staff: { role: "staff", org: "provincia-mantova", sub: "staff-lto", sites: ["lto-mantova"] },
  otherSiteStaff: { role: "staff", org: "provincia-mantova", sub: "staff-viadana", sites: ["lto-viadana"] },
  evaluator: { role: "staff", org: "provincia-mantova", sub: "eval-bertoli", sites: ["lto-mantova"] },
  programme: { role: "programme", org: "provincia-mantova", sub: "programme-office" },
  admin: { role: "admin", org: "lto-ops", sub: "ops-admin" },
} satisfies Record<string, Caller>;

/** A clock the test can move; starts at the real now. */
export class TestClock {
  current = new Date();
  now = () => new Date(this.current);
  set(date: Date) {
    this.current = date;
  }
}

export interface IdeasHarness {
  service: RunningIdeasService;
  /** The environment the service was started with (a second instance starts with the same). */
  env: Record<string, string>;
  auth: TestAuth;
  clock: TestClock;
  kafkaBrokers: string[];
  mongoUrl: string;
  dbName: string;
  request(
    method: string,
    path: string,
    opts?: { as?: Caller; body?: unknown; headers?: Record<string, string> },
  ): Promise<Reply>;
  close(): Promise<void>;
}

export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/**
 * Starts the ideas service on a fresh database; with `sameStoreAs`, another instance of the one given
 * (same store, broker, consumer group, keys and clock), whose close() only stops it.
 */
export async function startIdeas(
  extraEnv: Record<string, string> = {},
  opts: { sameStoreAs?: IdeasHarness } = {},
): Promise<IdeasHarness> {
  const infra = await getInfra();
  const first = opts.sameStoreAs;
  const auth = first?.auth ?? (await testAuth());
  const clock = first?.clock ?? new TestClock();
  const dbName = first?.dbName ?? testDbName("ideas");
  const env = {
    ...(first?.env ?? {
      NODE_ENV: "test",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      MONGO_URL: infra.mongoUrl,
      MONGO_DB: dbName,
      KAFKA_BROKERS: infra.kafkaBrokers.join(","),
      KAFKA_CONSUMER_GROUP: uniqueGroupId("ideas"),
      OUTBOX_SWEEP_MS: "200",
      ...auth.env,
    }),
    ...extraEnv,
  };
  const service = await start({ env, httpPort: 0, grpcPort: 0, clock });
  const tokens = new Map<string, string>();
  return {
    service,
    env,
    auth,
    clock,
    kafkaBrokers: infra.kafkaBrokers,
    mongoUrl: infra.mongoUrl,
    dbName,
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.as) {
        const key = JSON.stringify(opts.as);
        if (!tokens.has(key)) tokens.set(key, await auth.token(opts.as));
        headers.authorization = `Bearer ${tokens.get(key)}`;
      }
      if (opts.body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(`${service.http.url}${path}`, {
        method,
        headers,
        ...(opts.body !== undefined
          ? { body: typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body) }
          : {}),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON
      }
      return { status: res.status, headers: res.headers, body };
    },
    async close() {
      await service.stop();
      if (first) return; // the first instance owns the keys and the database
      await auth.close();
      const conn = await mongoose.createConnection(infra.mongoUrl, { dbName }).asPromise();
      await conn.dropDatabase();
      await conn.close();
    },
  };
}

function day(offsetDays: number, from: Date): string {
  return new Date(from.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** A call whose submission phase is open today (in Rome), with the evaluator on its panel. */
export function openCallBody(now = new Date(), overrides: Record<string, unknown> = {}) {
  const y = now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  return {
    title: "LTO Idee test",
    description: "Call di prova",
    model: "open",
    schoolYear: `${y}/${String((y + 1) % 100).padStart(2, "0")}`,
    phaseStarts: {
      submission: day(-5, now),
      evaluation: day(20, now),
      adoption: day(40, now),
      closed: day(80, now),
    },
    panel: [
      { subject: callers.evaluator.sub, organisationId: callers.evaluator.org, kind: "staff" },
      { subject: "eval-fermi", organisationId: callers.school.org, kind: "staff" },
    ],
    ...overrides,
  };
}

export function teamBody(schoolYear: string, overrides: Record<string, unknown> = {}) {
  return {
    name: "I Rinnovabili",
    schoolName: "IIS E. Fermi Mantova",
    className: "4A",
    schoolYear,
    referentTeacher: "Prof.ssa Bonfanti",
    members: [
      { pseudonym: "Volpe Blu", minor: true, parentalConsentOn: day(-30, new Date()) },
      { pseudonym: "Airone", minor: false },
    ],
    ...overrides,
  };
}

export const ideaContent = {
  title: "Serra idroponica connessa",
  summary: "Una serra idroponica con sensori IoT per le aziende agricole del Viadanese.",
  problem: "Le piccole aziende agricole sprecano acqua e fertilizzanti senza dati sul suolo.",
  solution: "Sensori a basso costo e un cruscotto web che suggerisce quando irrigare.",
  area: "agroalimentare",
  district: "viadana",
  technologies: ["iot", "big-data"],
  needs: ["mentoring", "funding"],
  attachments: [{ title: "Presentazione", url: "https://example.org/serra.pdf" }],
};

export const fullScores = { innovation: 5, feasibility: 4, digital_content: 4, territorial_impact: 3 };
