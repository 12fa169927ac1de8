// Talent profiles and company search end to end through the public API on the real broker and store: a
// learner with an issued credential opts in, a company finds them, opens the profile (recorded), asks for
// contact, the learner accepts; withdrawal takes the profile out of search; a minor is refused; the role
// matrix; bad input answered 400 with nothing stored.
import { addDays, romeDate } from "@lto/civil-time";
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callers, confirmEnrolmentsFixture, courseBody, ok, sessionBody, startCatalogue } from "./support.js";

const giulia = callers.learner;
const paolo = { sub: "learner-paolo", role: "learner", org: "learner-paolo" } as const;
const company = callers.company;
const otherCompany = { sub: "hr-rossi", role: "company", org: "company-rossi" } as const;
const DAY = 86_400_000;
const ADULT_BIRTH = "1990-04-12";

let svc: TestService;
let credentialId: string;
let paoloCredentialId: string;

const staff = () => svc.as(callers.staff);
const optIn = (overrides: Record<string, unknown> = {}) => ({
  birthDate: ADULT_BIRTH,
  credentialIds: [credentialId],
  district: "suzzara",
  areas: ["meccanica"],
  headline: "Programmo in Python e cerco un tirocinio in azienda",
  ...overrides,
});

beforeAll(async () => {
  svc = await startCatalogue();
  const course = await ok(staff(), "POST", "/v1/courses", courseBody({ titleIt: "Python per l'industria" }));
  await ok(staff(), "POST", `/v1/courses/${course.id}/publish`);
  const body = sessionBody(course.id, {
    completionRule: { minimumAttendanceShare: 0.5, mandatoryMeetings: [], finalAssessment: false },
  });
  const session = await ok(staff(), "POST", "/v1/sessions", body);
  await confirmEnrolmentsFixture(svc, session.id, [giulia.sub, paolo.sub]);
  svc.clock.set(new Date(Date.now() + 60 * DAY));
  for (const meeting of session.meetings as { id: string }[])
    await ok(staff(), "PUT", `/v1/sessions/${session.id}/meetings/${meeting.id}/attendance`, {
      marks: [
        { personId: giulia.sub, status: "present" },
        { personId: paolo.sub, status: "present" },
      ],
    });
  const completion = await ok(staff(), "POST", `/v1/sessions/${session.id}/completion`, {});
  const credentialOf = (who: string) =>
    completion.outcomes.find((o: { personId: string }) => o.personId === who).credentialId as string;
  credentialId = credentialOf(giulia.sub);
  paoloCredentialId = credentialOf(paolo.sub);
  expect(credentialId).toBeTruthy();
}, 300_000);

afterAll(async () => {
  await svc?.close();
});

const search = (query: string, as: typeof company | typeof otherCompany = company) =>
  svc.as(as).get(`/v1/talent/profiles?${query}`);

