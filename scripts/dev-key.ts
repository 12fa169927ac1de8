// The development signing key shared by `npm start` (which serves its public half as the JWKS the
// services trust) and `npm run token` (which signs tokens with it). It lives in the local runtime's
// data dir, never in git, and is created on first use. Development only: both scripts refuse to run
// with NODE_ENV=production.
import { randomUUID } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { exportSigningKey, generateSigningKey, importSigningKey, type SigningKey } from "@lto/auth";
import { repoRoot } from "@lto/local-runtime";

/**
 * The gateway's public address in development: GATEWAY_PUBLIC_URL, else http://127.0.0.1:<GATEWAY_HTTP_PORT
 * or 8080>. Its issuer (`<it>/oidc`) is the one every service trusts and `npm run token` signs as.
 */
export function devGatewayUrl(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.GATEWAY_PUBLIC_URL?.trim();
  if (given) return given.replace(/\/+$/, "");
  return `http://127.0.0.1:${env.GATEWAY_HTTP_PORT?.trim() || "8080"}`;
}

/** Where the key is kept below the data dir. */
export const DEV_KEY_FILE = join("dev-keys", "signing-key.json");

/** <data dir>/dev-keys/signing-key.json; the data dir is LTO_DATA_DIR (relative to cwd), else <repo>/.data. */
export function devKeyPath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const dataDir = env.LTO_DATA_DIR?.trim();
  const root = dataDir ? (isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir)) : join(repoRoot(), ".data");
  return join(root, DEV_KEY_FILE);
}

/** Reads the key at `path`, or undefined when there is none yet. */
export async function readDevKey(path: string): Promise<SigningKey | undefined> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  return importSigningKey(JSON.parse(text));
}

/**
 * The key at `path`, created (mode 0600) when missing. Safe when `npm start` and `npm run token` race
 * to create it: the file appears atomically and the loser reads the winner's key.
 */
export async function loadOrCreateDevKey(path: string): Promise<SigningKey> {
  const existing = await readDevKey(path);
  if (existing) return existing;
  const key = await generateSigningKey();
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${randomUUID()}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(await exportSigningKey(key), null, 2)}\n`, { mode: 0o600 });
  try {
    linkSync(tmp, path); // fails with EEXIST when another process created it first
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return (await readDevKey(path))!;
  } finally {
    rmSync(tmp, { force: true });
  }
}
