// The mail outbox on the real store. Two AggregateStores on one database stand for two instances of a
// service; messages are written as .eml files into a directory of the test's own. The transports are
// the real .eml writer, wrapped to count writes (and, where a test says so, to fail).
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AggregateStore } from "@lto/store";
import { getInfra, testDbName } from "@lto/testkit";
import { TestClock } from "@lto/testkit/service";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  DEFAULT_MAIL_FROM,
  emlDirectoryTransport,
  mailMetrics,
  mailOutbox,
  SECRET_REMOVED,
  type MailMessage,
  type MailOutbox,
  type MailOutboxOptions,
  type MailTransport,
} from "../src/index.js";

const opened: AggregateStore[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const store of opened.splice(0)) {
    await store.connection.dropDatabase().catch(() => undefined);
    await store.close();
  }
});

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** The .eml writer into `dir`, counting the messages it wrote, by id. */
function countingEml(dir: string, writes: Map<string, number>, failFirst = 0): MailTransport {
  const eml = emlDirectoryTransport(dir);
  let failures = 0;
  return {
    kind: "eml",
    async send(mail) {
      if (failures < failFirst) {
        failures++;
        throw new Error(`connection refused (attempt ${failures})`);
      }
      await eml.send(mail);
      writes.set(mail.id, (writes.get(mail.id) ?? 0) + 1);
    },
    close: () => eml.close(),
  };
}

interface Setup {
  dir: string;
  clock: TestClock;
  writes: Map<string, number>;
  /** One outbox per instance, each on its own store connection. */
  outboxes: MailOutbox[];
}

/** `instances` processes of one service on a fresh database, writing .eml files into one directory. */
async function setup(
  instances = 1,
  opts: MailOutboxOptions & { failFirst?: number } = {},
  clock = new TestClock(),
): Promise<Setup> {
  const { mongoUrl } = await getInfra();
  const dbName = testDbName("mail");
  const dir = await mkdtemp(join(tmpdir(), "lto-mail-"));
  dirs.push(dir);
  const writes = new Map<string, number>();
  const outboxes: MailOutbox[] = [];
  for (let i = 0; i < instances; i++) {
    const store = await AggregateStore.open({ url: mongoUrl, dbName });
    opened.push(store);
    const config = { SERVICE_NAME: "demo", MAIL_FROM: DEFAULT_MAIL_FROM, MAIL_DIR: dir };
    const { failFirst, ...rest } = opts;
    outboxes.push(
      mailOutbox(store, config, clock, {
        transport: countingEml(dir, writes, failFirst ?? 0),
        ...rest,
      }),
    );
    await store.ensureIndexes();
  }
  return { dir, clock, writes, outboxes };
}

const message = (id: string, over: Partial<MailMessage> = {}): MailMessage => ({
  id,
  to: ["giulia@example.org"],
  subject: `Promemoria ${id}`,
  text: "Ci vediamo domani alle 10:00.",
  ...over,
});

/** The directory's entries: .eml files, and anything else (a temporary file left behind would show). */
async function files(dir: string): Promise<{ eml: string[]; other: string[] }> {
  const all = (await readdir(dir).catch(() => [] as string[])).sort();
  return { eml: all.filter((f) => f.endsWith(".eml")), other: all.filter((f) => !f.endsWith(".eml")) };
}

