import type { ConfigError } from "@lto/config";
import { describe, expect, it } from "vitest";
import { loadGatewayConfig } from "../../src/config.js";

const production = {
  NODE_ENV: "production",
  MONGO_URL: "mongodb://db.internal:27017/",
  KAFKA_BROKERS: "kafka.internal:9092",
  JWKS_URL: "https://lto.example.it/oidc/jwks",
  JWT_ISSUER: "https://lto.example.it/oidc",
  JWT_AUDIENCE: "lto",
  GATEWAY_PUBLIC_URL: "https://lto.example.it",
  SMTP_URL: "smtps://u:p@mail.example.it:465",
  MAIL_FROM: "LTO Mantova <noreply@lto.example>",
  IDEAS_HTTP_URL: "http://ideas:8081",
  ADOPTION_HTTP_URL: "http://adoption:8082",
  CATALOGUE_HTTP_URL: "http://catalogue:8083",
  SELF_EMPLOYMENT_HTTP_URL: "http://self-employment:8084",
  INSIGHTS_HTTP_URL: "http://insights:8085",
  NOTIFICATIONS_HTTP_URL: "http://notifications:8086",
};

describe("gateway configuration", () => {
  it("runs on generated keys in development", () => {
    const config = loadGatewayConfig({});
    expect(config.OIDC_SIGNING_JWK).toBeUndefined();
    expect(config.HTTP_PORT).toBe(8080);
    expect(config.MONGO_DB).toBe("lto_gateway");
  });

  it("refuses production without its signing key and cookie keys", () => {
    expect(() => loadGatewayConfig(production)).toThrow(
      /OIDC_SIGNING_JWK[\s\S]*OIDC_COOKIE_KEYS|OIDC_COOKIE_KEYS[\s\S]*OIDC_SIGNING_JWK/,
    );
    expect(() =>
      loadGatewayConfig({ ...production, OIDC_SIGNING_JWK: "{}", OIDC_COOKIE_KEYS: "k1,k2" }),
    ).not.toThrow();
  });

  it("needs the public https address in production", () => {
    expect(() =>
      loadGatewayConfig({
        ...production,
        OIDC_SIGNING_JWK: "{}",
        OIDC_COOKIE_KEYS: "k",
        GATEWAY_PUBLIC_URL: "",
      }),
    ).toThrow(/GATEWAY_PUBLIC_URL/);
  });

  it("never trusts the development token key in production", () => {
    expect(() =>
      loadGatewayConfig({
        ...production,
        OIDC_SIGNING_JWK: "{}",
        OIDC_COOKIE_KEYS: "k",
        DEV_TOKEN_JWKS: "[]",
      }),
    ).toThrow(/DEV_TOKEN_JWKS/);
  });

  it("names its own problems and the common ones in one message", () => {
    const { MONGO_URL: _unset, ...withoutStore } = production;
    expect(() =>
      loadGatewayConfig({
        ...withoutStore,
        OIDC_SIGNING_JWK: "{}",
        OIDC_COOKIE_KEYS: "k",
        DEV_TOKEN_JWKS: "[]",
      }),
    ).toThrow(/DEV_TOKEN_JWKS[\s\S]*MONGO_URL: must be set explicitly in production/);
  });

  it("never seeds the demo accounts with the published password in production", () => {
    const keys = { OIDC_SIGNING_JWK: "{}", OIDC_COOKIE_KEYS: "k" };
    expect(() => loadGatewayConfig({ ...production, ...keys, SEED_DEMO_WHEN_EMPTY: "true" })).toThrow(
      /DEMO_PASSWORD: must be set in production/,
    );
    expect(
      loadGatewayConfig({
        ...production,
        ...keys,
        SEED_DEMO_WHEN_EMPTY: "true",
        DEMO_PASSWORD: "a-long-own-secret",
      }).DEMO_PASSWORD,
    ).toBe("a-long-own-secret");
    expect(() => loadGatewayConfig({ ...production, ...keys })).not.toThrow();
  });

  it("refuses production without the address of every service it forwards to, naming each", () => {
    const keys = { OIDC_SIGNING_JWK: "{}", OIDC_COOKIE_KEYS: "k" };
    const { IDEAS_HTTP_URL: _i, NOTIFICATIONS_HTTP_URL: _n, ...withoutTwo } = production;
    let problems: string[] = [];
    try {
      loadGatewayConfig({ ...withoutTwo, ...keys });
    } catch (err) {
      problems = (err as ConfigError).problems.map((p) => p.variable).sort();
    }
    expect(problems).toEqual(["IDEAS_HTTP_URL", "NOTIFICATIONS_HTTP_URL"]);
  });
});
