import { describe, expect, it } from "vitest";
import {
  bookOnPath,
  confirmDelivery,
  correctDelivery,
  openPath,
  recordDelivery,
  reportRows,
  romeMonth,
  setFunder,
  setPlannedHours,
  summariseHours,
  timesheet,
  voidDelivery,
  type NewDelivery,
  type Path,
  type ReportRows,
  type ServiceRule,
} from "../../src/domain/path/index.js";

const MINUTE = 60_000;
const ACCOGLIENZA: ServiceRule = {
  code: "accoglienza",
  nameIt: "Accoglienza",
  requires: [],
  maxHoursPerPerson: 4,
};
const COACHING: ServiceRule = { code: "coaching", nameIt: "Coaching", requires: [], maxHoursPerPerson: 10 };
const CATALOGUE = [ACCOGLIENZA, COACHING];
const later = new Date("2026-05-01T10:00:00Z");

function path(id: string, site: string, minor = false): Path {
  return openPath(
    {
      id,
      holder: { kind: "person", personId: `person-${id}`, minor },
      site,
      origin: { kind: "reception" },
      funder: "dote_unica_lavoro",
    },
    "staff-1",
    new Date("2026-02-01T09:00:00Z"),
  ).path;
}

const delivery = (
  id: string,
  start: string,
  minutes: number,
  over: Partial<NewDelivery> = {},
): NewDelivery => ({
  id,
  serviceCode: "accoglienza",
  site: "lto-mantova",
  operatorId: "op-1",
  start: new Date(start),
  end: new Date(new Date(start).getTime() + minutes * MINUTE),
  outcome: "servizio_svolto",
  ...over,
});

describe("Rome months", () => {
  it("puts 23:30 on 31 March local in March and 00:30 on 1 April local in April, whatever the UTC day", () => {
    // 31 March 2026 is summer time (+2): 23:30 local is 21:30 UTC, still March either way.
    expect(romeMonth(new Date("2026-03-31T21:30:00Z"))).toBe("2026-03");
    // 00:30 on 1 April local is 22:30 UTC on 31 March: April in Rome.
    expect(romeMonth(new Date("2026-03-31T22:30:00Z"))).toBe("2026-04");
    // 00:30 on 1 March local (winter, +1) is 23:30 UTC on 28 February: March in Rome.
    expect(romeMonth(new Date("2026-02-28T23:30:00Z"))).toBe("2026-03");
  });
});

describe("a person's timesheet", () => {
  it("lists each delivery in Rome time with service, operator, hours, outcome and who confirmed it", () => {
    let p = path("a", "lto-mantova");
    p = recordDelivery(
      p,
      delivery("d2", "2026-03-31T21:30:00Z", 60, { serviceCode: "coaching", notes: "cv" }),
      "op-1",
      later,
    ).path;
    p = recordDelivery(p, delivery("d1", "2026-03-20T09:00:00Z", 95), "op-1", later).path;
    p = confirmDelivery(p, "d1", { by: "person-a", as: "person" }, later).path;
    const lines = timesheet(p, CATALOGUE);
    expect(lines.map((l) => l.deliveryId)).toEqual(["d1", "d2"]);
    expect(lines[0]).toEqual({
      pathId: "a",
      holderId: "person-a",
      deliveryId: "d1",
      date: "2026-03-20",
      serviceCode: "accoglienza",
      serviceNameIt: "Accoglienza",
      site: "lto-mantova",
      operatorId: "op-1",
      funder: "dote_unica_lavoro",
      start: "10:00",
      end: "11:35",
      endDate: "2026-03-20",
      startAt: new Date("2026-03-20T09:00:00Z"),
      endAt: new Date("2026-03-20T10:35:00Z"),
      minutes: 95,
      hours: 1.5,
      outcome: "servizio_svolto",
      outcomeIt: "Servizio svolto, percorso in corso",
      notes: "",
      revision: 1,
      corrected: false,
      signed: true,
      confirmedBy: "person-a",
      confirmedAs: "person",
      confirmedAt: later,
    });
    // 23:30 to 00:30 across the end of March: dated by its start, with the end's own day.
    expect(lines[1]).toMatchObject({
      date: "2026-03-31",
      start: "23:30",
      end: "00:30",
      endDate: "2026-04-01",
      serviceNameIt: "Coaching",
      signed: false,
    });
    expect(lines[1]!.confirmedBy).toBeUndefined();
  });

  it("shows a corrected line unsigned until re-confirmed, and leaves voided deliveries out", () => {
    let p = path("a", "lto-mantova");
    p = recordDelivery(p, delivery("d1", "2026-03-20T09:00:00Z", 60), "op-1", later).path;
    p = recordDelivery(p, delivery("d2", "2026-03-21T09:00:00Z", 60), "op-1", later).path;
    p = confirmDelivery(p, "d1", { by: "person-a", as: "person" }, later).path;
    p = correctDelivery(p, "d1", { outcome: "cv_prodotto" }, "CV finished", "op-1", later).path;
    p = voidDelivery(p, "d2", "wrong person", "staff-1", later).path;
    const lines = timesheet(p);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ revision: 2, corrected: true, signed: false, outcome: "cv_prodotto" });
    expect(lines[0]!.serviceNameIt).toBe("accoglienza"); // no catalogue: the code
  });
});

