// The mail package without I/O: settings, the checks at enqueue, the RFC 5322 bytes of a message and
// where .eml files go.
import { ConfigError, loadConfig } from "@lto/config";
import { ValidationError } from "@lto/errors";
import { hostedEnv } from "@lto/service-host";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkMailMessage,
  composeEml,
  DEFAULT_MAIL_FROM,
  mailDirectory,
  mailEnv,
  type MailMessage,
} from "../src/index.js";

const serviceEnv = hostedEnv({ name: "demo", httpPort: 8089, grpcPort: 9089 }).extend(mailEnv.shape);

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(serviceEnv, env);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
};

const message = (over: Partial<MailMessage> = {}): MailMessage => ({
  id: "reminder-24h-b1-1",
  to: ["giulia@example.org"],
  subject: "Promemoria: colloquio domani alle 10:00",
  text: "Ci vediamo domani.",
  ...over,
});

describe("mail settings", () => {
  it("extends a service's environment: defaults without SMTP, a sensible From", () => {
    const config = loadConfig(serviceEnv, {});
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.MAIL_FROM).toBe(DEFAULT_MAIL_FROM);
    expect(config.MAIL_DIR).toBeUndefined();
    const smtp = loadConfig(serviceEnv, {
      SMTP_URL: "smtps://u:p@mail.example.org:465",
      MAIL_FROM: "LTO <lto@example.org>",
    });
    expect(smtp.SMTP_URL).toBe("smtps://u:p@mail.example.org:465");
    expect(loadConfig(serviceEnv, { SMTP_URL: "smtp://127.0.0.1:2525" }).SMTP_URL).toBe(
      "smtp://127.0.0.1:2525",
    );
  });

  it("refuses a SMTP_URL that is not smtp:// or smtps:// and a From that is not an address, naming them", () => {
    for (const bad of ["http://mail.example.org", "mail.example.org:25", "smtp://", "imap://x:1"]) {
      const found = problems({ SMTP_URL: bad });
      expect(found).toHaveLength(1);
      expect(found[0]!.variable).toBe("SMTP_URL");
      expect(found[0]!.message).toMatch(/smtp:\/\/ or smtps:\/\//);
    }
    expect(problems({ MAIL_FROM: "nobody" })).toEqual([
      { variable: "MAIL_FROM", message: expect.stringMatching(/must be an address/) },
    ]);
  });

  it("refuses to run in production without an SMTP server (mail would only be written to files)", () => {
    const production = {
      NODE_ENV: "production",
      MONGO_URL: "mongodb://db.lto.example:27017/",
      KAFKA_BROKERS: "kafka.lto.example:9092",
      JWKS_URL: "https://auth.lto.example/.well-known/jwks.json",
      JWT_ISSUER: "https://auth.lto.example",
      JWT_AUDIENCE: "lto",
      MAIL_FROM: "LTO Mantova <noreply@lto.example>",
    };
    expect(problems(production)).toEqual([
      { variable: "SMTP_URL", message: expect.stringMatching(/must be set in production/) },
    ]);
    expect(problems({ ...production, SMTP_URL: "smtps://mail.lto.example:465" })).toEqual([]);
  });

  it("refuses to run in production on the development sender address", () => {
    const { MAIL_FROM: _unset, ...withoutFrom } = {
      NODE_ENV: "production",
      MONGO_URL: "mongodb://db.lto.example:27017/",
      KAFKA_BROKERS: "kafka.lto.example:9092",
      JWKS_URL: "https://auth.lto.example/.well-known/jwks.json",
      JWT_ISSUER: "https://auth.lto.example",
      JWT_AUDIENCE: "lto",
      SMTP_URL: "smtps://mail.lto.example:465",
      MAIL_FROM: "LTO Mantova <noreply@lto.example>",
    };
    expect(problems(withoutFrom)).toEqual([
      { variable: "MAIL_FROM", message: expect.stringMatching(/must be set in production/) },
    ]);
  });

  it("puts .eml files under MAIL_DIR, else <data dir>/mail/<service>", () => {
    const base = { MAIL_FROM: DEFAULT_MAIL_FROM, SERVICE_NAME: "self-employment" };
    expect(mailDirectory({ ...base, MAIL_DIR: "/srv/mail" })).toBe("/srv/mail");
    expect(mailDirectory({ ...base, LTO_DATA_DIR: "/srv/data" })).toBe("/srv/data/mail/self-employment");
    expect(mailDirectory({ ...base, LTO_DATA_DIR: "rel" })).toBe(resolve("rel/mail/self-employment"));
    const repo = resolve(import.meta.dirname, "../../..");
    expect(mailDirectory(base)).toBe(join(repo, ".data", "mail", "self-employment"));
  });
});

describe("checks at enqueue", () => {
  it("accepts a message with an ICS attachment", () => {
    const ok = message({
      cc: ["referente@scuola.example.org"],
      attachments: [{ filename: "a.ics", contentType: "text/calendar; method=REQUEST", content: "X" }],
      notBefore: new Date("2026-03-01T09:00:00Z"),
    });
    expect(checkMailMessage(ok)).toEqual(ok);
  });

  it("names every field at fault in one ValidationError", () => {
    const err = (() => {
      try {
        checkMailMessage(
          message({
            id: "../etc/passwd",
            to: [],
            cc: ["not-an-address"],
            subject: "two\nlines",
            attachments: [{ filename: "a/b.ics", contentType: "calendar", content: "" }],
          }),
        );
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ValidationError);
    const paths = (err as ValidationError).issues.map((i) => i.path).sort();
    expect(paths).toEqual([
      "attachments.0.contentType",
      "attachments.0.filename",
      "cc.0",
      "id",
      "subject",
      "to",
    ]);
  });

  it("refuses a message too large to send", () => {
    const big = "x".repeat(5 * 1024 * 1024 + 1);
    expect(() => checkMailMessage(message({ text: big }))).toThrow(/too large/);
  });
});

describe("RFC 5322 bytes", () => {
  it("carries the Message-ID, the recipients and the calendar attachment with its content type", async () => {
    const bytes = await composeEml({
      id: "m1",
      messageId: "<m1.demo@example.org>",
      from: "LTO <lto@example.org>",
      to: ["giulia@example.org"],
      cc: ["referente@example.org"],
      subject: "Promemoria è domani",
      text: "Testo",
      html: "<p>Testo</p>",
      attachments: [
        { filename: "a.ics", contentType: "text/calendar; method=REQUEST", content: "BEGIN:VCALENDAR" },
      ],
      date: new Date("2026-03-01T09:00:00Z"),
    });
    const eml = bytes.toString("utf8");
    expect(eml).toMatch(/^Message-ID: <m1\.demo@example\.org>\r$/m);
    expect(eml).toMatch(/^To: giulia@example\.org\r$/m);
    expect(eml).toMatch(/^Cc: referente@example\.org\r$/m);
    expect(eml).toMatch(/^Date: Sun, 01 Mar 2026 09:00:00 \+0000\r$/m);
    expect(eml).toMatch(/^Content-Type: text\/calendar; method=REQUEST; name=a\.ics\r$/m);
    expect(eml).toMatch(/^Subject: =\?UTF-8\?/m); // non-ASCII subject encoded
    expect(eml).toMatch(/^Content-Type: text\/html/m);
  });
});
