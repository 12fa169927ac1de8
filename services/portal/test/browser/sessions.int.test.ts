// Site staff and course sessions in a real browser on the real catalogue and self-employment services
// (the testkit's broker and store): the site's calendar on the staff home shows a course session's
// meeting of this week, and staff record its attendance register by keyboard only (a late mark without
// minutes refused first, in the service's words); the catalogue's API says what it then holds. Axe on
// every page. Then the school referent's home shows course suggestions for its adopted team (the idea's
// publication and adoption produced onto the real topics, as the ideas and adoption services publish
// them). Screenshots sessions-*.png.
import type { TokenClaims } from "@lto/auth";
import { catalogueService } from "@lto/catalogue-service";
import { selfEmploymentService } from "@lto/self-employment-service";
import { join } from "node:path";
import { IdeaAdoptedEvent, IdeaPublishedEvent } from "@lto/contracts";
import { testAuth, uniqueId, type TestAuth } from "@lto/testkit";
import { eventProducer, startTestService, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  axeViolations,
  buildPortal,
  eventually,
  openBrowser,
  screenshot,
  servePortal,
  screenshotsDir,
  signInWithToken,
  signOutLocally,
  type BrowserSession,
  type PortalServer,
} from "./harness.js";
import { groupAtEnd, tabTo } from "./learner-support.js";
import { ok, publishedCourse, romeDayIn, siteStaff } from "./support.js";
import { ideaAdopted, ideaPublished, produce } from "../../../catalogue/test/int/suggest-support.js";

const staff = siteStaff("staff-sessions-mantova", "lto-mantova", "Operatore LTO Mantova");
const ana = uniqueId("learner-ana");
const bea = uniqueId("learner-bea");

let auth: TestAuth;
let catalogue: TestService;
let selfEmployment: TestService;
let portal: PortalServer;
let browser: BrowserSession;
let sessionId: string;
let meetingId: string;
const title = `Fogli di calcolo per l'impresa ${uniqueId("c").slice(-6)}`;

beforeAll(async () => {
  auth = await testAuth();
  const [catalogueGroup, selfEmploymentGroup, dist] = await Promise.all([
    groupAtEnd("portal-sessions-catalogue"),
    groupAtEnd("portal-sessions-self-employment"),
    buildPortal(),
  ]);
  [catalogue, selfEmployment] = await Promise.all([
    startTestService(catalogueService, {
      auth,
      env: { KAFKA_CONSUMER_GROUP: catalogueGroup, SEED_DEMO_WHEN_EMPTY: "false" },
    }),
    startTestService(selfEmploymentService, {
      auth,
      env: { KAFKA_CONSUMER_GROUP: selfEmploymentGroup, SEED_DEMO_WHEN_EMPTY: "false" },
    }),
  ]);
  const asStaff = catalogue.as(staff);
  const courseId = await publishedCourse(asStaff, {
    titleIt: title,
    descriptionIt: "Tabelle, formule e grafici per tenere i conti di una piccola attività.",
    audiences: ["young_people"],
    areas: ["servizi_commerciali"],
    competences: [{ framework: "digcomp", version: "2.2", competence: "3.1", level: 2 }],
    hours: 1,
    sites: ["lto-mantova"],
  });
  // Today's meeting from midnight: begun on the service clock, so it takes attendance; in this week.
  const session = await ok(asStaff, "POST", "/v1/sessions", {
    courseId,
    site: "lto-mantova",
    meetings: [
      { date: romeDayIn(0), start: "00:00", end: "01:00", room: "Laboratorio 1", trainer: "Marco Neri" },
    ],
    capacity: 5,
    enrolment: { opensOn: romeDayIn(-3), closesOn: romeDayIn(-1) },
  });
  sessionId = session.id as string;
  meetingId = session.meetings[0].id as string;
  // Enrolled while the window was open: the service clock goes back to it, then forward again.
  const now = catalogue.clock.now();
  catalogue.clock.set(new Date(`${romeDayIn(-2)}T12:00:00Z`));
  try {
    for (const personId of [ana, bea])
      await ok(asStaff, "POST", `/v1/sessions/${sessionId}/enrolments`, {
        personId,
        overrideReason: "Ammesso dallo staff per il test",
      });
  } finally {
    catalogue.clock.set(now);
  }

  portal = await servePortal(dist, { catalogue: catalogue.url, "self-employment": selfEmployment.url });
  browser = await openBrowser(portal.url);
  await browser.page.goto("/");
  await signInWithToken(browser.page, await auth.token(staff));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await Promise.all([catalogue?.close(), selfEmployment?.close()]);
});

