import { firstInstantAtOrAfter, zonedToInstant } from "@lto/civil-time";
import { describe, expect, it } from "vitest";
import {
  availableSlots,
  romeWallClock,
  type AvailabilityQuery,
  type OperatorSchedule,
  type Slot,
  type SlotRules,
} from "../../src/domain/availability/index.js";

const rules = (overrides: Partial<SlotRules> = {}): SlotRules => ({
  durationMinutes: 60,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minNoticeMinutes: 0,
  horizonDays: 60,
  stepMinutes: 30,
  operatorProfile: "orientatore",
  ...overrides,
});

const operator = (overrides: Partial<OperatorSchedule> = {}): OperatorSchedule => ({
  operatorId: "op-anna",
  profiles: ["orientatore"],
  plan: [],
  exceptions: [],
  ...overrides,
});

const query = (overrides: Partial<AvailabilityQuery>): AvailabilityQuery => ({
  rules: rules(),
  site: "mn-centro",
  from: "2026-05-04",
  to: "2026-05-04",
  operators: [],
  now: new Date("2026-05-01T08:00:00Z"),
  ...overrides,
});

/** "01:00+01:00-03:00+02:00 op-a,op-b": what a person reads, offsets included. */
const show = (slots: Slot[]) =>
  slots.map(
    (s) =>
      `${s.date} ${s.startLocal.time}${s.startLocal.offset}${s.startLocal.occurrence ? `(${s.startLocal.occurrence})` : ""}` +
      `-${s.endLocal.time}${s.endLocal.offset}${s.endLocal.occurrence ? `(${s.endLocal.occurrence})` : ""} ${s.operatorIds.join(",")}`,
  );

describe("plan times on the days the clocks change", () => {
  it("reads a time in the spring gap as the instant the clocks jump, a repeated time as its first occurrence", () => {
    expect(firstInstantAtOrAfter({ date: "2026-03-29", time: "02:30" }).toISOString()).toBe(
      "2026-03-29T01:00:00.000Z",
    );
    expect(firstInstantAtOrAfter({ date: "2026-03-29", time: "02:00" }).toISOString()).toBe(
      "2026-03-29T01:00:00.000Z",
    );
    expect(firstInstantAtOrAfter({ date: "2026-03-29", time: "03:00" }).toISOString()).toBe(
      "2026-03-29T01:00:00.000Z",
    );
    expect(firstInstantAtOrAfter({ date: "2026-03-29", time: "01:59" }).toISOString()).toBe(
      "2026-03-29T00:59:00.000Z",
    );
    expect(firstInstantAtOrAfter({ date: "2026-10-25", time: "02:30" }).toISOString()).toBe(
      "2026-10-25T00:30:00.000Z",
    );
    expect(firstInstantAtOrAfter({ date: "2026-10-25", time: "03:00" }).toISOString()).toBe(
      "2026-10-25T02:00:00.000Z",
    );
    expect(firstInstantAtOrAfter({ date: "2026-05-04", time: "09:00" }).toISOString()).toBe(
      "2026-05-04T07:00:00.000Z",
    );
  });

  it("labels an instant with its offset, and which occurrence when the time happens twice", () => {
    expect(romeWallClock(new Date("2026-10-25T00:30:00Z"))).toEqual({
      date: "2026-10-25",
      time: "02:30",
      offset: "+02:00",
      occurrence: "earlier",
    });
    expect(romeWallClock(new Date("2026-10-25T01:30:00Z"))).toEqual({
      date: "2026-10-25",
      time: "02:30",
      offset: "+01:00",
      occurrence: "later",
    });
    expect(romeWallClock(new Date("2026-03-29T01:00:00Z"))).toEqual({
      date: "2026-03-29",
      time: "03:00",
      offset: "+02:00",
    });
  });
});

