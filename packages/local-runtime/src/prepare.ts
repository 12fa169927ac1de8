import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import {
  FERRETDB_VERSION,
  JAEGER_MODULE_VERSION,
  KAFKA_VERSION,
  defaultCacheDir,
  ferretDbBinaryPath,
  jaegerBinaryPath,
  kafkaLibsDir,
  repoRoot,
} from "./paths.js";
import { requireGo, requireJava, requireMaven } from "./tools.js";

export type Log = (line: string) => void;

export interface PrepareOptions {
  /** Repository root (for infra/local/...); default: this checkout. */
  root?: string;
  log?: Log;
}

/** Runs a command with inherited stderr (so progress and errors show) and rejects on a non-zero exit. */
function run(
  command: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; captureStdout?: boolean; quiet?: boolean },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: [
        "ignore",
        opts.captureStdout || opts.quiet ? "pipe" : "inherit",
        opts.quiet ? "pipe" : "inherit",
      ],
    });
    let out = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.once("error", reject);
    child.once("close", (code) =>
      code === 0
        ? resolve(out)
        : reject(
            new Error(
              `\`${command} ${args.join(" ")}\` failed with exit code ${code}${out ? `:\n${out.trim()}` : ""}`,
            ),
          ),
    );
  });
}

function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/**
 * Collects the Kafka 3.9.2 broker and tools jars with Maven (infra/local/kafka/pom.xml) into
 * <cacheDir>/kafka-3.9.2/libs. Skipped when that folder is complete for the current pom (a marker file
 * holds the pom's hash), so a second run downloads nothing. Returns the libs folder.
 */