describe("course sessions for site staff", () => {
  it("sees this week's meeting on the site's calendar and records its register by keyboard only", async () => {
    const { page } = browser;
    await page.reload();
    const calendar = page.getByTestId("sessions-calendar");
    await eventually(() => calendar.getByText(title).count()).toBe(1);
    // The calendar reads the catalogue's list for the site: the same session.
    const listed = await ok(
      catalogue.as(staff),
      "GET",
      `/v1/sessions?site=lto-mantova&from=${romeDayIn(0)}&to=${romeDayIn(0)}`,
    );
    expect(listed.items.map((s: { id: string }) => s.id)).toContain(sessionId);
    await eventually(() => page.getByText(/Nessun conflitto aperto sui laboratori/).isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "sessions-staff-calendar");

    // Keyboard only: Tab to the register link, Enter.
    await page.locator("body").focus();
    const link = page.locator(`a[href="/sessions/${sessionId}/meetings/${meetingId}/attendance"]`);
    await tabTo(page, link, 80);
    await page.keyboard.press("Enter");
    await eventually(() => page.locator("h1").textContent()).toContain(`Registro presenze: ${title}`);
    const anaPresent = page.locator(`#mark-${ana}-present`);
    await anaPresent.waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // Ana present (Space on the first radio), Bea late (arrows move within her group) without minutes.
    await tabTo(page, anaPresent);
    await page.keyboard.press("Space");
    expect(await anaPresent.isChecked()).toBe(true);
    await tabTo(page, page.locator(`#mark-${bea}-present`));
    await page.keyboard.press("ArrowRight"); // absent
    await page.keyboard.press("ArrowRight"); // late
    expect(await page.locator(`#mark-${bea}-late`).isChecked()).toBe(true);
    await tabTo(page, page.locator('button[type="submit"]'));
    await page.keyboard.press("Enter");
    const alert = page.getByRole("alert");
    await alert.waitFor();
    // The service's own words for the same request.
    const refused = await catalogue
      .as(staff)
      .request("PUT", `/v1/sessions/${sessionId}/meetings/${meetingId}/attendance`, {
        body: {
          marks: [
            { personId: ana, status: "present" },
            { personId: bea, status: "late" },
          ],
        },
      });
    expect(refused.status).toBe(400);
    const error = (refused.body.errors as Array<{ path: string; message: string }>)[0]!;
    expect(error.path).toBe("marks.1.lateMinutes");
    await eventually(() => alert.textContent()).toContain(refused.body.detail as string);
    // Next to Bea's minutes, tied to the field.
    await eventually(() => page.locator(`#late-error-${bea}`).textContent()).toBe(error.message);
    expect(await page.locator(`#late-${bea}`).getAttribute("aria-describedby")).toBe(`late-error-${bea}`);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "sessions-register-refused");

    // The minutes, then save.
    await tabTo(page, page.locator(`#late-${bea}`));
    await page.keyboard.type("15");
    await tabTo(page, page.locator('button[type="submit"]'));
    await page.keyboard.press("Enter");
    await eventually(() => page.getByText(/Presenze salvate \(2 iscritti\)/).isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "sessions-register-saved");

    const register = await ok(
      catalogue.as(staff),
      "GET",
      `/v1/sessions/${sessionId}/meetings/${meetingId}/attendance`,
    );
    const current = Object.fromEntries(
      (register.current as Array<{ personId: string; status: string; lateMinutes?: number }>).map((m) => [
        m.personId,
        m,
      ]),
    );
    expect(current[ana]).toMatchObject({ status: "present" });
    expect(current[bea]).toMatchObject({ status: "late", lateMinutes: 15 });
  });
});

describe("course suggestions for a school's adopted team", () => {
  it("the school referent's home lists fitting courses per adopted team", async () => {
    const schoolId = uniqueId("school-fermi");
    const school: TokenClaims = {
      sub: uniqueId("referent"),
      role: "school",
      org: schoolId,
      name: "Prof.ssa Bonfanti",
    };
    // A course for students of the idea's area targeting a competence its technology (iot) maps to (4.1).
    const asStaff = catalogue.as(staff);
    const courseTitle = `Sensori e dati in serra ${uniqueId("c").slice(-6)}`;
    const suggestedId = await publishedCourse(asStaff, {
      titleIt: courseTitle,
      descriptionIt: "Raccogliere e leggere i dati dei sensori di una serra.",
      audiences: ["students"],
      areas: ["agroalimentare"],
      competences: [{ framework: "digcomp", version: "2.2", competence: "4.1", level: 3 }],
      hours: 6,
      sites: ["lto-mantova"],
    });
    const teamId = uniqueId("team");
    const events = await eventProducer();
    try {
      const published = ideaPublished({ teamId, schoolId, technologies: ["iot"] });
      await produce(events, IdeaPublishedEvent, published);
      await produce(events, IdeaAdoptedEvent, ideaAdopted(published.ideaId, schoolId));
    } finally {
      await events.stop();
    }
    const asSchool = catalogue.as(school);
    await expect
      .poll(async () => (await asSchool.get("/v1/suggestions/mine")).body.items?.length ?? 0, {
        timeout: 60_000,
      })
      .toBe(1);
    const mine = (await asSchool.get("/v1/suggestions/mine")).body;
    expect(mine.items[0].students.map((c: { courseId: string }) => c.courseId)).toContain(suggestedId);

    const { page } = browser;
    await signOutLocally(page);
    await page.goto("/");
    await signInWithToken(page, await auth.token(school));
    await page.reload();
    const block = page.getByTestId("school-suggestions");
    await eventually(() => block.getByRole("heading", { level: 3 }).textContent()).toBe(
      "Squadra Green Bits: idea «Serra connessa»",
    );
    await eventually(() => block.getByRole("link", { name: courseTitle }).count()).toBe(1);
    await eventually(() => block.getByText("Adottata da OMV S.p.A.").isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    // The block only: the ideas and adoption services are not started here (their blocks say so).
    await page
      .locator("section", { has: page.locator("#school-suggestions") })
      .last()
      .screenshot({ path: join(screenshotsDir, "sessions-school-suggestions.png") });
  });
});