async function outcomeCount(outcome: string): Promise<number> {
  const metric = await mailMetrics.messages.get();
  return metric.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

describe("mail outbox", () => {
  it("stores the same message id once, whichever instance enqueues it again; the first one stands", async () => {
    const { outboxes, dir, writes } = await setup(2);
    const [a, b] = outboxes as [MailOutbox, MailOutbox];
    const duplicatesBefore = await outcomeCount("duplicate");
    expect(await a.enqueue(message("reminder-b1"))).toBe(true);
    expect(await a.enqueue(message("reminder-b1", { subject: "Retried request" }))).toBe(false);
    expect(await b.enqueue(message("reminder-b1", { subject: "Other instance" }))).toBe(false);
    expect(await outcomeCount("duplicate")).toBe(duplicatesBefore + 2);

    expect(await a.sendDue()).toBe(1);
    expect(await b.sendDue()).toBe(0);
    expect(await files(dir)).toEqual({ eml: ["reminder-b1.eml"], other: [] });
    expect(writes.get("reminder-b1")).toBe(1);
    const eml = await readFile(join(dir, "reminder-b1.eml"), "utf8");
    expect(eml).toMatch(/^Subject: Promemoria reminder-b1\r$/m);
    expect(eml).toMatch(/^Message-ID: <reminder-b1\.demo@lto\.local>\r$/m);
    expect(eml).toMatch(/^From: LTO Mantova <noreply@lto\.local>\r$/m);
    expect(await a.get("reminder-b1")).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("two instances racing over 50 due messages write each one exactly once", async () => {
    const { outboxes, dir, writes } = await setup(2);
    const [a, b] = outboxes as [MailOutbox, MailOutbox];
    const ids = Array.from({ length: 50 }, (_, i) => `race-${String(i).padStart(2, "0")}`);
    for (const id of ids) await a.enqueue(message(id));

    const handled = await Promise.all([a.sendDue(), b.sendDue(), a.sendDue(), b.sendDue()]);
    expect(handled.reduce((x, y) => x + y, 0)).toBe(50);
    expect([...writes.entries()].sort()).toEqual(ids.map((id) => [id, 1]));
    expect(await files(dir)).toEqual({ eml: ids.map((id) => `${id}.eml`), other: [] });
    for (const id of ids) expect(await b.get(id)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("a sender that dies after writing and before marking sent: after restart one file, marked sent", async () => {
    const clock = new TestClock();
    const dying = await setup(
      1,
      {
        claimMs: 60_000,
        hooks: {
          afterSend: (mail) => {
            if (mail.id === "reminder-crash") throw new Error("killed between write and mark");
          },
        },
      },
      clock,
    );
    const { dir, writes } = dying;
    const crashed = dying.outboxes[0]!;
    expect(await crashed.enqueue(message("reminder-crash"))).toBe(true);
    await expect(crashed.sendDue()).rejects.toThrow(/killed between write and mark/);
    expect(await files(dir)).toEqual({ eml: ["reminder-crash.eml"], other: [] });
    expect(await crashed.get("reminder-crash")).toMatchObject({ status: "sending", attempts: 1 });
    const first = await readFile(join(dir, "reminder-crash.eml"), "utf8");

    // The restarted instance: a new connection to the same database, the same directory.
    const { mongoUrl } = await getInfra();
    const store = await AggregateStore.open({ url: mongoUrl, dbName: opened[0]!.connection.name });
    opened.push(store);
    const restarted = mailOutbox(
      store,
      { SERVICE_NAME: "demo", MAIL_FROM: DEFAULT_MAIL_FROM, MAIL_DIR: dir },
      clock,
      { claimMs: 60_000, transport: countingEml(dir, writes) },
    );
    await store.ensureIndexes();

    // The claim still holds: nobody takes the message over while its sender might be alive.
    expect(await restarted.sendDue()).toBe(0);
    clock.advance(60_001);
    expect(await restarted.sendDue()).toBe(1);
    expect(await restarted.get("reminder-crash")).toMatchObject({ status: "sent", attempts: 2 });
    expect(await files(dir)).toEqual({ eml: ["reminder-crash.eml"], other: [] });
    // Written twice (before the crash and after the restart), into one file: one message.
    expect(writes.get("reminder-crash")).toBe(2);
    const again = await readFile(join(dir, "reminder-crash.eml"), "utf8");
    const header = (eml: string, name: string) => new RegExp(`^${name}: (.*)\\r$`, "m").exec(eml)?.[1];
    expect(header(again, "Message-ID")).toBe("<reminder-crash.demo@lto.local>");
    expect(header(again, "Message-ID")).toBe(header(first, "Message-ID"));
    expect(header(again, "Date")).toBe(header(first, "Date"));
    expect(await restarted.sendDue()).toBe(0);
  });

  it("retries a failing transport with backoff, then sends: attempts = 3, the last error kept", async () => {
    const { outboxes, clock, dir } = await setup(1, {
      failFirst: 2,
      backoff: { initialBackoffMs: 1000, maxBackoffMs: 60_000, jitter: 0.5 },
    });
    const outbox = outboxes[0]!;
    const [retriedBefore, sentBefore] = [await outcomeCount("retried"), await outcomeCount("sent")];
    await outbox.enqueue(message("flaky"));

    expect(await outbox.sendDue()).toBe(1);
    const afterOne = await outbox.get("flaky");
    expect(afterOne).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: "connection refused (attempt 1)",
    });
    // First retry: 1 s less up to half of it at random.
    const wait1 = afterOne!.dueAt.getTime() - clock.now().getTime();
    expect(wait1).toBeGreaterThanOrEqual(500);
    expect(wait1).toBeLessThanOrEqual(1000);
    expect(await outbox.sendDue()).toBe(0); // not due yet
    clock.advance(1000);

    expect(await outbox.sendDue()).toBe(1);
    const afterTwo = await outbox.get("flaky");
    expect(afterTwo).toMatchObject({
      status: "pending",
      attempts: 2,
      lastError: "connection refused (attempt 2)",
    });
    const wait2 = afterTwo!.dueAt.getTime() - clock.now().getTime();
    expect(wait2).toBeGreaterThanOrEqual(1000); // doubled
    expect(wait2).toBeLessThanOrEqual(2000);
    expect(await files(dir)).toEqual({ eml: [], other: [] });
    clock.advance(2000);

    expect(await outbox.sendDue()).toBe(1);
    expect(await outbox.get("flaky")).toMatchObject({ status: "sent", attempts: 3 });
    expect(await files(dir)).toEqual({ eml: ["flaky.eml"], other: [] });
    expect(await outcomeCount("retried")).toBe(retriedBefore + 2);
    expect(await outcomeCount("sent")).toBe(sentBefore + 1);
  });

  it("gives up after the last attempt and keeps the message as failed with its error", async () => {
    const { outboxes, clock, dir } = await setup(1, {
      failFirst: 99,
      maxAttempts: 3,
      backoff: { initialBackoffMs: 1000, maxBackoffMs: 1000, jitter: 0 },
    });
    const outbox = outboxes[0]!;
    const failedBefore = await outcomeCount("failed");
    await outbox.enqueue(message("doomed"));
    for (let i = 0; i < 3; i++) {
      expect(await outbox.sendDue()).toBe(1);
      clock.advance(1000);
    }
    expect(await outbox.get("doomed")).toMatchObject({
      status: "failed",
      attempts: 3,
      lastError: "connection refused (attempt 3)",
      closedAt: expect.any(Date),
    });
    clock.advance(3_600_000);
    expect(await outbox.sendDue()).toBe(0);
    expect(await outcomeCount("failed")).toBe(failedBefore + 1);
    expect(await files(dir)).toEqual({ eml: [], other: [] });
  });

  it("gives up at once on a permanent SMTP refusal (5xx)", async () => {
    const { outboxes } = await setup(1);
    const { mongoUrl } = await getInfra();
    const store = await AggregateStore.open({ url: mongoUrl, dbName: opened[0]!.connection.name });
    opened.push(store);
    const refused = Object.assign(new Error("550 5.1.1 mailbox unavailable"), { responseCode: 550 });
    const outbox = mailOutbox(
      store,
      { SERVICE_NAME: "demo", MAIL_FROM: DEFAULT_MAIL_FROM },
      new TestClock(),
      { transport: { kind: "smtp", send: () => Promise.reject(refused), close: async () => {} } },
    );
    await outboxes[0]!.enqueue(message("no-such-box"));
    expect(await outbox.sendDue()).toBe(1);
    expect(await outbox.get("no-such-box")).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "550 5.1.1 mailbox unavailable",
    });
  });

  it("does not send before notBefore (the injected clock decides)", async () => {
    const { outboxes, clock, dir } = await setup(1);
    const outbox = outboxes[0]!;
    const booking = new Date(clock.now().getTime() + 48 * 3_600_000);
    const notBefore = new Date(booking.getTime() - 24 * 3_600_000);
    await outbox.enqueue(message("reminder-24h", { notBefore }));
    expect(await outbox.sendDue()).toBe(0);
    clock.set(new Date(notBefore.getTime() - 1000));
    expect(await outbox.sendDue()).toBe(0);
    expect(await files(dir)).toEqual({ eml: [], other: [] });
    clock.set(notBefore);
    expect(await outbox.sendDue()).toBe(1);
    expect(await outbox.get("reminder-24h")).toMatchObject({ status: "sent", notBefore });
    expect(await files(dir)).toEqual({ eml: ["reminder-24h.eml"], other: [] });
  });

  it("never sends a message cancelled before its time; a late cancel says it went out", async () => {
    const { outboxes, clock, dir } = await setup(2);
    const [a, b] = outboxes as [MailOutbox, MailOutbox];
    const notBefore = new Date(clock.now().getTime() + 3_600_000);
    await a.enqueue(message("reminder-cancelled", { notBefore }));
    await a.enqueue(message("reminder-kept", { notBefore }));
    expect(await b.cancel("reminder-cancelled")).toBe("cancelled");
    expect(await b.cancel("reminder-cancelled")).toBe("cancelled"); // again: same answer
    expect(await b.cancel("unknown-id")).toBeUndefined();
    clock.advance(3_600_000);
    expect(await a.sendDue()).toBe(1);
    expect(await files(dir)).toEqual({ eml: ["reminder-kept.eml"], other: [] });
    expect(await a.get("reminder-cancelled")).toMatchObject({ status: "cancelled", attempts: 0 });
    expect(await a.cancel("reminder-kept")).toBe("sent");
    // A cancelled id stays taken: enqueueing it again does not bring it back.
    expect(await a.enqueue(message("reminder-cancelled"))).toBe(false);
    expect(await a.sendDue()).toBe(0);
  });

  it("keeps only the envelope of a secret message once it is sent or cancelled; the file has the link", async () => {
    const { outboxes, clock, dir } = await setup(1);
    const [a] = outboxes as [MailOutbox];
    const link = "https://lto.example/invito#token=s3cr3t-one-time";
    const secret = {
      text: `Attiva il tuo account: ${link}`,
      html: `<a href="${link}">attiva</a>`,
      secret: true,
    };
    await a.enqueue(message("invite-sent", secret));
    await a.enqueue(
      message("invite-withdrawn", { ...secret, notBefore: new Date(clock.now().getTime() + 60_000) }),
    );
    await a.enqueue(message("plain", { text: `Non segreto: ${link}` }));
    expect(await a.cancel("invite-withdrawn")).toBe("cancelled");
    expect(await a.sendDue()).toBe(2);
    expect(await readFile(join(dir, "invite-sent.eml"), "utf8")).toContain("s3cr3t-one-time");
    for (const id of ["invite-sent", "invite-withdrawn"]) {
      const stored = await a.get(id);
      expect(stored?.text).toBe(SECRET_REMOVED);
      expect(stored?.html).toBeUndefined();
      expect(JSON.stringify(stored)).not.toContain("s3cr3t");
    }
    // a message not marked secret keeps its body (what was sent stays readable)
    expect((await a.get("plain"))?.text).toContain("s3cr3t-one-time");
  });

  it("fits the service host's periodic jobs", async () => {
    const { outboxes } = await setup(1, { everyMs: 2000 });
    const job = outboxes[0]!.senderJob;
    expect(job).toMatchObject({ name: "mail-sender", everyMs: 2000 });
    await outboxes[0]!.enqueue(message("via-job"));
    expect(await job.run()).toBe(1);
    expect(await outboxes[0]!.get("via-job")).toMatchObject({ status: "sent" });
  });
});
