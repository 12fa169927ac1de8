// The provider's keys and records live in the store: after a restart the same key signs (tokens issued
// before still verify), the browser's session still holds and its refresh token still works.
import type { TestService } from "@lto/testkit/service";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authorizationRequest,
  Browser,
  DEMO_PASSWORD,
  followToCode,
  ISSUER,
  signIn,
  startGateway,
} from "./support.js";

let gateway: TestService;
beforeAll(async () => {
  gateway = await startGateway();
}, 60_000);
afterAll(() => gateway?.close());

describe("a restarted gateway", () => {
  it("signs with the same key and keeps sessions and refresh tokens", async () => {
    const browser = new Browser(gateway.url);
    const tokens = await signIn(browser, "staff@demo.lto.local", DEMO_PASSWORD);
    await gateway.restart();
    const moved = new Browser(gateway.url);
    for (const [k, v] of browser.cookies) moved.cookies.set(k, v);

    const jwks = (await (await fetch(`${gateway.url}/oidc/jwks`)).json()) as JSONWebKeySet;
    const { payload } = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks), {
      issuer: ISSUER,
      audience: "lto",
      algorithms: ["ES256"],
    });
    expect(payload.role).toBe("staff");

    const again = authorizationRequest();
    expect(await followToCode(moved, await moved.fetch(again.url), again.state)).toBeTruthy();
    const refreshed = await moved.postForm("/oidc/token", {
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token!,
      client_id: "lto-portal",
    });
    expect(refreshed.status, await refreshed.clone().text()).toBe(200);
  });
});
