// A young person enrolling until a waiting list and receiving the freed seat, in a real browser on the
// real catalogue, notifications and self-employment services (the testkit's broker and store): a
// session filled through the API by other learners, the learner joining the waiting list in the portal
// by keyboard only, another learner withdrawing through the API, the seat offer shown as a notice (with
// the header's unread count) and on the enrolment, accepted in the portal; the catalogue's API says
// what it then holds. Axe on every page visited; a screenshot of the learner's home.
import type { TokenClaims } from "@lto/auth";
import { catalogueService } from "@lto/catalogue-service";
import { notificationsService } from "@lto/notifications-service";
import { selfEmploymentService } from "@lto/self-employment-service";
import { testAuth, uniqueId, type TestAuth } from "@lto/testkit";
import { startTestService, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  axeViolations,
  buildPortal,
  eventually,
  openBrowser,
  screenshot,
  servePortal,
  signInWithToken,
  type BrowserSession,
  type PortalServer,
} from "./harness.js";
import { groupAtEnd, tabTo } from "./learner-support.js";
import { ok, publishedCourse, romeDayIn, siteStaff } from "./support.js";

const staff = siteStaff("staff-mantova", "lto-mantova");
const learner = (name: string): TokenClaims => {
  const sub = uniqueId(`learner-${name.toLowerCase()}`);
  return { sub, role: "learner", org: sub, name };
};
const giulia = learner("Giulia Rossi");
const others = [learner("Ana"), learner("Bea")];

let auth: TestAuth;
let catalogue: TestService;
let notifications: TestService;
let selfEmployment: TestService;
let portal: PortalServer;
let browser: BrowserSession;
let courseId: string;
let sessionId: string;
const enrolmentOf: Record<string, string> = {};
let path: { services: Array<{ serviceCode: string; plannedHours: number }> };

