// The code + PKCE flow over HTTP, as the portal's browser runs it, and the token it yields accepted by
// a real service through the gateway's /api.
import { startTestService, type TestService } from "@lto/testkit/service";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ideasService } from "../../../ideas/src/main.js";
import {
  authorizationRequest,
  Browser,
  DEMO_PASSWORD,
  exchangeCode,
  followToCode,
  freePort,
  ISSUER,
  openSignIn,
  signIn,
  startGateway,
} from "./support.js";

let gateway: TestService;
let ideas: TestService;

beforeAll(async () => {
  const ideasPort = await freePort();
  gateway = await startGateway({ IDEAS_HTTP_URL: `http://127.0.0.1:${ideasPort}` });
  ideas = await startTestService(ideasService, {
    httpPort: ideasPort,
    env: {
      JWKS_URL: `${gateway.url}/oidc/jwks`,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: "lto",
      LOG_LEVEL: "error",
    },
  });
}, 120_000);

afterAll(async () => {
  await ideas?.close();
  await gateway?.close();
});

describe("sign-in with authorization code + PKCE", () => {
  it("yields an ES256 access token with the services' claims, accepted by ideas through /api", async () => {
    const browser = new Browser(gateway.url);
    const tokens = await signIn(browser, "Scuola@Demo.LTO.local", DEMO_PASSWORD);
    expect(decodeProtectedHeader(tokens.access_token).alg).toBe("ES256");
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({
      iss: ISSUER,
      aud: "lto",
      sub: "referent-school-fermi-mantova",
      role: "school",
      org: "school-fermi-mantova",
      sites: [],
      name: "Prof.ssa Laura Bonfanti",
    });
    expect(tokens.refresh_token).toBeTruthy();

    const viaEdge = await fetch(`${gateway.url}/api/ideas/v1/teams`, {
      headers: { authorization: `Bearer ${tokens.access_token}`, "x-request-id": "edge-test-1" },
    });
    expect(viaEdge.status, await viaEdge.clone().text()).toBe(200);
    expect(viaEdge.headers.get("x-request-id")).toBe("edge-test-1");
    const forged = `${tokens.access_token.slice(0, -4)}AAAA`;
    const refused = await fetch(`${gateway.url}/api/ideas/v1/teams`, {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(refused.status).toBe(401);
  });

  it("refuses a code without its PKCE verifier, and a request without a challenge", async () => {
    const browser = new Browser(gateway.url);
    const auth = authorizationRequest();
    const { action } = await openSignIn(browser, auth);
    const code = await followToCode(
      browser,
      await browser.postForm(action, { email: "staff@demo.lto.local", password: DEMO_PASSWORD }),
      auth.state,
    );
    const wrong = await exchangeCode(browser, code, "x".repeat(43));
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toBe("invalid_grant");

    const noPkce = authorizationRequest();
    const url = new URL(noPkce.url, gateway.url);
    url.searchParams.delete("code_challenge");
    url.searchParams.delete("code_challenge_method");
    const res = await browser.fetch(`${url.pathname}${url.search}`);
    // Refused: back to the client with the error (a redirect) or an error page, never a code.
    const location = res.headers.get("location") ?? "";
    expect(location).not.toMatch(/[?&]code=/);
    expect(`${location}${await res.text()}`).toMatch(/invalid_request|code_challenge/);
  });

  it("answers a wrong password with the form again (401), the error tied to its fields", async () => {
    const browser = new Browser(gateway.url);
    const { action, page } = await openSignIn(browser, authorizationRequest());
    expect(page).toContain('<html lang="it">');
    expect(page).toMatch(/<label for="email"[ >]/);
    const headers = (await browser.fetch(action.replace(/\/login$/, ""))).headers;
    expect(headers.get("x-frame-options")).toBe("DENY");
    expect(headers.get("referrer-policy")).toBe("no-referrer");
    const res = await browser.postForm(action, {
      email: "staff@demo.lto.local",
      password: "not-the-password",
    });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('aria-describedby="signin-error"');
    expect(html).toContain("E-mail o password non corretti");
  });

  it("gives a code without a consent screen when the portal asks for consent again", async () => {
    const browser = new Browser(gateway.url);
    await signIn(browser, "staff@demo.lto.local", DEMO_PASSWORD);
    const auth = authorizationRequest({ prompt: "consent" });
    const code = await followToCode(browser, await browser.fetch(auth.url), auth.state);
    const res = await exchangeCode(browser, code, auth.verifier);
    expect(res.status).toBe(200);
  });

  it("speaks English with ?lang=en or Accept-Language", async () => {
    const browser = new Browser(gateway.url, { "accept-language": "en-GB,en;q=0.9,it;q=0.5" });
    const { page } = await openSignIn(browser, authorizationRequest());
    expect(page).toContain('<html lang="en">');
    expect(page).toContain("Sign in to LTO Mantova");
  });
});
