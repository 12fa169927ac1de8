import { ConfigError } from "@lto/config";
import { describe, expect, it } from "vitest";
import { loadCatalogueConfig } from "../src/config.js";

const production = {
  NODE_ENV: "production",
  MONGO_URL: "mongodb://db.lto.example:27017/",
  KAFKA_BROKERS: "kafka.lto.example:9092",
  JWKS_URL: "https://auth.lto.example/.well-known/jwks.json",
  JWT_ISSUER: "https://auth.lto.example",
  JWT_AUDIENCE: "lto",
  PUBLIC_BASE_URL: "https://catalogo.lto.example",
};

describe("the catalogue's credential settings", () => {
  it("refuse to run in production without the issuer key", () => {
    expect(() => loadCatalogueConfig(production)).toThrow(ConfigError);
    try {
      loadCatalogueConfig(production);
    } catch (err) {
      expect((err as Error).message).toContain("ISSUER_JWK");
    }
    expect(loadCatalogueConfig({ ...production, ISSUER_JWK: '{"kty":"EC"}' }).ISSUER_JWK).toBe(
      '{"kty":"EC"}',
    );
  });

  it("refuse to run in production on the development public URL", () => {
    const { PUBLIC_BASE_URL: _unset, ...withoutUrl } = production;
    expect(() => loadCatalogueConfig({ ...withoutUrl, ISSUER_JWK: '{"kty":"EC"}' })).toThrow(
      /PUBLIC_BASE_URL: must be set in production/,
    );
  });

  it("outside production, default the public URL and leave the key to the store", () => {
    const config = loadCatalogueConfig({ NODE_ENV: "development" });
    expect(config.ISSUER_JWK).toBeUndefined();
    expect(config.PUBLIC_BASE_URL).toBe("http://127.0.0.1:8083");
    expect(loadCatalogueConfig({ PUBLIC_BASE_URL: "https://x.example/" }).PUBLIC_BASE_URL).toBe(
      "https://x.example",
    );
  });
});
