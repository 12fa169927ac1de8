import { isAbsolute, join, resolve } from "node:path";
import { parseHeap } from "./kafka.js";

/** Settings of `npm run infra:*`, from the environment. */
export interface RuntimeConfig {
  /** Root of the runtime's data: kafka/, postgres/ and ferretdb/ below it (LTO_DATA_DIR, default <repo>/.data). */
  dataDir: string;
  /** Downloads and builds (LTO_CACHE, default ~/.cache/lto). */
  cacheDir: string;
  kafkaPort: number;
  kafkaControllerPort: number;
  mongoPort: number;
  /** PostgreSQL under FerretDB (POSTGRES_PORT, default 55432: clear of a system server on 5432). */
  postgresPort: number;
  /** JVM max heap of the broker (KAFKA_HEAP, default 1g, at most 1g). */
  kafkaHeap: string;
}

export class RuntimeConfigError extends Error {
  override readonly name = "RuntimeConfigError";
  constructor(readonly problems: string[]) {
    super(`invalid local runtime settings:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number, problems: string[]): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(value) || value < 1 || value > 65535) {
    problems.push(`${name}: must be a port number 1-65535, got "${raw}"`);
    return fallback;
  }
  return value;
}

/**
 * Reads LTO_DATA_DIR, LTO_CACHE, KAFKA_PORT, KAFKA_CONTROLLER_PORT, MONGO_PORT, POSTGRES_PORT and
 * KAFKA_HEAP; a relative LTO_DATA_DIR is taken from `cwd`. Throws one RuntimeConfigError listing every problem.
 */
export function parseRuntimeConfig(
  env: NodeJS.ProcessEnv,
  defaults: { root: string; home: string; cwd?: string },
): RuntimeConfig {
  const problems: string[] = [];
  const kafkaPort = port(env, "KAFKA_PORT", 9092, problems);
  const kafkaControllerPort = port(env, "KAFKA_CONTROLLER_PORT", 9093, problems);
  const mongoPort = port(env, "MONGO_PORT", 27017, problems);
  const postgresPort = port(env, "POSTGRES_PORT", 55432, problems);
  const ports = new Map<number, string>();
  for (const [name, value] of [
    ["KAFKA_PORT", kafkaPort],
    ["KAFKA_CONTROLLER_PORT", kafkaControllerPort],
    ["MONGO_PORT", mongoPort],
    ["POSTGRES_PORT", postgresPort],
  ] as const) {
    const other = ports.get(value);
    if (other) problems.push(`${name}: ${value} is also ${other}; each component needs its own port`);
    else ports.set(value, name);
  }
  const kafkaHeap = env.KAFKA_HEAP?.trim() || "1g";
  try {
    parseHeap(kafkaHeap);
  } catch (err) {
    problems.push(`KAFKA_HEAP: ${(err as Error).message}`);
  }
  if (problems.length) throw new RuntimeConfigError(problems);
  const dataDirRaw = env.LTO_DATA_DIR?.trim();
  const dataDir = dataDirRaw
    ? isAbsolute(dataDirRaw)
      ? dataDirRaw
      : resolve(defaults.cwd ?? process.cwd(), dataDirRaw)
    : join(defaults.root, ".data");
  const cacheRaw = env.LTO_CACHE?.trim();
  const cacheDir = cacheRaw
    ? resolve(defaults.cwd ?? process.cwd(), cacheRaw)
    : join(defaults.home, ".cache", "lto");
  return { dataDir, cacheDir, kafkaPort, kafkaControllerPort, mongoPort, postgresPort, kafkaHeap };
}

/** The client settings for a running runtime, as shell assignments. */
export function clientEnv(kafkaAddress: string, mongoUrl: string): string[] {
  return [`KAFKA_BROKERS=${kafkaAddress}`, `MONGO_URL=${mongoUrl}`];
}
