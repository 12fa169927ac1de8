// Property tests of the availability engine around the days the clocks change (last Sundays of March and
// October, 2024-2030), against a brute-force reference that walks real time minute by minute and reads
// Rome's wall clock with its own Intl formatter (not the engine's interval arithmetic nor civil-time's
// conversions): the same edge rules, computed another way.
import { addDays, lastSundayOf, startOfRomeDay, zonedToInstant, type LocalDate } from "@lto/civil-time";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  availableSlots,
  isClosedDay,
  type AvailabilityQuery,
  type BusyInterval,
  type ClosedDays,
  type OperatorSchedule,
  type PlanException,
  type Slot,
  type TimeRange,
  type Weekday,
  type WorkingPlanEntry,
} from "../../src/domain/availability/index.js";

const MINUTE = 60_000;
const SITE = "mn-centro";
const PROFILE = "orientatore";

const romeClock = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Rome",
  hourCycle: "h23",
  hour: "2-digit",
  minute: "2-digit",
});

interface DayModel {
  /** The instant of each real minute of the Rome day, and its wall-clock minute of the day. */
  instants: number[];
  wall: number[];
}
const days = new Map<LocalDate, DayModel>();
function dayModel(date: LocalDate): DayModel {
  let model = days.get(date);
  if (!model) {
    const start = startOfRomeDay(date).getTime();
    const end = startOfRomeDay(addDays(date, 1)).getTime();
    const instants: number[] = [];
    const wall: number[] = [];
    for (let t = start; t < end; t += MINUTE) {
      const [h, m] = romeClock.format(new Date(t)).split(":").map(Number) as [number, number];
      instants.push(t);
      wall.push(h * 60 + m);
    }
    model = { instants, wall };
    days.set(date, model);
  }
  return model;
}

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** The index of the first real minute of the day whose wall clock reads `time` or later. */
function firstAtOrAfter(model: DayModel, time: string): number {
  const wanted = minutesOf(time);
  const index = model.wall.findIndex((w) => w >= wanted);
  return index === -1 ? model.wall.length : index;
}

function covered(model: DayModel, ranges: TimeRange[]): boolean[] {
  const marks = model.instants.map(() => false);
  for (const range of ranges)
    for (let i = firstAtOrAfter(model, range.start); i < firstAtOrAfter(model, range.end); i++)
      marks[i] = true;
  return marks;
}

const weekdayOf = (date: LocalDate) => (new Date(`${date}T00:00:00Z`).getUTCDay() || 7) as Weekday;

function planOf(op: OperatorSchedule, date: LocalDate) {
  const lines = op.plan.filter(
    (l) =>
      l.weekday === weekdayOf(date) &&
      l.site === SITE &&
      (!l.validFrom || l.validFrom <= date) &&
      (!l.validTo || date <= l.validTo),
  );
  const exceptions = op.exceptions.filter((e) => e.date === date);
  const hours = [
    ...lines.map((l) => l.hours),
    ...exceptions.flatMap((e) => (e.kind === "extra" && e.site === SITE ? [e.hours] : [])),
  ];
  const blocked = [
    ...lines.flatMap((l) => l.breaks),
    ...exceptions.flatMap((e) => (e.kind === "leave" && e.hours ? [e.hours] : [])),
  ];
  const offAllDay = exceptions.some((e) => e.kind === "leave" && !e.hours);
  return { hours, blocked, offAllDay };
}

const inBusy = (t: number, busy: readonly BusyInterval[]) =>
  busy.some((b) => b.start.getTime() <= t && t < b.end.getTime());

