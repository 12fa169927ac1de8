// The portal's browser tests: the built portal (built once per source hash), served by the real
// gateway (its sign-in, its /api/<service> edge to real services started by the testkit), and Debian's
// Chromium driven by playwright-core (no browser download).
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { gatewayService } from "@lto/gateway-service";
import { EDGE_SERVICES, serviceUrlVariable } from "../../../gateway/src/config.js";
import { freePort } from "@lto/testkit";
import { startTestService, type TestService } from "@lto/testkit/service";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";
import { buildPortalInto, portalDir, portalSourceHash } from "../../scripts/portal-build.js";

const repoDir = resolve(portalDir, "../..");
export const screenshotsDir = join(portalDir, "screenshots");

/**
 * The portal built for production, once per source hash (kept under .tmp/portal-build): a test run
 * after no change to the portal reuses the last build.
 */
export async function buildPortal(): Promise<string> {
  const cache = join(repoDir, ".tmp", "portal-build");
  const hash = portalSourceHash();
  const out = join(cache, hash);
  if (existsSync(join(out, "index.html"))) return out;
  mkdirSync(cache, { recursive: true });
  await buildPortalInto(out, hash);
  // Older builds are not needed again.
  for (const old of readdirSync(cache)) {
    const path = join(cache, old);
    if (path !== out && !old.includes(".") && statSync(path).mtimeMs < Date.now() - 3_600_000) {
      rmSync(path, { recursive: true, force: true });
    }
  }
  return out;
}

export interface PortalServer {
  url: string;
  /** The gateway serving the portal (its store holds the demo accounts, password DEMO_PASSWORD). */
  gateway: TestService;
  close(): Promise<void>;
}

/** The demo accounts' password in the browser tests' gateway. */
export const DEMO_PASSWORD = "demo-password-for-browser-tests";

export interface ServePortalOptions {
  /** The gateway's port, when a service must know the issuer's address before the gateway starts. */
  port?: number;
  /** More of the gateway's environment. */
  env?: Record<string, string>;
}

/**
 * The real gateway (started with the testkit on the shared broker and store) serving `dist` at / with
 * its SPA fallback, its OpenID Connect provider at /oidc (issuer `<url>/oidc`, the demo accounts
 * seeded), and forwarding /api/<service>/<rest> to `services[service]/<rest>`; a service not given
 * points at a closed port (the edge answers 503 for it).
 */
export async function servePortal(
  dist: string,
  services: Record<string, string>,
  opts: ServePortalOptions = {},
): Promise<PortalServer> {
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const nobody = `http://127.0.0.1:${await freePort()}`;
  const links = Object.fromEntries(
    EDGE_SERVICES.map((name) => [serviceUrlVariable(name), services[name] ?? nobody]),
  );
  const gateway = await startTestService(gatewayService, {
    httpPort: port,
    env: {
      GATEWAY_PUBLIC_URL: url,
      PORTAL_DIST: dist,
      SEED_DEMO_WHEN_EMPTY: "true",
      DEMO_PASSWORD,
      // One browser sends every call of a test file: the per-client limit is not what is tested here.
      EDGE_RATE_PER_MINUTE: "100000",
      ...links,
      ...opts.env,
    },
  });
  return { url, gateway, close: () => gateway.close() };
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
