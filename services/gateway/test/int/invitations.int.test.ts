// Invitations by a one-time link: the happy path to a signed-in account, a used or expired link
// refused, a minor refused, a company user only for a company the adoption service knows as verified
// (503 when it does not answer, nothing stored either way).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AccountActivatedEvent, topics } from "@lto/contracts";
import mongoose from "mongoose";
import { freePort, uniqueId, waitFor } from "@lto/testkit";
import { readTopic, startTestService, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adoptionService } from "../../../adoption/src/main.js";
import { companyProfile } from "../../../adoption/test/int/support.js";
import { Browser, signIn, startGateway } from "./support.js";

let gateway: TestService;
let adoption: TestService;
const staff = {
  sub: "staff-lto-mantova",
  role: "staff",
  org: "provincia-mantova",
  sites: ["lto-mantova"],
} as const;
const PASSWORD = "una password lunga abbastanza";

beforeAll(async () => {
  const adoptionPort = await freePort();
  gateway = await startGateway({ ADOPTION_HTTP_URL: `http://127.0.0.1:${adoptionPort}` });
  adoption = await startTestService(adoptionService, {
    httpPort: adoptionPort,
    auth: gateway.auth,
    env: { LOG_LEVEL: "error" },
  });
}, 120_000);
afterAll(async () => {
  await adoption?.close();
  await gateway?.close();
});

const invitation = (over: Record<string, unknown> = {}) => ({
  email: `${uniqueId("invitee")}@scuola.example.it`,
  role: "school",
  organisationId: "school-fermi-mantova",
  displayName: "Prof. Mario Verdi",
  ...over,
});
const tokenOf = (link: string) => link.split("/invitations/")[1]!;
const accept = (token: string, password = PASSWORD) =>
  gateway.as().post("/v1/invitations/acceptance", { token, password });

async function registeredCompany(verified: boolean): Promise<string> {
  const org = uniqueId("company");
  const user = adoption.as({ sub: uniqueId("cu"), role: "company", org });
  const registered = await user.post("/v1/companies", companyProfile(Math.floor(Math.random() * 1e6)));
  expect(registered.status, registered.text).toBe(201);
  if (verified) {
    const res = await adoption.as(staff).post(`/v1/companies/${org}/verification`);
    expect(res.status, res.text).toBe(200);
  }
  return org;
}