/** Every (start instant, operator) the rules allow, walking each day's real minutes. */
function reference(q: AvailabilityQuery): Set<string> {
  const r = q.rules;
  const step = r.stepMinutes ?? 15;
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Rome" }).format(q.now);
  const lastDay = addDays(today, r.horizonDays);
  const found = new Set<string>();
  for (let date = q.from; date <= q.to; date = addDays(date, 1)) {
    if (date < today || date > lastDay || isClosedDay(date, q.closedDays)) continue;
    const model = dayModel(date);
    for (const op of q.operators) {
      if (!op.profiles.includes(r.operatorProfile)) continue;
      if (op.dailyCap !== undefined && (q.bookingsPerDay?.[op.operatorId]?.[date] ?? 0) >= op.dailyCap)
        continue;
      const plan = planOf(op, date);
      if (plan.offAllDay) continue;
      const open = covered(model, plan.hours);
      const blocked = covered(model, plan.blocked);
      const busy = q.busy?.[op.operatorId] ?? [];
      for (let anchor = 0; anchor < open.length; anchor++) {
        if (!open[anchor] || (anchor > 0 && open[anchor - 1])) continue;
        let runEnd = anchor;
        while (runEnd < open.length && open[runEnd]) runEnd++;
        for (let s = anchor; s + r.durationMinutes <= runEnd; s += step) {
          const start = model.instants[s]!;
          if (start < q.now.getTime() + r.minNoticeMinutes * MINUTE) continue;
          let ok = true;
          for (let i = s; i < s + r.durationMinutes && ok; i++) if (blocked[i]) ok = false;
          for (let m = -r.bufferBeforeMinutes; m < r.durationMinutes + r.bufferAfterMinutes && ok; m++)
            if (inBusy(start + m * MINUTE, busy)) ok = false;
          if (ok) found.add(`${new Date(start).toISOString()} ${op.operatorId}`);
        }
      }
    }
  }
  return found;
}

const flatten = (slots: Slot[]) =>
  new Set(slots.flatMap((s) => s.operatorIds.map((id) => `${s.start.toISOString()} ${id}`)));

// ---- generators: plans, exceptions, busy time and ranges around the clock changes ----

const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
/** A wall-clock minute, often in the small hours where the clocks change. */
const wallMinute = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 60 }).map((m) => m * 5) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 10 }).map((m) => m * 30) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 287 }).map((m) => m * 5) },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 240 }) },
);
const timeRange: fc.Arbitrary<TimeRange> = fc
  .tuple(wallMinute, wallMinute)
  .filter(([a, b]) => a !== b)
  .map(([a, b]) => ({ start: hhmm(Math.min(a, b)), end: hhmm(Math.max(a, b)) }));

/** Undefined three times in four. */
const rarely = <T>(value: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: value });

/** A break or leave: a short stretch, often in the small hours. */
const shortRange: fc.Arbitrary<TimeRange> = fc
  .tuple(wallMinute, fc.integer({ min: 1, max: 60 }))
  .filter(([start, long]) => start + long < 24 * 60)
  .map(([start, long]) => ({ start: hhmm(start), end: hhmm(start + long) }));

