// runService in a real child process: signals, start-up failure and escaped errors.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const child = fileURLToPath(new URL("./run-service-child.ts", import.meta.url));

function run(
  mode: string,
  onLine?: (line: Record<string, unknown>, kill: (s: NodeJS.Signals) => void) => void,
) {
  const proc = spawn(process.execPath, ["--import", "tsx", child, mode], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  let buffer = "";
  proc.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        const line = JSON.parse(text) as Record<string, unknown>;
        lines.push(line);
        onLine?.(line, (s) => proc.kill(s));
      } catch {
        // not a log line
      }
    }
  });
  return new Promise<{ code: number | null; lines: Record<string, unknown>[] }>((resolve) =>
    proc.on("exit", (code) => resolve({ code, lines })),
  );
}

describe("runService", () => {
  it("drains and exits 0 on SIGTERM", async () => {
    const { code, lines } = await run("ok", (line, kill) => {
      if (line.msg === "started") kill("SIGTERM");
    });
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(["started", "shutting down", "child stop complete", "stopped"]),
    );
    expect(lines.find((l) => l.msg === "started")?.started).toMatchObject({ httpPort: expect.any(Number) });
    expect(code).toBe(0);
  });

  it("exits 1 with the configuration problems when start-up fails", async () => {
    const { code, lines } = await run("bad-config");
    expect(code).toBe(1);
    const fatal = lines.find((l) => l.level === "fatal");
    expect(String(fatal?.msg)).toContain("HTTP_PORT: must be a port number");
  });

  it("logs an unhandled rejection and shuts down with exit code 1", async () => {
    const { code, lines } = await run("crash");
    expect(code).toBe(1);
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(["unhandled promise rejection", "stopped"]),
    );
  });
});