describe("invitations", () => {
  it("invites a school referent: the mailed link sets the password, the account signs in and is announced", async () => {
    const body = invitation();
    const res = await gateway.as(staff).post("/v1/invitations", body);
    expect(res.status, res.text).toBe(201);
    expect(res.body.account).toMatchObject({ status: "invited", email: body.email, role: "school" });
    expect(res.body.link).toMatch(/^http:\/\/gateway\.test\/invitations\/[A-Za-z0-9_-]{43}$/);

    // The mail goes through the gateway's mail outbox (as .eml files in tests).
    const mail = await waitFor(
      "the invitation mail",
      () => {
        const dir = gateway.env.MAIL_DIR!;
        const files = (() => {
          try {
            return readdirSync(dir);
          } catch {
            return [];
          }
        })();
        return files.map((f) => readFileSync(join(dir, f), "utf8")).find((t) => t.includes(body.email));
      },
      15_000,
    );
    expect(mail!.replaceAll("=\r\n", "")).toContain(tokenOf(res.body.link).slice(0, 20));
    // Once sent, the store keeps only the mail's envelope: the link cannot be read back from it.
    const outbox = await mongoose.createConnection(gateway.mongoUrl, { dbName: gateway.dbName }).asPromise();
    try {
      const stored = await waitFor("the mail marked sent", async () => {
        const doc = await outbox.collection("mail_outbox").findOne({ to: body.email, status: "sent" });
        return doc ?? undefined;
      });
      expect(JSON.stringify(stored)).not.toContain(tokenOf(res.body.link).slice(0, 20));
    } finally {
      await outbox.close();
    }

    // The page of the link, then the API it posts to.
    const page = await fetch(`${gateway.url}/invitations/${tokenOf(res.body.link)}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<label for="password"[ >]/);
    const accepted = await accept(tokenOf(res.body.link));
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body.status).toBe("active");

    const tokens = await signIn(new Browser(gateway.url), body.email, PASSWORD);
    expect(tokens.access_token).toBeTruthy();
    const subject = res.body.account.subject as string;
    const records = await readTopic(topics.gateway, (rs) => rs.some((r) => r.key === subject));
    const event = AccountActivatedEvent.decode(records.find((r) => r.key === subject)!.value);
    expect(event).toMatchObject({
      subject,
      role: "school",
      email: body.email,
      organisationId: "school-fermi-mantova",
    });
  });

  it("refuses a link used once already, and a short password", async () => {
    const res = await gateway.as(staff).post("/v1/invitations", invitation());
    const token = tokenOf(res.body.link);
    const short = await accept(token, "short");
    expect(short.status).toBe(400);
    expect((await accept(token)).status).toBe(200);
    const again = await accept(token, "another long password");
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/already used/);
  });

  it("accepts through the link's page, in Italian, and says when the link was used", async () => {
    const body = invitation();
    const res = await gateway.as(staff).post("/v1/invitations", body);
    const page = `${gateway.url}/invitations/${tokenOf(res.body.link)}`;
    const post = (password: string) =>
      fetch(page, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ password }).toString(),
      });
    const short = await post("corta");
    expect(short.status).toBe(400);
    expect(await short.text()).toContain("da 12 a 256 caratteri");
    const done = await post(PASSWORD);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Account attivato");
    const again = await post(PASSWORD);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("già stato usato");
    await signIn(new Browser(gateway.url), body.email, PASSWORD);
  });

  it("refuses an expired link", async () => {
    const res = await gateway.as(staff).post("/v1/invitations", invitation());
    gateway.clock.advance(8 * 24 * 3600 * 1000);
    try {
      const late = await accept(tokenOf(res.body.link));
      expect(late.status).toBe(409);
      expect(late.body.detail).toMatch(/expired/);
    } finally {
      gateway.clock.advance(-8 * 24 * 3600 * 1000);
    }
  });

  it("refuses an unknown link", async () => {
    expect((await accept("x".repeat(43))).status).toBe(404);
  });

  it("never gives a minor an account (422, nothing stored); an adult learner is invited", async () => {
    const today = gateway.clock.now();
    const seventeen = `${today.getUTCFullYear() - 17}-01-01`;
    const body = invitation({ role: "learner", organisationId: "learner-self", birthDate: seventeen });
    const minor = await gateway.as(staff).post("/v1/invitations", body);
    expect(minor.status, minor.text).toBe(422);
    expect(minor.headers.get("content-type")).toContain("application/problem+json");
    expect(minor.body.detail).toMatch(/under 18/);
    const noBirthDate = await gateway.as(staff).post("/v1/invitations", { ...body, birthDate: undefined });
    expect(noBirthDate.status).toBe(400);
    // Nothing was stored: the same e-mail can be invited as the adult it belongs to.
    const adult = await gateway
      .as(staff)
      .post("/v1/invitations", { ...body, birthDate: `${today.getUTCFullYear() - 30}-06-01` });
    expect(adult.status, adult.text).toBe(201);
  });

  it("invites a company user only for a verified company", async () => {
    const verified = await registeredCompany(true);
    const ok = await gateway
      .as(staff)
      .post("/v1/invitations", invitation({ role: "company", organisationId: verified }));
    expect(ok.status, ok.text).toBe(201);

    const unverified = await registeredCompany(false);
    const body = invitation({ role: "company", organisationId: unverified });
    const refused = await gateway.as(staff).post("/v1/invitations", body);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/not verified/);
    const unknown = await gateway
      .as(staff)
      .post("/v1/invitations", invitation({ role: "company", organisationId: "company-nobody" }));
    expect(unknown.status).toBe(403);
    // Nothing stored for the refused one: verified later, the same e-mail is invited.
    await adoption.as(staff).post(`/v1/companies/${unverified}/verification`);
    expect((await gateway.as(staff).post("/v1/invitations", body)).status).toBe(201);
  });

  it("answers 503 when the adoption service is unreachable, storing nothing", async () => {
    const dead = await freePort();
    const other = await startGateway({ ADOPTION_HTTP_URL: `http://127.0.0.1:${dead}` });
    try {
      const body = invitation({ role: "company", organisationId: "company-omv" });
      const res = await other.as(staff).post("/v1/invitations", body);
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBeTruthy();
      const school = await other.as(staff).post("/v1/invitations", { ...body, role: "school" });
      expect(school.status).toBe(201);
    } finally {
      await other.close();
    }
  });
});
