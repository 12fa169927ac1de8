// The portal's browser tests: the built portal (built once per source hash), served with an
// /api/<service> proxy to real services started by the testkit, and Debian's Chromium driven by
// playwright-core (no browser download). The proxy is test-only: the gateway does this in `npm start`.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { dirname, extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";

const portalDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const repoDir = resolve(portalDir, "../..");
export const screenshotsDir = join(portalDir, "screenshots");

// A folder git does not keep (public/ while it is empty) counts as no files.
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** What the build depends on: the portal's sources and config, and the locked dependency versions. */
function sourceHash(): string {
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

/**
 * The portal built for production, once per source hash (kept under .tmp/portal-build): a test run
 * after no change to the portal reuses the last build. Vite runs in a child process so the build is
 * the production one whatever NODE_ENV the test runner set.
 */
export async function buildPortal(): Promise<string> {
  const cache = join(repoDir, ".tmp", "portal-build");
  const out = join(cache, sourceHash());
  if (existsSync(join(out, "index.html"))) return out;
  mkdirSync(cache, { recursive: true });
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
  if (code !== 0) throw new Error(`vite build failed (${code}):\n${Buffer.concat(output).toString()}`);
  // Another test file may have finished the same build first: theirs is as good as ours.
  if (existsSync(out)) rmSync(staging, { recursive: true, force: true });
  else renameSync(staging, out);
  // Older builds are not needed again.
  for (const old of readdirSync(cache)) {
    const path = join(cache, old);
    if (path !== out && !old.includes(".") && statSync(path).mtimeMs < Date.now() - 3_600_000) {
      rmSync(path, { recursive: true, force: true });
    }
  }
  return out;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".json": "application/json",
  ".map": "application/json",
};

function proxy(req: IncomingMessage, res: ServerResponse, target: URL): void {
  const upstream = request(
    target,
    { method: req.method, headers: { ...req.headers, host: target.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", (err) => {
    res.writeHead(502, { "content-type": "application/problem+json" });
    res.end(JSON.stringify({ title: "Bad gateway", status: 502, detail: err.message }));
  });
  req.pipe(upstream);
}

export interface PortalServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `dist` (SPA fallback to index.html) and forwards /api/<service>/<rest> to `services[service]/<rest>`. */
export async function servePortal(dist: string, services: Record<string, string>): Promise<PortalServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://portal");
    const api = /^\/api\/([a-z-]+)(\/.*)?$/.exec(url.pathname);
    if (api) {
      const base = services[api[1]!];
      if (!base) {
        res.writeHead(404, { "content-type": "application/problem+json" });
        res.end(
          JSON.stringify({ title: "Not found", status: 404, detail: `No service ${api[1]} in this test` }),
        );
        return;
      }
      proxy(req, res, new URL(`${api[2] ?? "/"}${url.search}`, base));
      return;
    }
    const file = resolve(dist, `.${decodeURIComponent(url.pathname)}`);
    const inside = file.startsWith(dist + sep);
    const path = inside && existsSync(file) && statSync(file).isFile() ? file : join(dist, "index.html");
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
    res.end(readFileSync(path));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

export const chromiumPath = process.env.LTO_CHROMIUM ?? "/usr/bin/chromium";

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Headless Chromium on the portal's origin: one browser and one page per test file. */
export async function openBrowser(baseURL: string): Promise<BrowserSession> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `No Chromium at ${chromiumPath}: run bash scripts/ensure-chromium.sh (or set LTO_CHROMIUM)`,
    );
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // Root in a container has no user namespace for the sandbox; /dev/shm is often tiny there.
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
  const context = await browser.newContext({
    baseURL,
    locale: "it-IT",
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { browser, context, page, close: () => browser.close() };
}

/** The page's WCAG 2.1 AA violations as "rule: target, target" lines (empty when it passes). */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? "?"}): ${v.help} -> ${v.nodes.map((n) => n.target.join(" ")).join(", ")}` +
      ` (first: ${v.nodes[0]?.failureSummary?.replace(/\s+/g, " ") ?? "?"})`,
  );
}

/** A full-page screenshot in services/portal/screenshots (the README shows them). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: true });
}

/**
 * Signs the page in with a token the test services trust, as the portal keeps it after the gateway's
 * sign-in (sessionStorage "lto.session"); the sign-in flow itself is the gateway's to test.
 */
export async function signInWithToken(page: Page, accessToken: string): Promise<void> {
  const payload = JSON.parse(Buffer.from(accessToken.split(".")[1]!, "base64url").toString("utf8")) as {
    exp?: number;
  };
  const session = {
    accessToken,
    expiresAt: (payload.exp ?? Math.floor(Date.now() / 1000) + 3600) * 1000,
    claims: payload,
  };
  await page.evaluate((value) => sessionStorage.setItem("lto.session", value), JSON.stringify(session));
}

export async function signOutLocally(page: Page): Promise<void> {
  await page.evaluate(() => sessionStorage.removeItem("lto.session"));
}

/**
 * expect.poll with room for a loaded CI machine (its default gives up after one second): what the page
 * shows after a request and a render.
 */
export const eventually = <T>(read: () => T | Promise<T>) =>
  expect.poll(read, { timeout: 15_000, interval: 100 });
