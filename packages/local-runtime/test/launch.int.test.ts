import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { launchUntilReady, pidFilePath, stateFilePath } from "../src/launch.js";
import { isAlive, readPidFile } from "../src/process.js";

// The start-up loop every component (Kafka, PostgreSQL, FerretDB, Jaeger) goes through, with a shell
// standing in for the server. Its readiness probe notes the pid launch wrote, so that the test can
// tell the process was stopped after the pid file is gone.
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function shell(script: string, answers: (poll: number) => boolean) {
  const dir = mkdtempSync(join(tmpdir(), "lto-launch-test-"));
  dirs.push(dir);
  const seen = { pid: 0, polls: 0 };
  return {
    dir,
    seen,
    opts: {
      name: "jaeger" as const,
      label: "Probe",
      command: "sh",
      args: ["-c", script],
      dir,
      logFile: join(dir, "probe.log"),
      address: "127.0.0.1:1",
      marker: dir,
      intervalMs: 50,
      ready: async () => {
        seen.pid = readPidFile(pidFilePath(dir, "jaeger")) ?? 0;
        return answers(++seen.polls);
      },
    },
  };
}

describe("launchUntilReady", () => {
  it("a process that exits during start-up: the error names it and carries its log's tail", async () => {
    const s = shell("echo 'bad setting on line 7'; exit 3", () => false);
    await expect(launchUntilReady({ ...s.opts, readyTimeoutMs: 10_000 })).rejects.toThrow(
      /^Probe on 127\.0\.0\.1:1 exited during start-up; tail of .*probe\.log:\n.*bad setting on line 7/s,
    );
    expect(existsSync(pidFilePath(s.dir, "jaeger"))).toBe(false);
    expect(existsSync(stateFilePath(s.dir, "jaeger"))).toBe(false);
  });

  it("a process that never answers is stopped after the timeout, and the error says so", async () => {
    const s = shell("echo 'still warming up'; exec sleep 60", () => false);
    await expect(launchUntilReady({ ...s.opts, readyTimeoutMs: 300 })).rejects.toThrow(
      /did not answer in time; tail of .*:\n.*still warming up/s,
    );
    expect(s.seen.pid).toBeGreaterThan(0);
    expect(isAlive(s.seen.pid)).toBe(false);
    expect(existsSync(pidFilePath(s.dir, "jaeger"))).toBe(false);
  });

  it("a failing set-up step after the answer stops the process and passes its error on", async () => {
    const s = shell("exec sleep 60", () => true);
    await expect(
      launchUntilReady({
        ...s.opts,
        readyTimeoutMs: 10_000,
        afterReady: () => {
          throw new Error("create database failed");
        },
      }),
    ).rejects.toThrow("create database failed");
    expect(s.seen.pid).toBeGreaterThan(0);
    expect(isAlive(s.seen.pid)).toBe(false);
  });

  it("returns the running process once it answers, with the time it took", async () => {
    const s = shell("exec sleep 60", (poll) => poll >= 3);
    const proc = await launchUntilReady({ ...s.opts, readyTimeoutMs: 10_000 });
    try {
      expect(s.seen.polls).toBe(3);
      expect(proc.pid).toBe(s.seen.pid);
      expect(isAlive(proc.pid)).toBe(true);
      expect(proc.readyMs).toBeGreaterThanOrEqual(100);
    } finally {
      await proc.stop(5_000);
    }
    expect(isAlive(proc.pid)).toBe(false);
  });
});
