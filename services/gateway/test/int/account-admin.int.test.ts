// The administrators' accounts management on the real store and broker: the list (filters, search,
// paging, no secrets), the counts, and enabling a disabled account again, which signs in again through
// the real provider and is announced as AccountActivated.
import { AccountActivatedEvent, topics } from "@lto/contracts";
import { uniqueId } from "@lto/testkit";
import { readTopic, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizationRequest, Browser, DEMO_PASSWORD, openSignIn, signIn, startGateway } from "./support.js";

let gateway: TestService;
const admin = { sub: "ops-admin", role: "admin", org: "lto-ops" } as const;
const staff = {
  sub: "staff-lto-mantova",
  role: "staff",
  org: "provincia-mantova",
  sites: ["lto-mantova"],
} as const;

beforeAll(async () => {
  gateway = await startGateway({ SIGNIN_MAX_ATTEMPTS_PER_IP: "1000" });
}, 60_000);
afterAll(() => gateway?.close());

interface AccountItem {
  subject: string;
  email: string;
  displayName: string;
  role: string;
  status: string;
  organisationId: string;
}
interface AccountPage {
  items: AccountItem[];
  nextCursor?: string;
}

async function list(query: Record<string, string>): Promise<AccountPage> {
  const res = await gateway.as(admin).get(`/v1/accounts?${new URLSearchParams(query)}`);
  expect(res.status, res.text).toBe(200);
  return res.body as AccountPage;
}

async function invite(displayName: string, organisationId: string, role = "school") {
  const email = `${uniqueId("p").toLowerCase()}@${organisationId}.example.it`;
  const res = await gateway
    .as(admin)
    .post("/v1/invitations", { email, role, organisationId, displayName, sites: [] });
  expect(res.status, res.text).toBe(201);
  return res.body.account as AccountItem;
}

/** The sign-in form's answer for `email` with the demo password (303 signed in, 403 disabled). */
async function signInStatus(email: string): Promise<number> {
  const browser = new Browser(gateway.url);
  const { action } = await openSignIn(browser, authorizationRequest());
  return (await browser.postForm(action, { email, password: DEMO_PASSWORD })).status;
}

