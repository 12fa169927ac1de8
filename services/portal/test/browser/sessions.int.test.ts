// Site staff and course sessions in a real browser on the real catalogue and self-employment services
// (the testkit's broker and store): the site's calendar on the staff home shows a course session's
// meeting of this week, and staff record its attendance register by keyboard only (a late mark without
// minutes refused first, in the service's words); the catalogue's API says what it then holds. Axe on
// every page. A lab conflict: a young person booked in the FabLab in a later week, a course meeting comes
// to it; staff see it on their home, resolving it is refused first (the service's 409 naming the booking),
// then, the booking cancelled through the API, resolved by keyboard only and gone from the open list.
// Then the school referent's home shows course suggestions for its adopted team (the idea's
// publication and adoption produced onto the real topics, as the ideas and adoption services publish
// them). Screenshots sessions-*.png.
import type { TokenClaims } from "@lto/auth";
import { catalogueService } from "@lto/catalogue-service";
import { selfEmploymentService } from "@lto/self-employment-service";
import { join } from "node:path";
import { IdeaAdoptedEvent, IdeaPublishedEvent } from "@lto/contracts";
import { testAuth, uniqueId, type TestAuth } from "@lto/testkit";
import { eventProducer, startTestService, type TestService } from "@lto/testkit/service";
import type { Locator } from "playwright-core";
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
import { ok, publishedCourse, publishedSession, romeDayIn, siteStaff } from "./support.js";
import { bookThroughApi, freeSlots, personWithPath, weekdayOperator } from "./selfemp-support.js";
import { ideaAdopted, ideaPublished, produce } from "../../../catalogue/test/int/suggest-support.js";

const staff = siteStaff("staff-sessions-mantova", "lto-mantova", "Operatore LTO Mantova");
const LAB = "lto-mantova-fablab";

/** HH:MM in Rome of an instant (what the catalogue's meeting form takes). */
const hhmm = (instant: string) =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Rome",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(instant));

/** Whether `target` has the focus (read in the page: its `document`, not this Node process's). */
const hasFocus = (target: Locator) =>
  target.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement);

/** "giovedì 3 dicembre 2026, 10:00–11:00": a meeting's day and time as the Italian page says them. */
function romeWords(start: string, end: string) {
  const day = new Intl.DateTimeFormat("it", {
    timeZone: "Europe/Rome",
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
  }).format(new Date(start));
  const time = (at: string) =>
    new Intl.DateTimeFormat("it", { timeZone: "Europe/Rome", hour: "2-digit", minute: "2-digit" }).format(
      new Date(at),
    );
  return `${day}, ${time(start)}–${time(end)}`;
}
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
  // Today's meeting from midnight: begun on the service clock, so it takes attendance; in this week.
  const session = await publishedSession(
    asStaff,
    "lto-mantova",
    {
      titleIt: title,
      descriptionIt: "Tabelle, formule e grafici per tenere i conti di una piccola attività.",
      areas: ["servizi_commerciali"],
    },
    {
      meeting: {
        date: romeDayIn(0),
        start: "00:00",
        end: "01:00",
        room: "Laboratorio 1",
        trainer: "Marco Neri",
      },
      capacity: 5,
      enrolment: { opensOn: romeDayIn(-3), closesOn: romeDayIn(-1) },
    },
  );
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

