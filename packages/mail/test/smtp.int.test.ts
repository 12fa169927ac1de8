// The SMTP path end to end: the outbox on the real store, nodemailer over a real TCP connection to a
// minimal SMTP server in this test (it speaks just enough RFC 5321 to take or refuse a message).
import { createServer, type AddressInfo, type Server } from "node:net";
import { AggregateStore } from "@lto/store";
import { getInfra, testDbName } from "@lto/testkit";
import { TestClock } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mailOutbox, type MailOutbox } from "../src/index.js";

interface Received {
  from: string;
  to: string[];
  data: string;
}

/** Takes every message, refusing recipients at nobody@... with a permanent 550. */
function smtpServer(received: Received[]): Server {
  return createServer((socket) => {
    let buffer = "";
    let inData = false;
    let current: Received = { from: "", to: [], data: "" };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 test.local ESMTP");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (let end = buffer.indexOf("\r\n"); end >= 0; end = buffer.indexOf("\r\n")) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            received.push(current);
            current = { from: "", to: [], data: "" };
            reply("250 2.0.0 queued");
          } else current.data += `${line.startsWith("..") ? line.slice(1) : line}\r\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") reply("250 test.local");
        else if (verb === "MAIL") {
          current.from = line;
          reply("250 2.1.0 ok");
        } else if (verb === "RCPT") {
          if (/nobody@/i.test(line)) reply("550 5.1.1 no such mailbox");
          else {
            current.to.push(line);
            reply("250 2.1.5 ok");
          }
        } else if (verb === "DATA") {
          inData = true;
          reply("354 go ahead");
        } else if (verb === "QUIT") {
          reply("221 bye");
          socket.end();
        } else reply("250 ok"); // RSET, NOOP
      }
    });
    socket.on("error", () => undefined);
  });
}

const received: Received[] = [];
let server: Server;
let store: AggregateStore;
let outbox: MailOutbox;

beforeAll(async () => {
  server = smtpServer(received);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const { mongoUrl } = await getInfra();
  store = await AggregateStore.open({ url: mongoUrl, dbName: testDbName("mail_smtp") });
  outbox = mailOutbox(
    store,
    {
      SERVICE_NAME: "demo",
      MAIL_FROM: "LTO Mantova <lto@example.org>",
      SMTP_URL: `smtp://127.0.0.1:${port}`,
    },
    new TestClock(),
  );
  await store.ensureIndexes();
});

afterAll(async () => {
  await outbox?.close();
  await store?.connection.dropDatabase();
  await store?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe("mail over SMTP", () => {
  it("sends with the outbox id in the Message-ID, to every recipient, with the calendar attached", async () => {
    expect(outbox.transport).toBe("smtp");
    expect(outbox.directory).toBeUndefined();
    await outbox.enqueue({
      id: "reminder-smtp-1",
      to: ["giulia@example.org"],
      cc: ["referente@example.org"],
      subject: "Promemoria",
      text: "Domani alle 10:00.",
      attachments: [
        {
          filename: "appuntamento.ics",
          contentType: "text/calendar; method=REQUEST",
          content: "BEGIN:VCALENDAR",
        },
      ],
    });
    expect(await outbox.sendDue()).toBe(1);
    expect(await outbox.get("reminder-smtp-1")).toMatchObject({ status: "sent", attempts: 1 });
    expect(received).toHaveLength(1);
    const [mail] = received as [Received];
    expect(mail.from).toBe("MAIL FROM:<lto@example.org>");
    expect(mail.to).toEqual(["RCPT TO:<giulia@example.org>", "RCPT TO:<referente@example.org>"]);
    expect(mail.data).toMatch(/^Message-ID: <reminder-smtp-1\.demo@example\.org>\r$/m);
    expect(mail.data).toMatch(/^Content-Type: text\/calendar; method=REQUEST; name=appuntamento\.ics\r$/m);
  });

  it("keeps a message the server refuses for good as failed, with the server's answer, without retrying", async () => {
    await outbox.enqueue({ id: "refused-1", to: ["nobody@example.org"], subject: "x", text: "x" });
    expect(await outbox.sendDue()).toBe(1);
    const stored = await outbox.get("refused-1");
    expect(stored).toMatchObject({ status: "failed", attempts: 1 });
    expect(stored?.lastError).toMatch(/550 5\.1\.1 no such mailbox/);
    expect(received).toHaveLength(1);
  });
});