describe("the accounts list", () => {
  it("filters by organisation, role and status, searches starts of names and e-mails, never shows secrets", async () => {
    const org = uniqueId("school-list").toLowerCase();
    const anna = await invite("Prof.ssa Anna Verdi", org);
    const bruno = await invite("Bruno Verdini", org);
    await invite("Carla Neri", org);

    const all = await list({ organisation: org });
    expect(all.items.map((a) => a.displayName).sort()).toEqual([
      "Bruno Verdini",
      "Carla Neri",
      "Prof.ssa Anna Verdi",
    ]);
    expect(all.nextCursor).toBeUndefined();
    for (const item of all.items) {
      expect(Object.keys(item)).not.toContain("passwordHash");
      expect(JSON.stringify(item)).not.toMatch(/argon2|tokenHash/);
    }

    // A word's start, any case; an e-mail's start; not the middle of a word.
    expect((await list({ organisation: org, q: "VERD" })).items.map((a) => a.subject).sort()).toEqual(
      [bruno.subject, anna.subject].sort(),
    );
    expect((await list({ organisation: org, q: "anna" })).items.map((a) => a.subject)).toEqual([
      anna.subject,
    ]);
    expect((await list({ q: anna.email.slice(0, 12) })).items.map((a) => a.subject)).toEqual([anna.subject]);
    expect((await list({ organisation: org, q: "erdi" })).items).toEqual([]);
    // Regular-expression characters are plain text.
    expect((await list({ organisation: org, q: ".*" })).items).toEqual([]);

    const disabled = await gateway
      .as(admin)
      .post(`/v1/accounts/${bruno.subject}:disable`, { reason: "left" });
    expect(disabled.status, disabled.text).toBe(200);
    expect((await list({ organisation: org, status: "disabled" })).items.map((a) => a.subject)).toEqual([
      bruno.subject,
    ]);
    expect((await list({ organisation: org, status: "invited" })).items).toHaveLength(2);
    expect((await list({ organisation: org, role: "company" })).items).toEqual([]);
    expect((await list({ role: "admin", status: "active" })).items.map((a) => a.email)).toContain(
      "admin@demo.lto.local",
    );
  });

  it("pages with the platform's cursor, every account once", async () => {
    const org = uniqueId("school-pages").toLowerCase();
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await invite(`Persona ${i}`, org)).subject);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await list({ organisation: org, limit: "2", ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((a) => a.subject));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    // The test clock stands still, so creation times tie and the order is the ids': each one once.
    expect(seen.sort()).toEqual(made.sort());
  });

  it("refuses bad filters and cursors with a 400 naming them", async () => {
    const as = gateway.as(admin);
    const cases: [string, string][] = [
      ["status=gone", "status"],
      ["role=root", "role"],
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["cursor=not-a-cursor", "cursor"],
      [`q=${"x".repeat(101)}`, "q"],
      ["q=%00", "q"],
      ["unknown=1", ""],
    ];
    for (const [query, field] of cases) {
      const res = await as.get(`/v1/accounts?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get("content-type"), query).toContain("application/problem+json");
      if (field) expect(JSON.stringify(res.body.errors ?? res.body), query).toContain(field);
    }
  });

  it("is the administrators' alone", async () => {
    expect((await gateway.as(staff).get("/v1/accounts")).status).toBe(403);
    expect((await gateway.as(staff).get("/v1/accounts:count")).status).toBe(403);
    expect((await gateway.as().get("/v1/accounts")).status).toBe(401);
  });
});

describe("counts", () => {
  it("counts the invited, active and disabled accounts", async () => {
    const before = (await gateway.as(admin).get("/v1/accounts:count")).body;
    const person = await invite("Dario Conti", uniqueId("school-count").toLowerCase());
    const invited = (await gateway.as(admin).get("/v1/accounts:count")).body;
    expect(invited).toEqual({ ...before, invited: before.invited + 1 });
    await gateway.as(admin).post(`/v1/accounts/${person.subject}:disable`, { reason: "test" });
    const after = (await gateway.as(admin).get("/v1/accounts:count")).body;
    expect(after).toEqual({ ...before, disabled: before.disabled + 1 });
  });
});

describe("enabling", () => {
  it("lets a disabled person sign in again, idempotently, announcing AccountActivated", async () => {
    const email = "partner@demo.lto.local";
    expect(await signInStatus(email)).toBe(303);
    const off = await gateway.as(admin).post("/v1/accounts/cfp-formazione:disable", { reason: "paused" });
    expect(off.status, off.text).toBe(200);
    expect(off.body).toMatchObject({ status: "disabled", disabledReason: "paused" });
    expect(await signInStatus(email)).toBe(403);

    const on = await gateway.as(admin).post("/v1/accounts/cfp-formazione:enable");
    expect(on.status, on.text).toBe(200);
    expect(on.body.status).toBe("active");
    expect(on.body.disabledReason).toBeUndefined();
    const again = await gateway.as(admin).post("/v1/accounts/cfp-formazione:enable");
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(on.body.version);
    await signIn(new Browser(gateway.url), email, DEMO_PASSWORD);

    const activation = (
      records: readonly { key: string; headers: Record<string, string>; value: Buffer }[],
    ) =>
      records
        .filter((r) => r.key === "cfp-formazione" && r.headers.ce_type?.endsWith("AccountActivated"))
        .map((r) => AccountActivatedEvent.decode(r.value))
        .find((e) => Number(e.version) === on.body.version);
    const records = await readTopic(topics.gateway, (rs) => activation(rs) !== undefined);
    expect(activation(records)).toMatchObject({
      subject: "cfp-formazione",
      actorSubject: "ops-admin",
      email,
      role: "partner",
    });
  });

  it("makes an account disabled before it signed in invited again, and refuses others and unknowns", async () => {
    const person = await invite("Elena Galli", uniqueId("school-enable").toLowerCase());
    await gateway.as(admin).post(`/v1/accounts/${person.subject}:disable`, { reason: "wrong address" });
    const on = await gateway.as(admin).post(`/v1/accounts/${person.subject}:enable`);
    expect(on.status, on.text).toBe(200);
    expect(on.body.status).toBe("invited");
    expect((await gateway.as(staff).post(`/v1/accounts/${person.subject}:enable`)).status).toBe(403);
    const unknown = await gateway.as(admin).post(`/v1/accounts/${uniqueId("nobody")}:enable`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toContain("application/problem+json");
  });
});