const scenario: fc.Arbitrary<AvailabilityQuery> = fc
  .record({
    year: fc.integer({ min: 2024, max: 2030 }),
    month: fc.constantFrom(3, 10),
    fromShift: fc.integer({ min: -1, max: 0 }),
    length: fc.integer({ min: 0, max: 2 }),
    nowShiftMinutes: fc.oneof(fc.integer({ min: -3 * 1440, max: 0 }), fc.integer({ min: -1440, max: 1440 })),
  })
  .chain(({ year, month, fromShift, length, nowShiftMinutes }) => {
    const sunday = lastSundayOf(year, month);
    const from = addDays(sunday, fromShift);
    const to = addDays(from, length);
    const dates = [addDays(from, -1), from, addDays(from, 1), addDays(from, 2), to];
    const date = fc.constantFrom(...dates);
    const planLine: fc.Arbitrary<WorkingPlanEntry> = fc.record(
      {
        weekday: fc.oneof(
          { weight: 3, arbitrary: fc.constant(weekdayOf(sunday)) },
          { weight: 2, arbitrary: fc.constantFrom<Weekday>(6, 1) },
          { weight: 1, arbitrary: fc.constantFrom<Weekday>(1, 2, 3, 4, 5, 6, 7) },
        ),
        site: fc.constantFrom(SITE, SITE, "mn-lunetta"),
        hours: timeRange,
        breaks: fc.array(shortRange, { maxLength: 2 }),
        validFrom: rarely(date),
        validTo: rarely(date),
      },
      { requiredKeys: ["weekday", "site", "hours", "breaks"] },
    );
    const exception: fc.Arbitrary<PlanException> = fc.oneof(
      fc.record({ kind: fc.constant("leave" as const), date }),
      fc.record({ kind: fc.constant("leave" as const), date, hours: shortRange }),
      fc.record({
        kind: fc.constant("extra" as const),
        date,
        site: fc.constantFrom(SITE, "mn-lunetta"),
        hours: timeRange,
      }),
    );
    const base = startOfRomeDay(from).getTime();
    const busyInterval: fc.Arbitrary<BusyInterval> = fc
      .tuple(fc.integer({ min: -120, max: 4 * 288 }), fc.integer({ min: 1, max: 36 }))
      .map(([at, long]) => ({
        start: new Date(base + at * 5 * MINUTE),
        end: new Date(base + (at + long) * 5 * MINUTE),
      }));
    const operator = (operatorId: string): fc.Arbitrary<OperatorSchedule> =>
      fc.record(
        {
          operatorId: fc.constant(operatorId),
          profiles: fc.oneof(
            { weight: 4, arbitrary: fc.constant<string[]>([PROFILE]) },
            { weight: 1, arbitrary: fc.constant<string[]>(["tutor"]) },
          ),
          plan: fc.array(planLine, { minLength: 1, maxLength: 4 }),
          exceptions: fc.array(exception, { maxLength: 2 }),
          dailyCap: rarely(fc.integer({ min: 0, max: 3 })),
        },
        { requiredKeys: ["operatorId", "profiles", "plan", "exceptions"] },
      );
    const closedDays: fc.Arbitrary<ClosedDays> = fc.record(
      {
        closed: rarely(fc.tuple(fc.record({ date, name: fc.constant("Chiusura") }))),
        opened: rarely(fc.tuple(date)),
      },
      { requiredKeys: [] },
    );
    return fc.record(
      {
        rules: fc.record(
          {
            durationMinutes: fc.oneof(
              { weight: 3, arbitrary: fc.constantFrom(15, 30, 45, 60, 90) },
              { weight: 1, arbitrary: fc.integer({ min: 1, max: 150 }) },
            ),
            bufferBeforeMinutes: fc.integer({ min: 0, max: 30 }),
            bufferAfterMinutes: fc.integer({ min: 0, max: 30 }),
            minNoticeMinutes: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 24 * 60 })),
            horizonDays: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(30)),
            stepMinutes: fc.oneof(fc.constantFrom(5, 10, 15, 20, 30, 60), fc.integer({ min: 1, max: 90 })),
            operatorProfile: fc.constant(PROFILE),
          },
          {
            requiredKeys: [
              "durationMinutes",
              "bufferBeforeMinutes",
              "bufferAfterMinutes",
              "minNoticeMinutes",
              "horizonDays",
              "operatorProfile",
            ],
          },
        ),
        site: fc.constant(SITE),
        from: fc.constant(from),
        to: fc.constant(to),
        operators: fc
          .uniqueArray(fc.constantFrom("op-a", "op-b", "op-c"), { minLength: 1, maxLength: 3 })
          .chain((ids) => fc.tuple(...ids.map(operator))),
        busy: fc.record({
          "op-a": fc.array(busyInterval, { maxLength: 3 }),
          "op-b": fc.array(busyInterval, { maxLength: 3 }),
          "op-c": fc.array(busyInterval, { maxLength: 3 }),
        }),
        bookingsPerDay: fc.record({
          "op-a": fc.dictionary(date, fc.integer({ min: 0, max: 2 }), { maxKeys: 2 }),
        }),
        closedDays,
        now: fc.constant(new Date(startOfRomeDay(from).getTime() + nowShiftMinutes * MINUTE)),
      },
      { requiredKeys: ["rules", "site", "from", "to", "operators", "now"] },
    );
  });

const RUNS = 300;
const TIMEOUT = 60_000;

