// Accounts against the real provider: a disabled account cannot sign in and loses its sessions and
// refresh tokens; sessions are revoked by staff; sign-in attempts are rate limited; the account events
// go out on the gateway's topic.
import { AccountDisabledEvent, topics } from "@lto/contracts";
import { uniqueId } from "@lto/testkit";
import { readTopic, startTestService, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayService } from "../../src/main.js";
import {
  authorizationRequest,
  Browser,
  DEMO_PASSWORD,
  followToCode,
  signIn,
  startGateway,
} from "./support.js";

let gateway: TestService;
const admin = { sub: "ops-admin", role: "admin", org: "lto-ops" } as const;
const staff = {
  sub: "staff-lto-mantova",
  role: "staff",
  org: "provincia-mantova",
  sites: ["lto-mantova"],
} as const;

beforeAll(async () => {
  gateway = await startGateway({ SIGNIN_MAX_FAILURES_PER_ACCOUNT: "3", SIGNIN_MAX_ATTEMPTS_PER_IP: "1000" });
}, 60_000);
afterAll(() => gateway?.close());

const refresh = (browser: Browser, token: string) =>
  browser.postForm("/oidc/token", {
    grant_type: "refresh_token",
    refresh_token: token,
    client_id: "lto-portal",
  });

describe("sessions", () => {
  it("a signed-in browser gets a new code without the form; after revocation it must sign in again", async () => {
    const browser = new Browser(gateway.url);
    const tokens = await signIn(browser, "programma@demo.lto.local", DEMO_PASSWORD);
    const again = authorizationRequest();
    const silent = await browser.fetch(again.url);
    expect(await followToCode(browser, silent, again.state)).toBeTruthy();

    const revoked = await gateway.as(staff).post("/v1/accounts/programme-office/sessions:revoke");
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body.revoked).toBeGreaterThan(0);

    const third = authorizationRequest();
    const res = await browser.fetch(third.url);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/^\/oidc\/interaction\//);
    const refused = await refresh(browser, tokens.refresh_token!);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("a refresh token works until then", async () => {
    const browser = new Browser(gateway.url);
    const tokens = await signIn(browser, "partner@demo.lto.local", DEMO_PASSWORD);
    const res = await refresh(browser, tokens.refresh_token!);
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it("signing out ends the session", async () => {
    const browser = new Browser(gateway.url);
    const tokens = await signIn(browser, "giovane@demo.lto.local", DEMO_PASSWORD);
    const confirm = await browser.fetch(
      `/oidc/session/end?id_token_hint=${tokens.id_token}&client_id=lto-portal`,
    );
    const html = await confirm.text();
    expect(confirm.status, html).toBe(200);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    expect(xsrf, html).toBeDefined();
    const done = await browser.postForm("/oidc/session/end/confirm", { xsrf: xsrf!, logout: "yes" });
    expect([302, 303]).toContain(done.status);
    const next = authorizationRequest();
    const res = await browser.fetch(next.url);
    expect(res.headers.get("location")).toMatch(/^\/oidc\/interaction\//);
  });
});

describe("disabling", () => {
  it("refuses the disabled account's sign-in and its refresh token, and publishes AccountDisabled", async () => {
    const browser = new Browser(gateway.url);
    const tokens = await signIn(browser, "azienda@demo.lto.local", DEMO_PASSWORD);
    const reason = uniqueId("left the company");
    const res = await gateway.as(admin).post("/v1/accounts/ing-gatti:disable", { reason });
    expect(res.status, res.text).toBe(200);
    expect(res.body.status).toBe("disabled");

    expect((await refresh(browser, tokens.refresh_token!)).status).toBe(400);
    const fresh = new Browser(gateway.url);
    const auth = authorizationRequest();
    const start = await fresh.fetch(auth.url);
    const page = await fresh.fetch(start.headers.get("location")!);
    const action = /action="([^"]+)"/.exec(await page.text())![1]!.replaceAll("&#47;", "/");
    const refused = await fresh.postForm(action, {
      email: "azienda@demo.lto.local",
      password: DEMO_PASSWORD,
    });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("disabilitato");

    const disabledEvent = (
      records: readonly { key: string; headers: Record<string, string>; value: Buffer }[],
    ) =>
      records
        .filter((r) => r.key === "ing-gatti" && r.headers.ce_type?.endsWith("AccountDisabled"))
        .map((r) => AccountDisabledEvent.decode(r.value))
        .find((e) => e.reason === reason);
    const records = await readTopic(topics.gateway, (rs) => disabledEvent(rs) !== undefined);
    expect(disabledEvent(records)).toMatchObject({
      subject: "ing-gatti",
      actorSubject: "ops-admin",
      version: 2,
    });
  });

  it("staff cannot disable an administrator", async () => {
    const res = await gateway.as(staff).post("/v1/accounts/ops-admin:disable", { reason: "x" });
    expect(res.status).toBe(403);
  });
});

async function signInAction(browser: Browser): Promise<string> {
  const start = await browser.fetch(authorizationRequest().url);
  const page = await browser.fetch(start.headers.get("location")!);
  return /action="([^"]+)"/.exec(await page.text())![1]!.replaceAll("&#47;", "/");
}