describe("available slots: ordinary days", () => {
  const anna = operator({
    plan: [
      {
        weekday: 1,
        site: "mn-centro",
        hours: { start: "09:00", end: "13:00" },
        breaks: [{ start: "11:00", end: "11:15" }],
      },
      { weekday: 1, site: "mn-centro", hours: { start: "14:00", end: "16:00" }, breaks: [] },
      { weekday: 1, site: "mn-lunetta", hours: { start: "16:00", end: "18:00" }, breaks: [] },
    ],
  });
  const bruno = operator({
    operatorId: "op-bruno",
    plan: [{ weekday: 1, site: "mn-centro", hours: { start: "09:00", end: "12:00" }, breaks: [] }],
  });

  it("offers steps from each stretch's start that fit the stretch and miss the break, operators merged", () => {
    expect(show(availableSlots(query({ operators: [bruno, anna] })))).toEqual([
      "2026-05-04 09:00+02:00-10:00+02:00 op-anna,op-bruno",
      "2026-05-04 09:30+02:00-10:30+02:00 op-anna,op-bruno",
      "2026-05-04 10:00+02:00-11:00+02:00 op-anna,op-bruno",
      "2026-05-04 10:30+02:00-11:30+02:00 op-bruno",
      "2026-05-04 11:00+02:00-12:00+02:00 op-bruno",
      "2026-05-04 11:30+02:00-12:30+02:00 op-anna",
      "2026-05-04 12:00+02:00-13:00+02:00 op-anna",
      "2026-05-04 14:00+02:00-15:00+02:00 op-anna",
      "2026-05-04 14:30+02:00-15:30+02:00 op-anna",
      "2026-05-04 15:00+02:00-16:00+02:00 op-anna",
    ]);
  });

  it("keeps buffers clear of bookings but lets them reach past the stretch's edges", () => {
    const slots = availableSlots(
      query({
        rules: rules({ bufferBeforeMinutes: 15, bufferAfterMinutes: 15 }),
        operators: [anna],
        busy: {
          "op-anna": [{ start: new Date("2026-05-04T10:15:00Z"), end: new Date("2026-05-04T10:45:00Z") }],
        },
      }),
    );
    // 12:15-12:45 busy: 11:30 (ends 12:30, +15 = 12:45) and 12:00 clash; 09:00 starts at opening.
    expect(show(slots)).toEqual([
      "2026-05-04 09:00+02:00-10:00+02:00 op-anna",
      "2026-05-04 09:30+02:00-10:30+02:00 op-anna",
      "2026-05-04 10:00+02:00-11:00+02:00 op-anna",
      "2026-05-04 14:00+02:00-15:00+02:00 op-anna",
      "2026-05-04 14:30+02:00-15:30+02:00 op-anna",
      "2026-05-04 15:00+02:00-16:00+02:00 op-anna",
    ]);
  });

  it("drops starts before the notice, days past the horizon, closed days and operators at their cap", () => {
    const mondays = (q: Partial<AvailabilityQuery>) =>
      availableSlots(query({ operators: [anna, bruno], from: "2026-05-04", to: "2026-06-01", ...q }));
    const now = new Date("2026-05-04T08:10:00Z"); // 10:10 in Rome
    const days = (slots: Slot[]) => [...new Set(slots.map((s) => s.date))];
    expect(days(mondays({ now, rules: rules({ horizonDays: 14 }) }))).toEqual([
      "2026-05-04",
      "2026-05-11",
      "2026-05-18",
    ]);
    // 1 June is not a holiday, 2 June is; a Monday closed by the site has no slots.
    expect(
      days(mondays({ now, closedDays: { closed: [{ date: "2026-05-11", name: "Inventario" }] } })),
    ).toEqual(["2026-05-04", "2026-05-18", "2026-05-25", "2026-06-01"]);
    const first = mondays({ now, to: "2026-05-04", rules: rules({ minNoticeMinutes: 60 }) });
    expect(first[0]?.startLocal.time).toBe("11:30"); // 11:10 + the grid: 11:30 (11:00 would hit the break)
    const capped = mondays({ now, to: "2026-05-11", bookingsPerDay: { "op-anna": { "2026-05-04": 3 } } });
    expect(new Set(capped.filter((s) => s.date === "2026-05-04").flatMap((s) => s.operatorIds))).toEqual(
      new Set(["op-anna", "op-bruno"]),
    );
    const cappedAnna = operator({ ...anna, dailyCap: 3 });
    const atCap = availableSlots(
      query({
        now,
        to: "2026-05-11",
        operators: [cappedAnna],
        bookingsPerDay: { "op-anna": { "2026-05-04": 3 } },
      }),
    );
    expect(days(atCap)).toEqual(["2026-05-11"]);
  });

  it("closes an operator on leave, whole day or hours, and opens extra hours at the site", () => {
    const onLeave = operator({
      ...anna,
      exceptions: [
        { kind: "leave", date: "2026-05-04", hours: { start: "09:00", end: "12:00" } },
        { kind: "leave", date: "2026-05-11" },
        { kind: "extra", date: "2026-05-05", site: "mn-centro", hours: { start: "15:00", end: "16:30" } },
        { kind: "extra", date: "2026-05-06", site: "mn-lunetta", hours: { start: "15:00", end: "16:30" } },
      ],
    });
    const slots = availableSlots(query({ operators: [onLeave], to: "2026-05-11" }));
    expect(show(slots)).toEqual([
      "2026-05-04 12:00+02:00-13:00+02:00 op-anna",
      "2026-05-04 14:00+02:00-15:00+02:00 op-anna",
      "2026-05-04 14:30+02:00-15:30+02:00 op-anna",
      "2026-05-04 15:00+02:00-16:00+02:00 op-anna",
      "2026-05-05 15:00+02:00-16:00+02:00 op-anna",
      "2026-05-05 15:30+02:00-16:30+02:00 op-anna",
    ]);
  });

  it("joins touching plan lines and extra hours into one stretch, steps running on from its start", () => {
    const joined = operator({
      plan: [{ weekday: 1, site: "mn-centro", hours: { start: "09:00", end: "10:00" }, breaks: [] }],
      exceptions: [
        { kind: "extra", date: "2026-05-04", site: "mn-centro", hours: { start: "10:00", end: "11:00" } },
      ],
    });
    expect(show(availableSlots(query({ operators: [joined], rules: rules({ stepMinutes: 45 }) })))).toEqual([
      "2026-05-04 09:00+02:00-10:00+02:00 op-anna",
      "2026-05-04 09:45+02:00-10:45+02:00 op-anna",
    ]);
  });

  it("respects a plan's validity and ignores operators without the profile", () => {
    const dated = operator({
      plan: [
        {
          weekday: 1,
          site: "mn-centro",
          hours: { start: "09:00", end: "10:00" },
          breaks: [],
          validFrom: "2026-05-11",
          validTo: "2026-05-18",
        },
      ],
    });
    const counsellor = operator({ ...dated, operatorId: "op-carla", profiles: ["consulente_autoimpiego"] });
    const slots = availableSlots(query({ operators: [dated, counsellor], to: "2026-05-31" }));
    expect(show(slots)).toEqual([
      "2026-05-11 09:00+02:00-10:00+02:00 op-anna",
      "2026-05-18 09:00+02:00-10:00+02:00 op-anna",
    ]);
  });

  it("refuses rules and ranges it cannot compute", () => {
    expect(() => availableSlots(query({ rules: rules({ durationMinutes: 0 }) }))).toThrow(/durationMinutes/);
    expect(() => availableSlots(query({ rules: rules({ stepMinutes: 7.5 }) }))).toThrow(/stepMinutes/);
    expect(() => availableSlots(query({ rules: rules({ bufferAfterMinutes: -5 }) }))).toThrow(/bufferAfter/);
    expect(() => availableSlots(query({ from: "2026-13-01" }))).toThrow(/from 2026-13-01/);
    expect(() => availableSlots(query({ now: new Date(Number.NaN) }))).toThrow(/now/);
    expect(availableSlots(query({ operators: [anna], from: "2026-05-05", to: "2026-05-04" }))).toEqual([]);
  });
});

