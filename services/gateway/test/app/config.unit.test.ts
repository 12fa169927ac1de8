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
});