describe("talent profiles", () => {
  it("refuses a minor with a clear reason and stores nothing", async () => {
    const minor = addDays(romeDate(svc.clock.now()), -17 * 365);
    const res = await svc.as(giulia).put("/v1/talent/profile/mine", optIn({ birthDate: minor }));
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/adults/);
    expect((await svc.as(giulia).get("/v1/talent/profile/mine")).body.profile).toBeNull();
  });

  it("answers bad input with 400 problem+json and stores nothing", async () => {
    for (const body of [
      optIn({ credentialIds: [] }),
      optIn({ credentialIds: ["not-mine"] }),
      optIn({ district: "milano" }),
      optIn({ areas: ["astrologia"] }),
      optIn({ headline: "" }),
      optIn({ birthDate: "1990-02-30" }),
      optIn({ extra: true }),
      { credentialIds: [credentialId], district: "suzzara", areas: ["meccanica"], headline: "Ciao a tutti" },
    ]) {
      const res = await svc.as(giulia).put("/v1/talent/profile/mine", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
    }
    expect((await svc.as(giulia).get("/v1/talent/profile/mine")).body.profile).toBeNull();
    for (const query of ["competence=34", "minLevel=9", "district=milano", "area=x", "unknown=1"])
      expect((await search(query)).status, query).toBe(400);
  });

  let profileId: string;
  let requestId: string;

  it("an adult opts in; a company finds the profile by competence, level and district", async () => {
    const res = await svc.as(giulia).put("/v1/talent/profile/mine", optIn());
    expect(res.status).toBe(200);
    profileId = res.body.profileId;
    expect(res.body.credentials[0].competences).toEqual([
      { framework: "digcomp", frameworkVersion: "2.2", competence: "3.4", level: 4 },
    ]);
    const found = await search(
      "competence=3.4&minLevel=4&frameworkVersion=2.2&district=suzzara&area=meccanica",
    );
    expect(found.status).toBe(200);
    expect(found.body.items.map((p: { profileId: string }) => p.profileId)).toContain(profileId);
    const text = JSON.stringify(found.body);
    expect(text).not.toContain(giulia.sub);
    expect(text).not.toContain(credentialId);
    for (const miss of [
      "competence=3.4&minLevel=5",
      "competence=1.1",
      "district=viadana",
      "frameworkVersion=3.0&competence=3.4",
    ])
      expect(
        (await search(miss)).body.items.map((p: { profileId: string }) => p.profileId),
        miss,
      ).not.toContain(profileId);
  });

  it("pages with a cursor, each profile once, never naming the person in the cursor", async () => {
    const other = await ok(svc.as(paolo), "PUT", "/v1/talent/profile/mine", {
      ...optIn({ credentialIds: [paoloCredentialId], district: "viadana" }),
    });
    const first = await search("competence=3.4&limit=1");
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toBeTruthy();
    expect(Buffer.from(first.body.nextCursor, "base64url").toString()).not.toMatch(/learner-/);
    const second = await search(`competence=3.4&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    const seen = [...first.body.items, ...second.body.items].map((p: { profileId: string }) => p.profileId);
    expect(seen.sort()).toEqual([profileId, other.profileId].sort());
    expect(second.body.nextCursor).toBeUndefined();
  });

  it("opening the profile is recorded for the person", async () => {
    const res = await svc.as(company).get(`/v1/talent/profiles/${profileId}`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(giulia.sub);
    const views = (await svc.as(giulia).get("/v1/talent/profile/mine/views")).body;
    expect(views.items).toEqual([{ profileId, companyId: company.org, at: expect.any(String) }]);
  });

  it("a company asks for contact; the learner accepts and the company sees the shared contact", async () => {
    const bad = await svc
      .as(company)
      .post(`/v1/talent/profiles/${profileId}/contact-requests`, { message: "" });
    expect(bad.status).toBe(400);
    const sent = await svc.as(company).post(`/v1/talent/profiles/${profileId}/contact-requests`, {
      message: "Buongiorno, cerchiamo una persona per il reparto automazione: possiamo sentirci?",
    });
    expect(sent.status).toBe(201);
    expect(sent.body.state).toBe("pending");
    requestId = sent.body.id;
    const again = await svc.as(company).post(`/v1/talent/profiles/${profileId}/contact-requests`, {
      message: "Ci teniamo molto, ripetiamo la richiesta.",
    });
    expect(again.status).toBe(409);
    const received = (await svc.as(giulia).get("/v1/talent/contact-requests/mine")).body.items;
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ id: requestId, companyId: company.org, state: "pending" });
    expect((await svc.as(otherCompany).get("/v1/talent/contact-requests/mine")).body.items).toEqual([]);
    expect((await svc.as(giulia).post(`/v1/talent/contact-requests/${requestId}/accept`, {})).status).toBe(
      400,
    );
    const accepted = await svc
      .as(giulia)
      .post(`/v1/talent/contact-requests/${requestId}/accept`, { contact: "giulia.b@example.it" });
    expect(accepted.status).toBe(200);
    expect(accepted.body.state).toBe("accepted");
    const sentList = (await svc.as(company).get("/v1/talent/contact-requests/mine")).body.items;
    expect(sentList[0]).toMatchObject({ id: requestId, state: "accepted", contact: "giulia.b@example.it" });
    expect((await svc.as(giulia).post(`/v1/talent/contact-requests/${requestId}/decline`)).status).toBe(409);
  });

  it("withdrawal takes the profile out of search at once and closes pending requests", async () => {
    // Five requests at once from one company: exactly one is stored, the others 409.
    const burst = await Promise.all(
      [1, 2, 3, 4, 5].map(() =>
        svc.as(otherCompany).post(`/v1/talent/profiles/${profileId}/contact-requests`, {
          message: "Salve, avremmo un posto da tecnico informatico a Suzzara.",
        }),
      ),
    );
    expect(burst.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const pending = burst.find((r) => r.status === 201)!.body;
    const res = await svc.as(giulia).request("DELETE", "/v1/talent/profile/mine");
    expect(res.status).toBe(204);
    expect(
      (await search("competence=3.4")).body.items.map((p: { profileId: string }) => p.profileId),
    ).not.toContain(profileId);
    expect((await svc.as(company).get(`/v1/talent/profiles/${profileId}`)).status).toBe(404);
    const mine = (await svc.as(giulia).get("/v1/talent/contact-requests/mine")).body.items;
    const states = Object.fromEntries(mine.map((r: { id: string; state: string }) => [r.id, r.state]));
    expect(states).toEqual({ [pending.id]: "closed", [requestId]: "accepted" });
    expect((await svc.as(giulia).request("DELETE", "/v1/talent/profile/mine")).status).toBe(404);
  });
});

describe("revocation and erasure", () => {
  it("a revoked credential leaves the profile and the search at once", async () => {
    const before = (await ok(svc.as(paolo), "GET", "/v1/talent/profile/mine")).profile;
    expect(before.credentials).toHaveLength(1);
    await ok(staff(), "POST", `/v1/credentials/${paoloCredentialId}/revocation`, {
      reason: "Rilasciata per errore",
    });
    const opened = await svc.as(company).get(`/v1/talent/profiles/${before.profileId}`);
    expect(opened.body.credentials).toEqual([]);
    const found = await search("competence=3.4");
    expect(found.body.items.map((p: { profileId: string }) => p.profileId)).not.toContain(before.profileId);
  });

  it("erasure removes the profile and its views; requests keep no contact and name nobody", async () => {
    const profile = await ok(svc.as(giulia), "PUT", "/v1/talent/profile/mine", optIn());
    await ok(svc.as(company), "GET", `/v1/talent/profiles/${profile.profileId}`);
    const request = await ok(
      svc.as(company),
      "POST",
      `/v1/talent/profiles/${profile.profileId}/contact-requests`,
      {
        message: "Buongiorno, ci piacerebbe conoscerla.",
      },
    );
    await ok(svc.as(giulia), "POST", `/v1/persons/${giulia.sub}/erasure`);
    expect((await svc.as(company).get(`/v1/talent/profiles/${profile.profileId}`)).status).toBe(404);
    const mine = (await svc.as(giulia).get("/v1/talent/profile/mine")).body;
    expect(mine).toEqual({ profile: null });
    expect((await svc.as(giulia).get("/v1/talent/profile/mine/views")).body).toEqual({ items: [] });
    expect((await svc.as(giulia).get("/v1/talent/contact-requests/mine")).body.items).toEqual([]);
    const sent = (await svc.as(company).get("/v1/talent/contact-requests/mine")).body.items;
    const closed = sent.find((r: { id: string }) => r.id === request.id);
    expect(closed.state).toBe("closed");
    expect(sent.some((r: { contact?: string }) => r.contact)).toBe(false);
  });
});

describe("role matrix", () => {
  const roles = {
    none: undefined,
    learner: callers.learner,
    school: callers.school,
    staff: callers.staff,
    programme: callers.programme,
    partner: callers.partner,
    company: callers.company,
    admin: callers.admin,
  } as const;
  type RoleName = keyof typeof roles;
  const endpoints: { method: string; path: string; allowed: RoleName[] }[] = [
    { method: "GET", path: "/v1/talent/profile/mine", allowed: ["learner"] },
    { method: "GET", path: "/v1/talent/profile/mine/views", allowed: ["learner"] },
    { method: "PUT", path: "/v1/talent/profile/mine", allowed: ["learner"] },
    { method: "DELETE", path: "/v1/talent/profile/mine", allowed: ["learner"] },
    { method: "GET", path: "/v1/talent/profiles", allowed: ["company"] },
    { method: "GET", path: "/v1/talent/profiles/p-unknown", allowed: ["company"] },
    { method: "POST", path: "/v1/talent/profiles/p-unknown/contact-requests", allowed: ["company"] },
    { method: "GET", path: "/v1/talent/contact-requests/mine", allowed: ["learner", "company"] },
    { method: "POST", path: "/v1/talent/contact-requests/r-unknown/accept", allowed: ["learner"] },
    { method: "POST", path: "/v1/talent/contact-requests/r-unknown/decline", allowed: ["learner"] },
  ];
  const bodies: Record<string, unknown> = {
    "PUT /v1/talent/profile/mine": { ...optInShape(), credentialIds: ["c-unknown"] },
    "POST /v1/talent/profiles/p-unknown/contact-requests": { message: "Buongiorno, possiamo parlarne?" },
    "POST /v1/talent/contact-requests/r-unknown/accept": { contact: "me@example.it" },
  };
  function optInShape() {
    return {
      birthDate: ADULT_BIRTH,
      district: "mantova",
      areas: ["cultura"],
      headline: "Cerco lavoro nel digitale",
    };
  }

  for (const e of endpoints)
    it(`${e.method} ${e.path}`, async () => {
      for (const [name, claims] of Object.entries(roles) as [RoleName, (typeof roles)[RoleName]][]) {
        const body = bodies[`${e.method} ${e.path}`];
        const headers: Record<string, string> = {};
        if (claims) headers.authorization = `Bearer ${await svc.auth.token(claims)}`;
        if (body !== undefined) headers["content-type"] = "application/json";
        const res = await fetch(`${svc.url}${e.path}`, {
          method: e.method,
          headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const expected = !claims ? [401] : e.allowed.includes(name) ? [200, 204, 400, 404] : [403];
        expect(expected, `${name}: ${res.status}`).toContain(res.status);
      }
    });
});
