// The gateway under test on the real broker and store, and a client that signs in as a browser does:
// cookies kept, redirects followed by hand, the code exchanged with its PKCE verifier.
import { createHash, randomBytes } from "node:crypto";
import { freePort } from "@lto/testkit";
import { startTestService, type TestService } from "@lto/testkit/service";
import { expect } from "vitest";
import { gatewayService } from "../../src/main.js";

/** The public address the gateway believes it has (its issuer's origin); requests go to its real port. */
export const PUBLIC_URL = "http://gateway.test";
export const ISSUER = `${PUBLIC_URL}/oidc`;
export const REDIRECT_URI = `${PUBLIC_URL}/auth/callback`;
export const DEMO_PASSWORD = "demo-password-for-tests";

export async function startGateway(env: Record<string, string> = {}): Promise<TestService> {
  return startTestService(gatewayService, {
    env: {
      GATEWAY_PUBLIC_URL: PUBLIC_URL,
      SEED_DEMO_WHEN_EMPTY: "true",
      DEMO_PASSWORD,
      ...env,
    },
  });
}

/** A port for a service the gateway must know the address of before it starts. */
export { freePort };

export interface Tokens {
  access_token: string;
  refresh_token?: string;
  id_token: string;
  token_type: string;
  expires_in: number;
}

/** A browser: a cookie jar (paths ignored: one site), manual redirects. */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(
    readonly gatewayUrl: string,
    readonly headers: Record<string, string> = {},
  ) {}

  /** A URL on the gateway's public origin (or relative) as one on its real address. */
  local(url: string): string {
    const absolute = new URL(url, this.gatewayUrl);
    if (absolute.origin === PUBLIC_URL) return `${this.gatewayUrl}${absolute.pathname}${absolute.search}`;
    return absolute.href;
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(this.local(url), {
      ...init,
      redirect: "manual",
      headers: {
        ...this.headers,
        ...(cookie ? { cookie } : {}),
        ...(init.headers as Record<string, string>),
      },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  postForm(url: string, form: Record<string, string>): Promise<Response> {
    return this.fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
  }
}

export interface Authorization {
  verifier: string;
  state: string;
  url: string;
}

export function authorizationRequest(extra: Record<string, string> = {}): Authorization {
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(8).toString("hex");
  const params = new URLSearchParams({
    client_id: "lto-portal",
    response_type: "code",
    redirect_uri: REDIRECT_URI,
    scope: "openid profile email lto offline_access api",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    state,
    ...extra,
  });
  return { verifier, state, url: `/oidc/auth?${params}` };
}

/** GET /oidc/auth and follow to the sign-in page: its form's action. */
export async function openSignIn(
  browser: Browser,
  auth: Authorization,
): Promise<{ action: string; page: string }> {
  const start = await browser.fetch(auth.url);
  expect(start.status, await start.clone().text()).toBe(303);
  const page = await browser.fetch(start.headers.get("location")!);
  const html = await page.text();
  expect(page.status, html).toBe(200);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  expect(action, html).toBeDefined();
  return { action: action!.replaceAll("&#47;", "/"), page: html };
}

/** Follows redirects from `res` until one leaves for the portal's callback; its code. */
export async function followToCode(browser: Browser, res: Response, state: string): Promise<string> {
  let current = res;
  for (let hop = 0; hop < 5; hop++) {
    expect([302, 303], await current.clone().text()).toContain(current.status);
    const location = current.headers.get("location")!;
    if (location.startsWith(REDIRECT_URI)) {
      const url = new URL(location);
      expect(url.searchParams.get("state")).toBe(state);
      const code = url.searchParams.get("code");
      expect(code, location).toBeTruthy();
      return code!;
    }
    current = await browser.fetch(location);
  }
  throw new Error("no redirect to the callback after 5 hops");
}

export async function exchangeCode(browser: Browser, code: string, verifier: string): Promise<Response> {
  return browser.postForm("/oidc/token", {
    grant_type: "authorization_code",
    code,
    redirect_uri: REDIRECT_URI,
    client_id: "lto-portal",
    code_verifier: verifier,
  });
}

/** The whole code + PKCE flow for `email`: the tokens. */
export async function signIn(browser: Browser, email: string, password: string): Promise<Tokens> {
  const auth = authorizationRequest();
  const { action } = await openSignIn(browser, auth);
  const posted = await browser.postForm(action, { email, password });
  const code = await followToCode(browser, posted, auth.state);
  const res = await exchangeCode(browser, code, auth.verifier);
  const body = (await res.json()) as Tokens;
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}