describe("availability around the clock changes (property tests, 2024-2030)", () => {
  it(
    "agrees with a minute-by-minute brute force over real time",
    () => {
      fc.assert(
        fc.property(scenario, (q) => {
          expect([...flatten(availableSlots(q))].sort()).toEqual([...reference(q)].sort());
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    "gives slots of exactly the service's real length, inside a stretch, clear of breaks, leave and busy time",
    () => {
      fc.assert(
        fc.property(scenario, (q) => {
          const slots = availableSlots(q);
          const opDays = new Map<
            string,
            { plan: ReturnType<typeof planOf>; open: boolean[]; blocked: boolean[] }
          >();
          const opDay = (op: OperatorSchedule, date: LocalDate) => {
            const key = `${op.operatorId} ${date}`;
            let day = opDays.get(key);
            if (!day) {
              const plan = planOf(op, date);
              day = {
                plan,
                open: covered(dayModel(date), plan.hours),
                blocked: covered(dayModel(date), plan.blocked),
              };
              opDays.set(key, day);
            }
            return day;
          };
          const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Rome" }).format(q.now);
          for (const slot of slots) {
            const start = slot.start.getTime();
            const end = slot.end.getTime();
            expect(end - start).toBe(q.rules.durationMinutes * MINUTE);
            expect(start).toBeGreaterThanOrEqual(q.now.getTime() + q.rules.minNoticeMinutes * MINUTE);
            expect(slot.date >= q.from && slot.date <= q.to && slot.date >= today).toBe(true);
            expect(slot.date <= addDays(today, q.rules.horizonDays)).toBe(true);
            expect(isClosedDay(slot.date, q.closedDays)).toBe(false);
            const model = dayModel(slot.date);
            const first = model.instants.indexOf(start);
            expect(first).toBeGreaterThanOrEqual(0);
            for (const id of slot.operatorIds) {
              const op = q.operators.find((o) => o.operatorId === id)!;
              expect(op.profiles).toContain(q.rules.operatorProfile);
              if (op.dailyCap !== undefined)
                expect(q.bookingsPerDay?.[id]?.[slot.date] ?? 0).toBeLessThan(op.dailyCap);
              const { plan, open, blocked } = opDay(op, slot.date);
              expect(plan.offAllDay).toBe(false);
              const minutes = [...Array(q.rules.durationMinutes).keys()].map((i) => first + i);
              expect(
                minutes.every((i) => open[i]),
                `${slot.start.toISOString()} lies in a working stretch`,
              ).toBe(true);
              expect(
                minutes.some((i) => blocked[i]),
                `${slot.start.toISOString()} misses breaks and leave`,
              ).toBe(false);
              const guardFrom = start - q.rules.bufferBeforeMinutes * MINUTE;
              const guardTo = end + q.rules.bufferAfterMinutes * MINUTE;
              for (const busy of q.busy?.[id] ?? [])
                expect(busy.start.getTime() < guardTo && guardFrom < busy.end.getTime()).toBe(false);
            }
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    "sorts slots by start, once each, with operators in a stable order and labels that round-trip",
    () => {
      fc.assert(
        fc.property(scenario, (q) => {
          const slots = availableSlots(q);
          const reversed = availableSlots({ ...q, operators: [...q.operators].reverse() });
          expect(reversed).toEqual(slots);
          for (let i = 1; i < slots.length; i++)
            expect(slots[i]!.start.getTime()).toBeGreaterThan(slots[i - 1]!.start.getTime());
          for (const slot of slots) {
            expect(slot.operatorIds).toEqual([...new Set(slot.operatorIds)].sort());
            expect(slot.operatorIds.length).toBeGreaterThan(0);
            for (const [local, instant] of [
              [slot.startLocal, slot.start],
              [slot.endLocal, slot.end],
            ] as const) {
              expect(zonedToInstant(local, local.occurrence ?? "reject").getTime()).toBe(instant.getTime());
              const offsetMinutes = Number(local.offset.slice(1, 3)) * 60 + Number(local.offset.slice(4));
              const wall = Date.parse(`${local.date}T${local.time}:00Z`);
              expect(wall - instant.getTime()).toBe(offsetMinutes * MINUTE);
            }
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it("reaches the interesting cases: slots on the change days, across the change, in the repeated hour", () => {
    const samples = fc.sample(scenario, { numRuns: 200, seed: 42 });
    const withSlots = samples.filter((q) => availableSlots(q).length > 0);
    const isChangeDay = (date: string) =>
      date === lastSundayOf(Number(date.slice(0, 4)), Number(date.slice(5, 7)));
    const onChangeDay = samples.filter((q) => availableSlots(q).some((s) => isChangeDay(s.date)));

    const acrossChange = samples.filter((q) =>
      availableSlots(q).some((s) => s.startLocal.offset !== s.endLocal.offset),
    );
    const repeatedHour = samples.filter((q) =>
      availableSlots(q).some((s) => s.startLocal.occurrence === "later"),
    );
    // With this seed: 80 scenarios with slots, 53 on a change day, 29 across the change, 17 in the repeated hour.
    expect(withSlots.length).toBeGreaterThanOrEqual(60);
    expect(onChangeDay.length).toBeGreaterThanOrEqual(30);
    expect(acrossChange.length).toBeGreaterThanOrEqual(15);
    expect(repeatedHour.length).toBeGreaterThanOrEqual(8);
  });
});
