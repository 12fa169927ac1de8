// What the notifications tests share: the service on the real broker and store, events published as
// the other services publish them (registry codecs, CloudEvents headers), the address book filled from
// the gateway's account events, and the .eml files the mail sender writes.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Role, TokenClaims } from "@lto/auth";
import { AccountActivatedEvent, topics } from "@lto/contracts";
import { consumerGroupAtEnd, uniqueId, waitFor } from "@lto/testkit";
import { eventProducer, startTestService, type EventProducer, type TestService } from "@lto/testkit/service";
import mongoose from "mongoose";
import { notificationsService } from "../../src/main.js";

export interface Harness {
  svc: TestService;
  producer: EventProducer;
  db: mongoose.Connection;
  close(): Promise<void>;
}

const CONSUMED = [topics.adoption, topics.catalogue, topics.selfemployment, topics.gateway];

export async function startNotifications(env: Record<string, string> = {}): Promise<Harness> {
  const svc = await startTestService(notificationsService, {
    env: {
      MAIL_SENDER_EVERY_MS: "100",
      HOLD_SWEEP_MS: "200",
      // The shared broker holds every other test's events: these tests are about the ones they publish.
      KAFKA_CONSUMER_GROUP: await consumerGroupAtEnd("notifications", CONSUMED),
      ...env,
    },
  });
  const producer = await eventProducer();
  const db = await mongoose.createConnection(svc.mongoUrl, { dbName: svc.dbName }).asPromise();
  return {
    svc,
    producer,
    db,
    async close() {
      await producer.stop();
      await db.close();
      await svc.close();
    },
  };
}

export interface Person {
  claims: TokenClaims;
  email: string;
  locale: "it" | "en";
}

/** A person with a unique subject (and organisation unless given). */
export function person(role: Role, org = uniqueId(`org-${role}`), locale: "it" | "en" = "it"): Person {
  const sub = uniqueId(role);
  return { claims: { sub, role, org }, email: `${sub}@example.org`, locale };
}

/** Announces the accounts as the gateway does and waits until the address book holds them. */
export async function activate(h: Harness, people: readonly Person[]): Promise<void> {
  for (const p of people)
    await h.producer.send(
      AccountActivatedEvent,
      p.claims.sub,
      AccountActivatedEvent.create({
        subject: p.claims.sub,
        role: p.claims.role,
        organisationId: p.claims.org,
        email: p.email,
        displayName: `Test ${p.claims.sub}`,
        locale: p.locale,
        occurredAt: new Date().toISOString(),
        actorSubject: "staff-1",
        version: 1,
      }),
    );
  await waitFor(
    "the address book holds the accounts",
    async () =>
      (await h.db
        .collection("accounts")
        .countDocuments({ _id: { $in: people.map((p) => p.claims.sub) } } as never)) === people.length,
  );
}

export interface Eml {
  file: string;
  to: string;
  subject: string;
  text: string;
}

/** The .eml files written so far, parsed enough to check recipient, subject and body. */
export async function emls(h: Harness): Promise<Eml[]> {
  const dir = h.svc.env.MAIL_DIR!;
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(".eml"));
  return Promise.all(
    files.map(async (file) => {
      const raw = await readFile(join(dir, file), "utf8");
      const unfolded = raw.replace(/\r\n[ \t]+/g, " ");
      const header = (name: string) => new RegExp(`^${name}: (.*)$`, "mi").exec(unfolded)?.[1]?.trim() ?? "";
      return { file, to: header("To"), subject: header("Subject"), text: raw };
    }),
  );
}