describe("hostile sign-in forms on a live interaction", () => {
  it("answers the form again or a 4xx, never a 5xx, and signs nobody in", async () => {
    const browser = new Browser(gateway.url);
    const action = await signInAction(browser);
    const bodies = [
      "email=%00&password=%00",
      "email=staff%40demo.lto.local&password=%ud800",
      `email=${"a".repeat(20_000)}&password=x`,
      "email[$gt]=&password[$gt]=",
      "email=staff%40demo.lto.local&email=x&password=y",
      "%%%",
      "",
    ];
    for (const body of bodies) {
      const res = await browser.fetch(action, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
      });
      expect(res.status, body.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(res.status, body.slice(0, 40)).toBeLessThan(500);
    }
  });
});

describe("sign-in rate limit", () => {
  it("limits attempts per address, whatever the account", async () => {
    const strict = await startGateway({ SIGNIN_MAX_ATTEMPTS_PER_IP: "3" });
    try {
      const browser = new Browser(strict.url);
      const action = await signInAction(browser);
      const statuses: number[] = [];
      for (const email of ["a@x.it", "b@x.it", "c@x.it", "d@x.it"]) {
        statuses.push((await browser.postForm(action, { email, password: "whatever-it-is" })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await strict.close();
    }
  });

  it("counts attempts on every instance and across a restart (the counts are in the store)", async () => {
    const strict = await startGateway({
      SIGNIN_MAX_ATTEMPTS_PER_IP: "5",
      SIGNIN_MAX_FAILURES_PER_ACCOUNT: "2",
    });
    const beside = await startTestService(gatewayService, { sameAs: strict });
    try {
      const attempt = async (instance: TestService, email: string, password = "whatever-it-is") => {
        const browser = new Browser(instance.url);
        return browser.postForm(await signInAction(browser), { email, password });
      };
      // The account's two failures on two instances use up its limit: the right password is refused.
      expect((await attempt(strict, "admin@demo.lto.local")).status).toBe(401);
      expect((await attempt(beside, "admin@demo.lto.local")).status).toBe(401);
      expect((await attempt(strict, "admin@demo.lto.local", DEMO_PASSWORD)).status).toBe(429);
      // Those were three of the address's five: one more here, one on the restarted instance, then none.
      expect((await attempt(beside, "a@x.it")).status).toBe(401);
      await beside.restart();
      expect((await attempt(beside, "b@x.it")).status).toBe(401);
      const limited = await attempt(beside, "c@x.it");
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await beside.close();
      await strict.close();
    }
  });

  it("lets no more than the limit through when attempts race on two instances", async () => {
    const strict = await startGateway({ SIGNIN_MAX_ATTEMPTS_PER_IP: "5", TRUSTED_PROXY_HOPS: "1" });
    const beside = await startTestService(gatewayService, { sameAs: strict });
    try {
      // One address (behind the trusted proxy), twelve accounts, every form ready before any is sent.
      const forms = await Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          const browser = new Browser((i % 2 ? beside : strict).url, { "x-forwarded-for": "203.0.113.7" });
          return { browser, action: await signInAction(browser), email: `racer-${i}@x.it` };
        }),
      );
      const statuses = await Promise.all(
        forms.map(
          async ({ browser, action, email }) =>
            (await browser.postForm(action, { email, password: "whatever-it-is" })).status,
        ),
      );
      const through = statuses.filter((s) => s === 401).length;
      expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
      expect(through).toBeLessThanOrEqual(5);
      // Whatever the race let through, the address has used its five: the next one waits.
      const browser = new Browser(strict.url, { "x-forwarded-for": "203.0.113.7" });
      const after = await browser.postForm(await signInAction(browser), {
        email: "late@x.it",
        password: "x-x-x-x",
      });
      expect(after.status).toBe(429);
    } finally {
      await beside.close();
      await strict.close();
    }
  });

  it("answers 429 with Retry-After after too many failures for one account, even with the right password", async () => {
    const browser = new Browser(gateway.url);
    const start = await browser.fetch(authorizationRequest().url);
    const page = await browser.fetch(start.headers.get("location")!);
    const action = /action="([^"]+)"/.exec(await page.text())![1]!.replaceAll("&#47;", "/");
    for (let i = 0; i < 3; i++) {
      const wrong = await browser.postForm(action, { email: "admin@demo.lto.local", password: `wrong-${i}` });
      expect(wrong.status).toBe(401);
    }
    const limited = await browser.postForm(action, {
      email: "admin@demo.lto.local",
      password: DEMO_PASSWORD,
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.text()).toContain("Troppi tentativi");
  });
});