describe("lab conflicts for site staff", () => {
  it("lists an open conflict of a later week, refused while the lab is booked, resolved by keyboard once freed", async () => {
    const { page } = browser;
    const se = selfEmployment.as(staff);
    // A young person booked in the FabLab at a time in a later week (reception, in person, the lab named).
    await weekdayOperator(se, "Laura Bianchi");
    const { personId } = await personWithPath(
      selfEmployment,
      se,
      { givenName: "Luca", familyName: "Ferri" },
      "FRRLCU",
    );
    const slots = await freeSlots(selfEmployment, se, "accoglienza", 13);
    const nextMonday = romeDayIn(7 - ((new Date(`${romeDayIn(0)}T12:00:00Z`).getUTCDay() + 6) % 7));
    const slot = slots.find((s) => s.day >= nextMonday) ?? slots.at(-1)!;
    const booked = await bookThroughApi(se, personId, "accoglienza", slot, { roomId: LAB });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const bookingId = booked.body.id as string;

    // A course meeting at the site comes to the same lab at the same time: a conflict, not a refusal.
    const asStaff = catalogue.as(staff);
    const labTitle = `Stampa 3D in laboratorio ${uniqueId("c").slice(-6)}`;
    const session = await publishedSession(
      asStaff,
      "lto-mantova",
      {
        titleIt: labTitle,
        descriptionIt: "Dal modello digitale all'oggetto stampato, nel FabLab della sede.",
        areas: ["manifattura"],
      },
      {
        meeting: {
          date: slot.day,
          start: hhmm(slot.start),
          end: hhmm(slot.end),
          room: LAB,
          trainer: "Marco Neri",
        },
        capacity: 5,
        enrolment: { opensOn: romeDayIn(0), closesOn: romeDayIn(1) },
      },
    );
    let conflict: { id: string; heldBy: string[] } | undefined;
    await expect
      .poll(
        async () => {
          const open = await se.get("/v1/lab-conflicts?site=lto-mantova&status=open&limit=100");
          conflict = (open.body.items as Array<{ id: string; sessionId: string; heldBy: string[] }>).find(
            (c) => c.sessionId === session.id,
          );
          return conflict !== undefined;
        },
        { timeout: 120_000, interval: 250 },
      )
      .toBe(true);
    expect(conflict!.heldBy).toEqual([bookingId]);

    // On the staff home: the lab by its name, the meeting's day and time in Rome, the course.
    const site = await selfEmployment.as().get("/v1/sites/lto-mantova");
    const labName = (site.body.rooms as Array<{ id: string; name: string }>).find((r) => r.id === LAB)!.name;
    const said = `${labName}: ${romeWords(slot.start, slot.end)}`;
    await page.goto("/");
    const list = page.getByTestId("lab-conflicts");
    const item = list.locator(`[data-conflict-id="${conflict!.id}"]`);
    await eventually(() => item.getByRole("heading", { level: 3 }).textContent()).toBe(said);
    await eventually(() => item.textContent()).toContain(`Corso: ${labTitle}`);
    expect(await axeViolations(page)).toEqual([]);

    // Resolved too early: the service's 409 names the booking still holding the time; nothing changes.
    await item.getByRole("button", { name: `Risolvi ${said}` }).click();
    const confirmHeading = item.getByRole("heading", { level: 4 });
    expect(await confirmHeading.textContent()).toBe(
      `Il laboratorio ${labName} è di nuovo libero ${romeWords(slot.start, slot.end)}?`,
    );
    await eventually(() => hasFocus(confirmHeading)).toBe(true);
    await item.getByRole("button", { name: "Conferma: il laboratorio è libero" }).click();
    const alert = item.getByRole("alert");
    await alert.waitFor();
    const refused = await se.post(`/v1/lab-conflicts/${conflict!.id}/resolution`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.detail as string).toContain(bookingId);
    await eventually(() => alert.textContent()).toContain(refused.body.detail as string);
    expect(await alert.getByTestId("problem-sentence").count()).toBe(1);
    expect((await se.get(`/v1/lab-conflicts/${conflict!.id}`)).body).toMatchObject({ status: "open" });
    expect(await item.count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "sessions-lab-conflict-refused");

    // The booking cancelled through the API: the lab is free again.
    await ok(se, "POST", `/v1/bookings/${bookingId}/cancel`, { reason: "Il FabLab serve al corso" });

    // Keyboard only: Tab to the conflict's resolve button, Enter, the confirmation takes the focus, a
    // note, Enter on confirm.
    await page.reload();
    await eventually(() => item.count()).toBe(1);
    await page.locator("body").focus();
    await tabTo(page, item.getByRole("button", { name: `Risolvi ${said}` }), 150);
    await page.keyboard.press("Enter");
    await eventually(() => hasFocus(confirmHeading)).toBe(true);
    await tabTo(page, item.getByLabel("Come è stato liberato (facoltativo)"));
    await page.keyboard.type("Prenotazione annullata");
    await tabTo(page, item.getByRole("button", { name: "Conferma: il laboratorio è libero" }));
    await page.keyboard.press("Enter");
    await eventually(() => page.getByTestId("lab-conflicts-outcome").textContent()).toBe(
      `Conflitto risolto: ${labName}, ${romeWords(slot.start, slot.end)}, è di nuovo dell'incontro di corso.`,
    );
    await eventually(() => item.count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "sessions-lab-conflict-resolved");
    expect((await se.get(`/v1/lab-conflicts/${conflict!.id}`)).body).toMatchObject({
      status: "resolved",
      resolution: { how: "lab_freed", by: staff.sub, note: "Prenotazione annullata" },
    });
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
