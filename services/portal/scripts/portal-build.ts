// The portal's production build, shared by the browser tests (a build per source hash, cached) and
// `npm start` (services/portal/dist rebuilt when missing or stale): one idea of "stale", the hash of
// what the build depends on.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const portalDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoDir = resolve(portalDir, "../..");
/** Written into a build by `buildPortalInto`: the source hash it was built from. */
export const BUILD_STAMP = ".lto-build-hash";

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** What the build depends on: the portal's sources and config, and the locked dependency versions. */
export function portalSourceHash(): string {
  const hash = createHash("sha256");
  const files = [
    ...filesUnder(join(portalDir, "src")),
    ...filesUnder(join(portalDir, "public")),
    join(portalDir, "index.html"),
    join(portalDir, "vite.config.ts"),
    join(portalDir, "package.json"),
    join(repoDir, "package-lock.json"),
  ].sort();
  for (const file of files) hash.update(relative(repoDir, file)).update("\0").update(readFileSync(file));
  return hash.digest("hex").slice(0, 16);
}

/** The hash `dir` was built from, when it is a build made here. */
export function builtHash(dir: string): string | undefined {
  const stamp = join(dir, BUILD_STAMP);
  return existsSync(join(dir, "index.html")) && existsSync(stamp)
    ? readFileSync(stamp, "utf8").trim()
    : undefined;
}

/**
 * `vite build` into `out` (replaced only once the build succeeded: a failed build leaves the last good
 * one), stamped with `hash`. Vite runs in a child process so the build is the production one whatever
 * NODE_ENV the caller has.
 */
export async function buildPortalInto(out: string, hash = portalSourceHash()): Promise<void> {
  const staging = `${out}.${process.pid}.${Date.now()}`;
  const vite = join(dirname(createRequire(import.meta.url).resolve("vite/package.json")), "bin", "vite.js");
  const output: Buffer[] = [];
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(
      process.execPath,
      [vite, "build", "--outDir", staging, "--emptyOutDir", "--logLevel", "warn"],
      {
        cwd: portalDir,
        env: { ...process.env, NODE_ENV: "production" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    child.stdout.on("data", (d: Buffer) => output.push(d));
    child.stderr.on("data", (d: Buffer) => output.push(d));
    child.on("error", fail);
    child.on("exit", done);
  });
  if (code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`vite build failed (${code}):\n${Buffer.concat(output).toString()}`);
  }
  writeFileSync(join(staging, BUILD_STAMP), `${hash}\n`);
  // Only a build of other sources is removed: one of these sources another process has put there
  // (test files build in parallel) stays, even while we were building, since its tests are serving it.
  if (existsSync(out) && builtHash(out) !== hash) rmSync(out, { recursive: true, force: true });
  try {
    renameSync(staging, out);
  } catch (err) {
    // Another process renamed the same build in first (a directory is renamed whole): theirs is as good.
    rmSync(staging, { recursive: true, force: true });
    if (builtHash(out) !== hash) throw err;
  }
}

/** Builds into `out` unless it already holds the build of the current sources; true when it built. */
export async function ensurePortalBuild(out: string): Promise<boolean> {
  const hash = portalSourceHash();
  if (builtHash(out) === hash) return false;
  await buildPortalInto(out, hash);
  return true;
}