export async function ensureKafkaJars(
  cacheDir: string = defaultCacheDir(),
  opts: PrepareOptions = {},
): Promise<string> {
  const log = opts.log ?? (() => undefined);
  const pom = join(opts.root ?? repoRoot(), "infra/local/kafka/pom.xml");
  const libs = kafkaLibsDir(cacheDir);
  const marker = join(dirname(libs), ".complete");
  const pomHash = sha256(pom);
  const mainJar = join(libs, `kafka_2.13-${KAFKA_VERSION}.jar`);
  if (existsSync(marker) && readFileSync(marker, "utf8").trim() === pomHash && existsSync(mainJar)) {
    log(`Kafka ${KAFKA_VERSION} jars: cached in ${libs}`);
    return libs;
  }
  requireJava();
  requireMaven();
  log(`Kafka ${KAFKA_VERSION} jars: collecting with Maven into ${libs}`);
  const staging = `${libs}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(dirname(libs), { recursive: true });
  try {
    await run(
      "mvn",
      [
        "-B",
        "-q",
        "-Dstyle.color=never",
        "-f",
        pom,
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        `-DoutputDirectory=${staging}`,
      ],
      // quiet: its output (only ANSI resets under -q) is shown when it fails
      { cwd: dirname(pom), quiet: true },
    );
    if (!existsSync(join(staging, `kafka_2.13-${KAFKA_VERSION}.jar`))) {
      throw new Error(`Maven finished but kafka_2.13-${KAFKA_VERSION}.jar is not in ${staging}`);
    }
    rmSync(libs, { recursive: true, force: true });
    renameSync(staging, libs);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  writeFileSync(marker, `${pomHash}\n`);
  log(`Kafka ${KAFKA_VERSION} jars: ${readdirSync(libs).length} jars ready`);
  return libs;
}

/** The module's hash as pinned in the wrapper's go.sum ("h1:..."). */
export function pinnedModuleSum(goSum: string, module: string, version: string): string | undefined {
  for (const line of goSum.split("\n")) {
    const [m, v, sum] = line.trim().split(/\s+/);
    if (m === module && v === version) return sum;
  }
  return undefined;
}

function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(path);
    else if (entry.isFile()) chmodSync(path, statSync(path).mode | 0o200);
  }
}

/**
 * Builds FerretDB v1.24.2 once into <cacheDir>/ferretdb/ferretdb-v1.24.2 and returns its path
 * (skipped when the binary exists). The wrapper module infra/local/ferretdb pins the version: `go mod
 * download` there fetches it from the Go module proxy and checks it against go.sum. A build from the
 * module cache panics at start (its build/version/version.txt is generated, not shipped), so the
 * verified source is copied to a writable dir, version.txt written, and ./cmd/ferretdb built there.
 */
export async function ensureFerretDb(
  cacheDir: string = defaultCacheDir(),
  opts: PrepareOptions = {},
): Promise<string> {
  const log = opts.log ?? (() => undefined);
  const binary = ferretDbBinaryPath(cacheDir);
  if (existsSync(binary)) {
    log(`FerretDB ${FERRETDB_VERSION}: cached at ${binary}`);
    return binary;
  }
  requireGo();
  const wrapper = join(opts.root ?? repoRoot(), "infra/local/ferretdb");
  const module = "github.com/FerretDB/FerretDB";
  const pinned = pinnedModuleSum(readFileSync(join(wrapper, "go.sum"), "utf8"), module, FERRETDB_VERSION);
  if (!pinned) throw new Error(`${wrapper}/go.sum does not pin ${module} ${FERRETDB_VERSION}`);

  const goEnv = { ...process.env, GOFLAGS: "-mod=readonly -buildvcs=false", GOWORK: "off" };
  log(`FerretDB ${FERRETDB_VERSION}: downloading the module (verified against go.sum)`);
  const info = JSON.parse(
    await run("go", ["mod", "download", "-json", module], { cwd: wrapper, env: goEnv, captureStdout: true }),
  ) as {
    Dir?: string;
    Sum?: string;
    Version?: string;
    Error?: string;
  };
  if (info.Error || !info.Dir) throw new Error(`go mod download ${module}: ${info.Error ?? "no module dir"}`);
  if (info.Version !== FERRETDB_VERSION || info.Sum !== pinned) {
    throw new Error(
      `go mod download gave ${module} ${info.Version} ${info.Sum}, go.sum pins ${FERRETDB_VERSION} ${pinned}`,
    );
  }

  const buildDir = join(cacheDir, "ferretdb", `build-${FERRETDB_VERSION}-${process.pid}`);
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(dirname(buildDir), { recursive: true });
  try {
    cpSync(info.Dir, buildDir, { recursive: true });
    makeWritable(buildDir);
    writeFileSync(join(buildDir, "build/version/version.txt"), `${FERRETDB_VERSION}\n`);
    log(
      `FerretDB ${FERRETDB_VERSION}: building ./cmd/ferretdb (the first build compiles SQLite in Go: a few minutes)`,
    );
    const staged = `${binary}.tmp-${process.pid}`;
    await run("go", ["build", "-trimpath", "-o", staged, "./cmd/ferretdb"], {
      cwd: buildDir,
      env: { ...goEnv, CGO_ENABLED: "0" },
    });
    const version = spawnSync(staged, ["--version"], { encoding: "utf8" });
    if (version.status !== 0 || !`${version.stdout}`.includes(FERRETDB_VERSION)) {
      rmSync(staged, { force: true });
      throw new Error(
        `the built FerretDB does not report ${FERRETDB_VERSION}:\n${version.stdout}${version.stderr}`,
      );
    }
    renameSync(staged, binary);
  } finally {
    rmSync(buildDir, { recursive: true, force: true });
  }
  log(`FerretDB ${FERRETDB_VERSION}: built ${binary}`);
  return binary;
}

/**
 * Builds the Jaeger v2 binary once into <cacheDir>/jaeger/jaeger-v1.76.0 and returns its path (skipped
 * when it exists). Only for local traces (`LTO_TRACES=1 npm start`): the first build downloads and
 * compiles a few hundred modules (several minutes on two cores), too heavy for every start or CI run.
 * The wrapper module infra/local/jaeger pins the version and go.sum every hash; the build is
 * `-mod=readonly`, so nothing unpinned is fetched. Pure Go, no cgo. The module zip has no built UI
 * assets, so its web UI is a placeholder page; the query API (/api/traces) is complete.
 */
export async function ensureJaeger(
  cacheDir: string = defaultCacheDir(),
  opts: PrepareOptions = {},
): Promise<string> {
  const log = opts.log ?? (() => undefined);
  const binary = jaegerBinaryPath(cacheDir);
  if (existsSync(binary)) {
    log(`Jaeger ${JAEGER_MODULE_VERSION}: cached at ${binary}`);
    return binary;
  }
  requireGo();
  const wrapper = join(opts.root ?? repoRoot(), "infra/local/jaeger");
  const module = "github.com/jaegertracing/jaeger";
  if (!pinnedModuleSum(readFileSync(join(wrapper, "go.sum"), "utf8"), module, JAEGER_MODULE_VERSION))
    throw new Error(`${wrapper}/go.sum does not pin ${module} ${JAEGER_MODULE_VERSION}`);
  mkdirSync(dirname(binary), { recursive: true });
  const staged = `${binary}.tmp-${process.pid}`;
  log(
    `Jaeger ${JAEGER_MODULE_VERSION}: building ${module}/cmd/jaeger from the Go module proxy (first time: several minutes)`,
  );
  try {
    await run("go", ["build", "-trimpath", "-o", staged, `${module}/cmd/jaeger`], {
      cwd: wrapper,
      env: { ...process.env, GOFLAGS: "-mod=readonly -buildvcs=false", GOWORK: "off", CGO_ENABLED: "0" },
    });
    renameSync(staged, binary);
  } finally {
    rmSync(staged, { force: true });
  }
  log(`Jaeger ${JAEGER_MODULE_VERSION}: built ${binary}`);
  return binary;
}

/** Fetches and builds everything the local runtime needs; downloads nothing when cached. */
export async function prepareLocalRuntime(
  cacheDir: string = defaultCacheDir(),
  opts: PrepareOptions & { kafka?: boolean; ferretdb?: boolean } = {},
): Promise<{ kafkaLibs?: string; ferretDbBinary?: string }> {
  const result: { kafkaLibs?: string; ferretDbBinary?: string } = {};
  if (opts.kafka !== false) result.kafkaLibs = await ensureKafkaJars(cacheDir, opts);
  if (opts.ferretdb !== false) result.ferretDbBinary = await ensureFerretDb(cacheDir, opts);
  return result;
}
