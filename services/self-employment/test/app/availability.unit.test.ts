// The availability use cases on in-memory ports: what the busy calendar and the daily counts say is
// taken is not offered (the booking wave fills that port), extra closed days close the site, the
// caller's deadline stops the work, and the credential gate passes the catalogue's answer or refusal on.
import type { Identity } from "@lto/auth";
import { UnavailableError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import { availabilityUseCases } from "../../src/app/availability.js";
import type { BusyCalendar, CredentialCheck, Ports, SlotLedger } from "../../src/app/index.js";
import { createOperator, type Person } from "../../src/domain/index.js";
import { anOperator } from "../fixtures.js";

const NOW = new Date("2026-04-10T08:00:00Z");
const staff: Identity = {
  subject: "staff-mantova",
  role: "staff",
  organisationId: "provincia-mantova",
  sites: ["lto-mantova"],
  token: "t",
};
const laura = createOperator(
  anOperator({
    plan: [
      { weekday: 1, site: "lto-mantova", hours: { start: "09:00", end: "13:00" }, breaks: [] },
      { weekday: 2, site: "lto-mantova", hours: { start: "09:00", end: "13:00" }, breaks: [] },
    ],
    dailyCap: 2,
  }),
  "op-laura",
  NOW,
);
const person = { id: "p-1", site: "lto-mantova", learnerSubject: "learner-giulia" } as Person;

function useCases(
  over: {
    busy?: BusyCalendar;
    credentials?: CredentialCheck;
    extra?: string[];
    rooms?: SlotLedger["busy"];
  } = {},
) {
  const ports = {
    siteOperators: { atSite: async () => [laura] },
    busy: over.busy ?? { busyIntervals: async () => ({}), bookingsPerDay: async () => ({}) },
    credentials: over.credentials ?? { check: async () => ({ satisfied: false }) },
    calendar: { extraClosedDays: over.extra ?? [] },
    persons: { get: async (id: string) => (id === person.id ? person : undefined) },
    clock: { now: () => NOW },
    slots: { busy: over.rooms ?? (async () => ({})) },
  } as unknown as Ports;
  return availabilityUseCases(ports);
}
const query = {
  service: "colloquio_specialistico",
  site: "lto-mantova",
  from: "2026-04-13",
  to: "2026-04-14",
};
const starts = (view: Awaited<ReturnType<ReturnType<typeof useCases>["slots"]>>, day: number) =>
  view.days[day]!.slots.map((s) => s.startLocal.slice(11, 16));

describe("availability use cases", () => {
  it("offers nothing the busy calendar holds (with the service's buffer after), asking for the whole range", async () => {
    const asked: { start: Date; end: Date }[] = [];
    const view = await useCases({
      busy: {
        // 10:00-11:00 on Monday is booked: every start whose hour plus the 15-minute buffer meets it goes.
        busyIntervals: async (ids, range) => {
          asked.push(range);
          expect(ids).toEqual(["op-laura"]);
          return {
            "op-laura": [{ start: new Date("2026-04-13T08:00:00Z"), end: new Date("2026-04-13T09:00:00Z") }],
          };
        },
        bookingsPerDay: async () => ({}),
      },
    }).slots(staff, query);
    expect(starts(view, 0)).toEqual(["11:00", "11:15", "11:30", "11:45", "12:00"]);
    expect(starts(view, 1)).toHaveLength(13);
    expect(asked[0]!.start.getTime()).toBeLessThanOrEqual(Date.parse("2026-04-12T22:00:00Z"));
    expect(asked[0]!.end.getTime()).toBeGreaterThanOrEqual(Date.parse("2026-04-14T22:00:00Z"));
  });

  it("offers an in-person-only service only while a room large enough is free (any claim on a room)", async () => {
    const asked: string[][] = [];
    const view = await useCases({
      // Every room of lto-mantova taken 10:00-11:00 on Monday: accoglienza (in person only) is not offered then.
      rooms: async (kind, ids) => {
        asked.push([kind, ...ids]);
        const taken = [{ start: new Date("2026-04-13T08:00:00Z"), end: new Date("2026-04-13T09:00:00Z") }];
        return Object.fromEntries(ids.map((id) => [id, taken]));
      },
    }).slots(staff, { ...query, service: "accoglienza" });
    expect(starts(view, 0)).toEqual(["09:00", "11:00", "11:15", "11:30", "11:45", "12:00"]);
    expect(asked[0]).toEqual([
      "room",
      "lto-mantova-sala-1",
      "lto-mantova-sala-2",
      "lto-mantova-aula",
      "lto-mantova-fablab",
    ]);
    // A service also given remotely is offered whatever the rooms hold.
    expect(
      starts(await useCases({ rooms: async () => ({ never: [] }) }).slots(staff, query), 1),
    ).toHaveLength(13);
  });

  it("drops an operator on a day their bookings reach the daily cap", async () => {
    const view = await useCases({
      busy: {
        busyIntervals: async () => ({}),
        bookingsPerDay: async () => ({ "op-laura": { "2026-04-13": 2 } }),
      },
    }).slots(staff, query);
    expect(view.days[0]!.slots).toEqual([]);
    expect(view.days[1]!.slots).toHaveLength(13);
  });

  it("closes the days of EXTRA_CLOSED_DAYS, saying so", async () => {
    const view = await useCases({ extra: ["04-14"] }).slots(staff, query);
    expect(view.days[1]).toEqual({ date: "2026-04-14", closed: "Chiusura", slots: [] });
  });

  it("stops once the caller's deadline has passed", async () => {
    const gone = new UnavailableError("deadline passed", 1);
    await expect(
      useCases().slots(staff, query, () => {
        throw gone;
      }),
    ).rejects.toBe(gone);
  });

  it("passes the catalogue's refusal to answer on, and asks about the person's learner account", async () => {
    const down = new UnavailableError("catalogue down", 5);
    const asked: string[] = [];
    const gate = useCases({
      credentials: {
        check: async (subject) => {
          asked.push(subject);
          throw down;
        },
      },
    });
    await expect(gate.equipmentAccess(staff, "lto-mantova-cnc", "p-1")).rejects.toBe(down);
    expect(asked).toEqual(["learner-giulia"]);
  });
});
