// Site staff booking a service for a young person in a real browser, refused by the real
// self-employment service (the testkit's broker and store, behind the real gateway): the person's hour
// cap for the service reached, and a slot someone else took between the listing and the click (taken
// through the API in between). Each refusal is shown in the service's own words next to the form, and
// the service holds nothing new (read through its API). axe on every page.
import type { TestService } from "@lto/testkit/service";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, eventually, screenshot, type BrowserSession } from "./harness.js";
import {
  bookThroughApi,
  freeSlots,
  mantovaStaff as staff,
  personWithPath,
  startSelfEmploymentJourney,
  weekdayOperator,
  type SelfEmploymentJourney,
} from "./selfemp-support.js";

let journey: SelfEmploymentJourney;
let se: TestService;
let browser: BrowserSession;
/** Two accoglienza hours booked already: the service's cap per person (2 h). */
let capped: { personId: string; pathId: string };
/** Nothing booked yet: the slot is taken by someone else under their feet. */
let late: { personId: string; pathId: string };
let other: { personId: string; pathId: string };

beforeAll(async () => {
  journey = await startSelfEmploymentJourney({
    signedIn: staff,
    setup: async ({ se }) => {
      const client = se.as(staff);
      await weekdayOperator(client, "Laura Bianchi");
      capped = await personWithPath(se, client, { givenName: "Marta", familyName: "Galli" }, "GLLMRT");
      late = await personWithPath(se, client, { givenName: "Luca", familyName: "Ferri" }, "FRRLCU");
      other = await personWithPath(se, client, { givenName: "Anna", familyName: "Conti" }, "CNTNNA");
      // Two hours of reception booked through the API: the cap of accoglienza for one person.
      for (let i = 0; i < 2; i++) {
        const [slot] = await freeSlots(se, client, "accoglienza");
        const res = await bookThroughApi(client, capped.personId, "accoglienza", slot!);
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
    },
  });
  ({ se, browser } = journey);
}, 120_000);

afterAll(async () => {
  await journey?.close();
});

const bookingsOf = async (personId: string) => {
  const res = await se.as(staff).get(`/v1/bookings?site=lto-mantova&person=${personId}&limit=100`);
  expect(res.status).toBe(200);
  return res.body.items as Array<{ id: string; start: string; status: string }>;
};

/** The booking page with the person (by family name) and accoglienza chosen, the free slots listed. */
async function choosePersonAndService(page: Page, familyName: string) {
  await page.goto("/staff/book?site=lto-mantova");
  await eventually(() => page.locator("h1").textContent()).toBe("Prenota un servizio");
  await page.getByLabel("Cerca per nome o codice fiscale").fill(familyName);
  await eventually(() => page.getByTestId("person-list").getByRole("radio").count()).toBe(1);
  // The design system draws the radio on its label: a person clicks the label.
  await page.getByTestId("person-list").locator("label").click();
  expect(await page.getByTestId("person-list").getByRole("radio").isChecked()).toBe(true);
  await page.getByLabel("2. Il servizio").selectOption("accoglienza");
  await eventually(() => page.getByTestId("slot-days").getByRole("radio").count()).toBeGreaterThan(0);
}

/** The radio of `slot` in the page's list (its id is the day, the start and the operator). */
const slotId = (slot: { day: string; start: string; operatorId: string }) =>
  `slot-${slot.day}-${slot.start.replace(/\W/g, "")}-${slot.operatorId}`;
const slotRadio = (page: Page, slot: Parameters<typeof slotId>[0]) => page.locator(`[id="${slotId(slot)}"]`);

/** Chooses the slot by its label, as a person clicks it. */
async function chooseSlot(page: Page, slot: Parameters<typeof slotId>[0]) {
  await page.locator(`label[for="${slotId(slot)}"]`).click();
  expect(await slotRadio(page, slot).isChecked()).toBe(true);
}

describe("staff booking refused by the service", () => {
  it("past the person's hour cap: the service's words next to the form, nothing booked", async () => {
    const { page } = browser;
    await choosePersonAndService(page, "Galli");
    expect(await axeViolations(page)).toEqual([]);
    const [slot] = await freeSlots(se, se.as(staff), "accoglienza");
    await chooseSlot(page, slot!);
    await page.getByRole("button", { name: "Conferma la prenotazione" }).click();
    const alert = page.locator("form").getByRole("alert");
    await alert.waitFor();

    // The same request straight to the service: its own words (the hours left) are what the page shows.
    const refused = await bookThroughApi(se.as(staff), capped.personId, "accoglienza", slot!);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/allows 2 h per person .*no hours remain/);
    await eventually(() => alert.textContent()).toContain(refused.body.detail as string);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "selfemp-booking-cap");

    // Nothing stored: the two bookings it had, and no other.
    expect(await bookingsOf(capped.personId)).toHaveLength(2);
  });

  it("a slot taken by someone else between listing and clicking: the service's words, nothing booked", async () => {
    const { page } = browser;
    await choosePersonAndService(page, "Ferri");
    const [slot] = await freeSlots(se, se.as(staff), "accoglienza");
    await chooseSlot(page, slot!);

    // Someone else books that very slot through the API while the page still lists it.
    const taken = await bookThroughApi(se.as(staff), other.personId, "accoglienza", slot!);
    expect(taken.status, JSON.stringify(taken.body)).toBe(201);

    await page.getByRole("button", { name: "Conferma la prenotazione" }).click();
    const alert = page.locator("form").getByRole("alert");
    await alert.waitFor();
    const refused = await bookThroughApi(se.as(staff), late.personId, "accoglienza", slot!);
    expect(refused.status).toBe(409);
    await eventually(() => alert.textContent()).toContain(refused.body.detail as string);
    expect(await page.getByText("Prenotazione confermata").count()).toBe(0);
    // The list is read again: the slot taken is no longer offered.
    await eventually(() => slotRadio(page, slot!).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "selfemp-booking-slot-taken");

    // Nothing stored for the person; the slot belongs to the one who took it.
    expect(await bookingsOf(late.personId)).toEqual([]);
    expect(await bookingsOf(other.personId)).toEqual([
      expect.objectContaining({ start: slot!.start, status: "confirmed" }),
    ]);
  });
});
