import { spawnSync } from "node:child_process";

export const JAVA_HINT = "install Java 17 and Maven: apt-get install openjdk-17-jre-headless maven";
export const GO_HINT =
  "install Go 1.24 or newer (Debian bookworm's golang package is too old: use the golang-1.24 backport or the official Go tarball) and put it on PATH";

/** A command the local runtime needs is not installed (or too old); the message says what to install. */
export class MissingToolError extends Error {
  override readonly name = "MissingToolError";
}

/**
 * Runs `command ...args` and returns its combined output, or throws a MissingToolError naming what to
 * install when the command does not exist or fails.
 */
export function requireTool(command: string, args: string[], hint: string): string {
  const result = spawnSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new MissingToolError(`\`${command}\` was not found on PATH: ${hint}`);
    throw new MissingToolError(
      `\`${command} ${args.join(" ")}\` could not run (${result.error.message}): ${hint}`,
    );
  }
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (result.status !== 0) {
    throw new MissingToolError(
      `\`${command} ${args.join(" ")}\` failed (exit ${result.status}): ${hint}\n${output.trim()}`,
    );
  }
  return output;
}

/** Major version from `java -version` output ("17.0.15", or "1.8.0_392" -> 8). */
export function parseJavaMajor(output: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (!m) return undefined;
  const first = Number(m[1]);
  return first === 1 && m[2] ? Number(m[2]) : first;
}

/** [major, minor] from `go version` output ("go version go1.26.8 linux/amd64"). */
export function parseGoVersion(output: string): [number, number] | undefined {
  const m = /go(\d+)\.(\d+)/.exec(output.replace(/^go version /, ""));
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export function requireJava(): void {
  const out = requireTool("java", ["-version"], JAVA_HINT);
  const major = parseJavaMajor(out);
  if (major !== undefined && major < 17) {
    throw new MissingToolError(`Java ${major} found, Kafka 3.9 here needs Java 17 or newer: ${JAVA_HINT}`);
  }
}

export function requireMaven(): void {
  requireTool("mvn", ["-v"], JAVA_HINT);
}

export function requireGo(): void {
  const out = requireTool("go", ["version"], GO_HINT);
  const v = parseGoVersion(out);
  if (v && (v[0] < 1 || (v[0] === 1 && v[1] < 24))) {
    throw new MissingToolError(`${out.trim()} found, FerretDB v1.24.2 needs Go 1.24 or newer: ${GO_HINT}`);
  }
}
