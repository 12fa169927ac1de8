// The driver guard (src/driver-guard.ts) on a real FerretDB: the gap it closes, forced on purpose, and
// whole store restarts under writes, which without the guard leave a connection's monitor hung for good.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  defaultCacheDir,
  ferretDbBinaryPath,
  postgresUrlFor,
  startFerretDb,
  startLocalInfra,
} from "@lto/local-runtime";
import type { LocalInfra, ManagedProcess } from "@lto/local-runtime";
import { getInfra, testDbName } from "@lto/testkit";
import type { Connection } from "mongoose";
import { afterAll, describe, expect, it } from "vitest";
import { connectMongo } from "../src/index.js";

/** The driver copy mongoose loads, for the internals this test reaches on purpose. */
const driver = createRequire(createRequire(import.meta.url).resolve("mongoose"));

interface RawConnection {
  socket: { destroy(): void };
  closed: boolean;
  command(ns: unknown, cmd: object, options: object): Promise<unknown>;
  destroy(): void;
}

function serverOf(conn: Connection) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const topology = (conn.getClient() as any).topology;
  return [...topology.s.servers.values()][0];
}

function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle in ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

const opened: Connection[] = [];
afterAll(async () => {
  await Promise.all(opened.map((c) => c.close(true)));
});

describe("a write on a socket the server just closed", () => {
  it("fails as a closed connection instead of waiting forever for the socket to drain", async () => {
    const { mongoUrl } = await getInfra();
    const conn = await connectMongo(mongoUrl, testDbName("driver_guard"));
    opened.push(conn);
    const { connect } = driver("mongodb/lib/cmap/connect.js");
    const { ns } = driver("mongodb/lib/utils.js");
    // A connection of its own, made like the monitor's heartbeat connection.
    const raw = (await connect(serverOf(conn).monitor.connectOptions)) as RawConnection;
    // What the server's FIN does: the socket is destroyed now, its 'close' event comes a tick later.
    raw.socket.destroy();
    expect(raw.closed).toBe(false);

    const attempt = within(5_000, "the ping", raw.command(ns("admin.$cmd"), { ping: 1 }, {}));
    await expect(attempt).rejects.toThrow(/closed/);
    expect(raw.closed).toBe(true);
  });
});

describe("store restarts under writes", () => {
  let dir: string | undefined;
  let infra: LocalInfra | undefined;
  let ferret: ManagedProcess | undefined;

  afterAll(async () => {
    await ferret?.stop();
    await infra?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("every connection writes again soon after each restart", { timeout: 240_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), "lto-driver-guard-"));
    infra = await startLocalInfra({ dataDir: dir, durable: false, kafka: false, ferretdb: {} });
    ferret = infra.processes.find((p) => p.name === "ferretdb")!;
    const postgres = infra.processes.find((p) => p.name === "postgres")!;
    const port = (p: ManagedProcess) => Number(p.address.split(":").pop());
    const [mongoPort, postgresPort] = [port(ferret), port(postgres)];

    // Several connections, several writers each: many operations fail at the moment the store goes,
    // and each failure asks its monitor for an immediate check, right in the gap the guard closes.
    const conns = await Promise.all(
      Array.from({ length: 6 }, (_, i) => connectMongo(infra!.mongoUrl, `guard${i}`)),
    );
    opened.push(...conns);
    const lastWrite = conns.map(() => 0);
    let writing = true;
    const writer = async (i: number) => {
      const things = conns[i]!.db!.collection("things");
      while (writing) {
        try {
          const { insertedId } = await things.insertOne({ at: new Date() });
          await things.findOne({ _id: insertedId });
          lastWrite[i] = Date.now();
          await new Promise((r) => setTimeout(r, 20));
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    const writers = conns.flatMap((_, i) => [writer(i), writer(i), writer(i)]);

    try {
      for (let restart = 1; restart <= 5; restart++) {
        const beforeStop = Date.now();
        await expect.poll(() => Math.min(...lastWrite) > beforeStop, { timeout: 10_000 }).toBe(true);
        // A few seconds of writes: the monitors' heartbeats drift apart from the restart before.
        await new Promise((r) => setTimeout(r, 3_000));
        await ferret!.stop();
        ferret = undefined;
        ferret = await startFerretDb({
          port: mongoPort,
          dataDir: join(dir, "ferretdb"),
          backend: { postgresqlUrl: postgresUrlFor(postgresPort) },
          binary: ferretDbBinaryPath(defaultCacheDir()),
        });
        const back = Date.now();
        // Heartbeats run every 10 s at most; a hung monitor never writes again.
        await expect
          .poll(() => lastWrite.map((t, i) => (t > back ? -1 : i)).filter((i) => i >= 0), {
            timeout: 30_000,
            message: `restart ${restart}: connections that never wrote again`,
          })
          .toEqual([]);
      }
    } finally {
      writing = false;
      await Promise.all(writers);
    }
  });
});