beforeAll(async () => {
  auth = await testAuth();
  const [notificationsGroup, selfEmploymentGroup, dist] = await Promise.all([
    groupAtEnd("portal-notifications"),
    groupAtEnd("portal-self-employment"),
    buildPortal(),
  ]);
  [catalogue, notifications, selfEmployment] = await Promise.all([
    startTestService(catalogueService, { auth, env: { SEAT_OFFER_HOURS: "48" } }),
    startTestService(notificationsService, {
      auth,
      env: { KAFKA_CONSUMER_GROUP: notificationsGroup, MAIL_SENDER_EVERY_MS: "200" },
    }),
    startTestService(selfEmploymentService, { auth, env: { KAFKA_CONSUMER_GROUP: selfEmploymentGroup } }),
  ]);

  const asStaff = catalogue.as(staff);
  courseId = await publishedCourse(asStaff, {
    titleIt: "Creare un sito web per la propria attività",
    descriptionIt: "Dal dominio alla pubblicazione: un sito semplice e accessibile per chi avvia un'impresa.",
    audiences: ["young_people"],
    areas: ["servizi_commerciali"],
    competences: [{ framework: "digcomp", version: "2.2", competence: "3.1", level: 2 }],
    hours: 9,
    sites: ["lto-mantova"],
  });
  const first = romeDayIn(21);
  const session = await ok(asStaff, "POST", "/v1/sessions", {
    courseId,
    site: "lto-mantova",
    meetings: [0, 7, 14].map((d) => ({
      date: romeDayIn(21 + d),
      start: "15:00",
      end: "18:00",
      room: "Laboratorio 2",
      trainer: "Marco Neri",
    })),
    capacity: 2,
    enrolment: { opensOn: romeDayIn(0), closesOn: romeDayIn(20) },
  });
  expect(session.firstDay).toBe(first);
  sessionId = session.id as string;
  // Two other learners take both seats.
  for (const other of others) {
    const enrolled = await ok(catalogue.as(other), "POST", `/v1/sessions/${sessionId}/enrolments`, {});
    expect(enrolled.status).toBe("confirmed");
    enrolmentOf[other.sub] = enrolled.id as string;
  }

  // The site's staff register Giulia, link her learner account and open her path (self-employment).
  const asSiteStaff = selfEmployment.as(staff);
  const person = await ok(asSiteStaff, "POST", "/v1/persons", {
    givenName: "Giulia",
    familyName: "Rossi",
    codiceFiscale: "RSSGLI04E50E897V", // born 10 May 2004, a woman: the check character is V
    birthDate: "2004-05-10",
    email: "giulia.rossi@example.it",
    consent: { date: romeDayIn(0) },
    site: "lto-mantova",
  });
  await ok(asSiteStaff, "PUT", `/v1/persons/${person.id as string}/login`, { learnerSubject: giulia.sub });
  const opened = await ok(asSiteStaff, "POST", `/v1/persons/${person.id as string}/path`, {});
  // Coaching planned: 2.5 hours (If-Match: the path's version, as the service asks).
  const planned = await asSiteStaff.request("PUT", `/v1/paths/${opened.id as string}/plan/coaching`, {
    body: { hours: 2.5, reason: "Due incontri sul curriculum" },
    headers: { "if-match": `"${opened.version as number}"` },
  });
  expect(planned.status, JSON.stringify(planned.body)).toBe(200);
  path = planned.body;

  portal = await servePortal(dist, {
    catalogue: catalogue.url,
    notifications: notifications.url,
    "self-employment": selfEmployment.url,
  });
  browser = await openBrowser(portal.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await Promise.all([catalogue?.close(), notifications?.close(), selfEmployment?.close()]);
});

describe("a young person enrolling until a waiting list and receiving the freed seat", () => {
  it("joins the waiting list of a full session by keyboard only", async () => {
    const { page } = browser;
    await page.goto("/");
    await signInWithToken(page, await auth.token(giulia));
    await page.goto(`/courses/${courseId}`);
    await eventually(() => page.locator("h1").textContent()).toBe(
      "Creare un sito web per la propria attività",
    );
    const card = page.getByTestId("session-list").getByRole("listitem").first();
    await eventually(() => card.textContent()).toContain("Completo");
    expect(await axeViolations(page)).toEqual([]);

    // No mouse: Tab from the top of the page to the session's button, Enter.
    const wait = page.getByRole("button", { name: "Mettiti in lista d'attesa" });
    await page.locator("body").focus();
    await tabTo(page, wait);
    await page.keyboard.press("Enter");
    const status = page.getByTestId(`my-status-${sessionId}`);
    await eventually(() => status.textContent()).toContain("In lista d'attesa");
    expect(await status.textContent()).toContain("1° in lista d'attesa");
    expect(await axeViolations(page)).toEqual([]);

    // The catalogue holds her in line, first.
    const mine = await ok(catalogue.as(giulia), "GET", "/v1/enrolments/mine");
    expect(mine.items).toMatchObject([{ sessionId, status: "waitlisted", position: 1 }]);
    enrolmentOf[giulia.sub] = mine.items[0].id as string;
  });

  it("is offered the freed seat, told by a notice, and accepts it in the portal", async () => {
    const { page } = browser;
    // Another learner withdraws through the API: the seat goes to the first in line.
    await ok(catalogue.as(others[0]!), "POST", `/v1/enrolments/${enrolmentOf[others[0]!.sub]}/withdrawal`, {
      reason: "Ho trovato lavoro",
    });
    // The notice is made from the catalogue's SeatOffered event.
    await eventually(
      async () => (await notifications.as(giulia).get("/v1/notifications/unread-count")).body,
    ).toEqual({ unread: 1 });

    await page.goto("/");
    await eventually(() => page.locator("h1").textContent()).toBe("Ciao Giulia Rossi");
    const notices = page.getByTestId("notices-link");
    await eventually(() => page.getByRole("link", { name: "Avvisi 1 da leggere" }).isVisible()).toBe(true);
    const offer = page.getByRole("alert").filter({ hasText: "Hai un posto offerto" });
    await eventually(() => offer.textContent()).toContain("posto offerto fino al");
    await eventually(() => page.getByTestId("my-enrolments").textContent()).toContain("Posto offerto");
    // Her path, as the self-employment service holds it: one row per service of the plan.
    const pathTable = page.locator("#learner-path").locator("xpath=..").getByRole("table");
    expect(path.services.length).toBeGreaterThan(0);
    await eventually(() => pathTable.locator("tbody tr").count()).toBe(path.services.length);
    expect(await pathTable.locator("tbody").textContent()).toContain("2,5");
    // The bookings list loads on its own query; wait for it rather than sampling once.
    await eventually(() => page.getByText("Non hai prenotazioni.").isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "learner-home");

    await notices.click();
    const list = page.getByTestId("notice-list");
    await eventually(() => list.getByRole("listitem").count()).toBe(1);
    const held = await ok(catalogue.as(giulia), "GET", `/v1/enrolments/${enrolmentOf[giulia.sub]}`);
    expect(held.status).toBe("offered");
    const deadline = new Intl.DateTimeFormat("it-IT", {
      timeZone: "Europe/Rome",
      dateStyle: "medium",
      timeStyle: "short",
    }).format(new Date(held.offerExpiresAt as string));
    expect(await list.textContent()).toContain(`Scadenza: ${deadline}`);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "notices-learner");

    // The notice leads to the enrolment, where the seat is accepted by keyboard.
    await list.getByRole("link", { name: "Vai all'iscrizione" }).click();
    await eventually(() => page.getByTestId("enrolment-status").textContent()).toContain(
      `Posto offertoposto offerto fino al ${deadline}`,
    );
    expect(await axeViolations(page)).toEqual([]);
    const accept = page.getByRole("button", { name: "Accetta il posto" });
    await page.locator("body").focus();
    await tabTo(page, accept);
    await page.keyboard.press("Enter");
    await eventually(() => page.getByText("Fatto: hai il tuo posto nel corso.").isVisible()).toBe(true);
    await eventually(() => page.getByTestId("enrolment-status").textContent()).toContain("Iscritto");

    // What the catalogue holds now: Giulia confirmed on the freed seat, the session full again.
    const after = await ok(catalogue.as(giulia), "GET", `/v1/enrolments/${enrolmentOf[giulia.sub]}`);
    expect(after).toMatchObject({ status: "confirmed", sessionId });
    const roster = await ok(catalogue.as(staff), "GET", `/v1/sessions/${sessionId}/enrolments`);
    expect(roster.seatsTaken).toBe(2);
    expect(
      (roster.items as Array<{ personId: string; status: string }>)
        .filter((e) => e.status === "confirmed")
        .map((e) => e.personId)
        .sort(),
    ).toEqual([giulia.sub, others[1]!.sub].sort());
  });

  it("marks the notices read, for her only", async () => {
    const { page } = browser;
    await page.goto("/notices");
    await eventually(() => page.getByTestId("notice-list").getByRole("listitem").count()).toBe(1);
    await page.getByRole("button", { name: "Segna tutti come letti" }).click();
    await eventually(() => page.getByText("1 avviso segnato come letto.").isVisible()).toBe(true);
    await eventually(() => page.getByTestId("notices-link").textContent()).toBe("Avvisi");
    expect((await notifications.as(giulia).get("/v1/notifications/unread-count")).body).toEqual({
      unread: 0,
    });
    expect(await axeViolations(page)).toEqual([]);
  });
});
