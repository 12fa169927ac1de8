import { ConfigError } from "@lto/config";
import { describe, expect, it } from "vitest";
import { loadSelfEmploymentConfig } from "../src/config.js";

const production = {
  NODE_ENV: "production",
  MONGO_URL: "mongodb://db.lto.example:27017/",
  KAFKA_BROKERS: "kafka.lto.example:9092",
  JWKS_URL: "https://auth.lto.example/.well-known/jwks.json",
  JWT_ISSUER: "https://auth.lto.example",
  JWT_AUDIENCE: "lto",
  SMTP_URL: "smtp://mail.lto.example:587",
  MAIL_FROM: "LTO Mantova <noreply@lto.example>",
  CATALOGUE_GRPC_ADDRESS: "catalogue:9083",
};

describe("the calendar feeds' settings", () => {
  it("default to 30 days for cancelled bookings, 90 days back, the request's host, a generated key", () => {
    const config = loadSelfEmploymentConfig({ NODE_ENV: "development" });
    expect(config.CALENDAR_FEED_CANCELLED_DAYS).toBe(30);
    expect(config.CALENDAR_FEED_PAST_DAYS).toBe(90);
    expect(config.CALENDAR_FEED_BASE_URL).toBeUndefined();
    expect(config.CALENDAR_FEED_KEY).toBeUndefined();
  });

  it("need the feed key in production, of at least 32 characters", () => {
    expect(() => loadSelfEmploymentConfig(production)).toThrow(
      /CALENDAR_FEED_KEY: must be set in production/,
    );
    expect(
      loadSelfEmploymentConfig({ ...production, CALENDAR_FEED_KEY: "k".repeat(32) }).CALENDAR_FEED_KEY,
    ).toBe("k".repeat(32));
    expect(() => loadSelfEmploymentConfig({ CALENDAR_FEED_KEY: "short" })).toThrow(ConfigError);
    expect(() => loadSelfEmploymentConfig({ CALENDAR_FEED_BASE_URL: "ftp://x" })).toThrow(
      /CALENDAR_FEED_BASE_URL/,
    );
    expect(() => loadSelfEmploymentConfig({ CALENDAR_FEED_CANCELLED_DAYS: "0" })).toThrow(
      /CALENDAR_FEED_CANCELLED_DAYS/,
    );
  });
});
