// The mail settings joined the service's environment: .eml files under the data directory by default,
// SMTP_URL required in production (by @lto/config's PRODUCTION_REQUIRED), bad values named.
import { ConfigError } from "@lto/config";
import { mailDirectory } from "@lto/mail";
import { describe, expect, it } from "vitest";
import { loadSelfEmploymentConfig } from "../src/config.js";

function problems(env: Record<string, string>): string[] {
  try {
    loadSelfEmploymentConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => p.variable);
  }
  return [];
}

describe("the reminders' mail settings", () => {
  it("default to .eml files under <data dir>/mail/self-employment, every 5 s", () => {
    const config = loadSelfEmploymentConfig({ NODE_ENV: "development" });
    expect(config).toMatchObject({
      MAIL_FROM: "LTO Mantova <noreply@lto.local>",
      MAIL_SENDER_EVERY_MS: 5000,
    });
    expect(config.SMTP_URL).toBeUndefined();
    expect(mailDirectory(config)).toMatch(/[/\\]\.data[/\\]mail[/\\]self-employment$/);
    expect(mailDirectory(loadSelfEmploymentConfig({ LTO_DATA_DIR: "/srv/lto" }))).toBe(
      "/srv/lto/mail/self-employment",
    );
  });

  it("need SMTP_URL in production, and refuse settings that cannot work", () => {
    expect(problems({ NODE_ENV: "production" })).toContain("SMTP_URL");
    expect(problems({ SMTP_URL: "http://mail.example.org" })).toEqual(["SMTP_URL"]);
    expect(problems({ MAIL_FROM: "nobody" })).toEqual(["MAIL_FROM"]);
    expect(problems({ MAIL_REPLY_TO: "front desk" })).toEqual(["MAIL_REPLY_TO"]);
    expect(problems({ MAIL_SENDER_EVERY_MS: "0" })).toEqual(["MAIL_SENDER_EVERY_MS"]);
  });
});