describe("available slots on the days the clocks change (2026)", () => {
  const night = (weekday: 7, start: string, end: string, breaks: { start: string; end: string }[] = []) =>
    operator({ plan: [{ weekday, site: "mn-centro", hours: { start, end }, breaks }] });
  const on = (
    date: string,
    ops: OperatorSchedule[],
    r: Partial<SlotRules> = {},
    busy?: AvailabilityQuery["busy"],
  ) =>
    availableSlots(
      query({
        from: date,
        to: date,
        operators: ops,
        rules: rules(r),
        now: new Date(Date.parse(date) - 86_400_000),
        busy,
      }),
    );

  it("29 March: 01:00-04:00 lasts two real hours; starts keep real time across the gap", () => {
    const slots = on("2026-03-29", [night(7, "01:00", "04:00")]);
    expect(show(slots)).toEqual([
      "2026-03-29 01:00+01:00-03:00+02:00 op-anna",
      "2026-03-29 01:30+01:00-03:30+02:00 op-anna",
      "2026-03-29 03:00+02:00-04:00+02:00 op-anna",
    ]);
    expect(slots.map((s) => s.start.toISOString())).toEqual([
      "2026-03-29T00:00:00.000Z",
      "2026-03-29T00:30:00.000Z",
      "2026-03-29T01:00:00.000Z",
    ]);
    expect(slots.every((s) => s.end.getTime() - s.start.getTime() === 3_600_000)).toBe(true);
  });

  it("29 March: a stretch starting in the gap starts when the clocks jump; one inside it is empty", () => {
    expect(show(on("2026-03-29", [night(7, "02:00", "03:30")], { durationMinutes: 30 }))).toEqual([
      "2026-03-29 03:00+02:00-03:30+02:00 op-anna",
    ]);
    expect(on("2026-03-29", [night(7, "02:10", "02:50")], { durationMinutes: 5, stepMinutes: 5 })).toEqual(
      [],
    );
    // 01:40 + 20 minutes of real time is 03:00 summer time; steps of 20 from 01:40 land on 03:00, 03:20.
    expect(
      show(on("2026-03-29", [night(7, "01:40", "03:40")], { durationMinutes: 20, stepMinutes: 20 })),
    ).toEqual([
      "2026-03-29 01:40+01:00-03:00+02:00 op-anna",
      "2026-03-29 03:00+02:00-03:20+02:00 op-anna",
      "2026-03-29 03:20+02:00-03:40+02:00 op-anna",
    ]);
  });

  it("25 October: 01:00-04:00 lasts four real hours and offers the repeated hour twice", () => {
    const slots = on("2026-10-25", [night(7, "01:00", "04:00")], { stepMinutes: 60 });
    expect(show(slots)).toEqual([
      "2026-10-25 01:00+02:00-02:00+02:00(earlier) op-anna",
      "2026-10-25 02:00+02:00(earlier)-02:00+01:00(later) op-anna",
      "2026-10-25 02:00+01:00(later)-03:00+01:00 op-anna",
      "2026-10-25 03:00+01:00-04:00+01:00 op-anna",
    ]);
    expect(slots[0]?.start.toISOString()).toBe("2026-10-24T23:00:00.000Z");
    expect(slots[0]?.date).toBe("2026-10-25");
  });

  it("25 October: a break at 02:15-02:30 is its first occurrence; busy time with buffers removes more", () => {
    const busy = {
      "op-anna": [{ start: new Date("2026-10-25T02:00:00Z"), end: new Date("2026-10-25T02:30:00Z") }],
    };
    const slots = on(
      "2026-10-25",
      [night(7, "01:00", "04:00", [{ start: "02:15", end: "02:30" }])],
      {},
      busy,
    );
    // Busy 03:00-03:30 winter time: a slot may end at 03:00 (winter); none fits after it before 04:00.
    expect(show(slots)).toEqual([
      "2026-10-25 01:00+02:00-02:00+02:00(earlier) op-anna",
      "2026-10-25 02:30+02:00(earlier)-02:30+01:00(later) op-anna",
      "2026-10-25 02:00+01:00(later)-03:00+01:00 op-anna",
    ]);
    const buffered = on(
      "2026-10-25",
      [night(7, "01:00", "04:00", [{ start: "02:15", end: "02:30" }])],
      { bufferAfterMinutes: 10 },
      busy,
    );
    expect(show(buffered)).toEqual([
      "2026-10-25 01:00+02:00-02:00+02:00(earlier) op-anna",
      "2026-10-25 02:30+02:00(earlier)-02:30+01:00(later) op-anna",
    ]);
  });

  it("gives labels that round-trip through zonedToInstant", () => {
    const slots = [
      ...on("2026-03-29", [night(7, "00:00", "05:00")], { stepMinutes: 10 }),
      ...on("2026-10-25", [night(7, "00:00", "05:00")], { stepMinutes: 10 }),
    ];
    expect(slots.length).toBeGreaterThan(40);
    for (const slot of slots)
      for (const [local, instant] of [
        [slot.startLocal, slot.start],
        [slot.endLocal, slot.end],
      ] as const)
        expect(zonedToInstant(local, local.occurrence ?? "reject").toISOString()).toBe(instant.toISOString());
  });
});
