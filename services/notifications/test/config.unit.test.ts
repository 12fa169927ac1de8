// Production refuses the development portal address: every e-mail names it, so a default would send
// people to a developer's machine.
import { describe, expect, it } from "vitest";
import { loadNotificationsConfig } from "../src/config.js";

const production = {
  NODE_ENV: "production",
  MONGO_URL: "mongodb://db.lto.example:27017/",
  KAFKA_BROKERS: "kafka.lto.example:9092",
  JWKS_URL: "https://lto.example/oidc/jwks",
  JWT_ISSUER: "https://lto.example/oidc",
  JWT_AUDIENCE: "lto",
  SMTP_URL: "smtps://mail.lto.example:465",
  MAIL_FROM: "LTO Mantova <noreply@lto.example>",
  PORTAL_URL: "https://lto.example/",
};

describe("the notifications' settings", () => {
  it("run in production when every address is the deployment's own", () => {
    expect(loadNotificationsConfig(production).PORTAL_URL).toBe("https://lto.example/");
  });

  it("refuse production without the portal's address", () => {
    const { PORTAL_URL: _unset, ...withoutPortal } = production;
    expect(() => loadNotificationsConfig(withoutPortal)).toThrow(/PORTAL_URL: must be set in production/);
  });

  it("default to the portal of `npm start` in development", () => {
    expect(loadNotificationsConfig({}).PORTAL_URL).toBe("http://127.0.0.1:8080/");
  });
});