describe("hours per site, service, operator, month and funder", () => {
  function twoPaths(): Path[] {
    let a = path("a", "lto-mantova");
    a = setPlannedHours(a, COACHING, 6, "staff-1", later).path;
    a = setPlannedHours(a, ACCOGLIENZA, 2, "staff-1", later).path;
    a = recordDelivery(a, delivery("a1", "2026-03-31T21:30:00Z", 60), "op-1", later).path; // 23:30 on 31 March
    a = confirmDelivery(a, "a1", { by: "person-a", as: "person" }, later).path;
    a = recordDelivery(
      a,
      delivery("a2", "2026-03-31T22:30:00Z", 90, { serviceCode: "coaching", operatorId: "op-2" }),
      "op-2",
      later,
    ).path; // 00:30 on 1 April
    a = bookOnPath(
      a,
      {
        bookingId: "ab",
        site: "lto-mantova",
        operatorId: "op-2",
        start: new Date("2026-05-04T08:00:00Z"),
        end: new Date("2026-05-04T10:00:00Z"),
      },
      COACHING,
      "staff-1",
      later,
    ).path;
    let b = path("b", "lto-viadana", true);
    b = setFunder(b, "garanzia_giovani", "eligible", "staff-2", later).path;
    b = setPlannedHours(b, ACCOGLIENZA, 1, "staff-2", later).path;
    b = recordDelivery(
      b,
      delivery("b1", "2026-03-10T08:00:00Z", 45, { site: "lto-viadana", operatorId: "op-3" }),
      "op-3",
      later,
    ).path;
    b = recordDelivery(
      b,
      delivery("b2", "2026-03-11T08:00:00Z", 60, { site: "lto-viadana", operatorId: "op-3" }),
      "op-3",
      later,
    ).path;
    b = voidDelivery(b, "b2", "duplicate", "staff-2", later).path;
    return [a, b];
  }

  it("flattens paths into plan, booking and delivery rows (voided deliveries and past bookings left out)", () => {
    const rows = reportRows(twoPaths());
    expect(rows.planned).toEqual([
      { site: "lto-mantova", serviceCode: "coaching", funder: "dote_unica_lavoro", hours: 6 },
      { site: "lto-mantova", serviceCode: "accoglienza", funder: "dote_unica_lavoro", hours: 2 },
      { site: "lto-viadana", serviceCode: "accoglienza", funder: "garanzia_giovani", hours: 1 },
    ]);
    expect(rows.booked).toEqual([
      {
        site: "lto-mantova",
        serviceCode: "coaching",
        operatorId: "op-2",
        funder: "dote_unica_lavoro",
        start: new Date("2026-05-04T08:00:00Z"),
        hours: 2,
      },
    ]);
    expect(rows.delivered.map((d) => [d.operatorId, d.hours, d.signed])).toEqual([
      ["op-1", 1, true],
      ["op-2", 1.5, false],
      ["op-3", 0.75, false],
    ]);
  });

  it("sums per Rome month: 23:30 on 31 March is March, 00:30 on 1 April is April; plans have no month", () => {
    const lines = summariseHours(reportRows(twoPaths()), ["month"]);
    expect(lines).toEqual([
      {
        key: { month: "2026-03" },
        plannedHours: 0,
        bookedHours: 0,
        deliveredHours: 1.75,
        signedHours: 1,
        deliveries: 2,
      },
      {
        key: { month: "2026-04" },
        plannedHours: 0,
        bookedHours: 0,
        deliveredHours: 1.5,
        signedHours: 0,
        deliveries: 1,
      },
      {
        key: { month: "2026-05" },
        plannedHours: 0,
        bookedHours: 2,
        deliveredHours: 0,
        signedHours: 0,
        deliveries: 0,
      },
      {
        key: { month: null },
        plannedHours: 9,
        bookedHours: 0,
        deliveredHours: 0,
        signedHours: 0,
        deliveries: 0,
      },
    ]);
  });

  it("sums per site and service, per operator, and per funder", () => {
    const rows = reportRows(twoPaths());
    expect(
      summariseHours(rows, ["site", "serviceCode"]).map((l) => [
        l.key.site,
        l.key.serviceCode,
        l.plannedHours,
        l.deliveredHours,
      ]),
    ).toEqual([
      ["lto-mantova", "accoglienza", 2, 1],
      ["lto-mantova", "coaching", 6, 1.5],
      ["lto-viadana", "accoglienza", 1, 0.75],
    ]);
    expect(
      summariseHours(rows, ["operatorId"]).map((l) => [l.key.operatorId, l.deliveredHours, l.bookedHours]),
    ).toEqual([
      ["op-1", 1, 0],
      ["op-2", 1.5, 2],
      ["op-3", 0.75, 0],
      [null, 0, 0],
    ]);
    expect(
      summariseHours(rows, ["funder"]).map((l) => [l.key.funder, l.plannedHours, l.deliveredHours]),
    ).toEqual([
      ["dote_unica_lavoro", 8, 2.5],
      ["garanzia_giovani", 1, 0.75],
    ]);
  });

  it("gives one grand total with no dimension, and nothing for no rows", () => {
    expect(summariseHours(reportRows(twoPaths()), [])).toEqual([
      { key: {}, plannedHours: 9, bookedHours: 2, deliveredHours: 3.25, signedHours: 1, deliveries: 3 },
    ]);
    const none: ReportRows = { planned: [], booked: [], delivered: [] };
    expect(summariseHours(none, ["site"])).toEqual([]);
  });

  it("reports each delivery to the funder of its path when it was delivered", () => {
    let p = path("a", "lto-mantova");
    p = recordDelivery(p, delivery("d1", "2026-03-20T09:00:00Z", 60), "op-1", later).path;
    p = setFunder(p, "garanzia_giovani", "moved to Garanzia Giovani", "staff-1", later).path;
    p = recordDelivery(p, delivery("d2", "2026-04-20T09:00:00Z", 60), "op-1", later).path;
    expect(summariseHours(reportRows([p]), ["funder"]).map((l) => [l.key.funder, l.deliveredHours])).toEqual([
      ["dote_unica_lavoro", 1],
      ["garanzia_giovani", 1],
    ]);
  });
});
