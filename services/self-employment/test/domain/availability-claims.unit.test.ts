import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { claimUnits, isOnGrid } from "../../src/domain/availability/index.js";

const at = (iso: string) => new Date(iso);
const MINUTE = 60_000;

describe("claim units of a booking", () => {
  it("covers an interval on the grid with its 5-minute units, end excluded", () => {
    expect(claimUnits({ start: at("2026-10-25T00:50:00Z"), end: at("2026-10-25T01:05:00Z") })).toEqual([
      "2026-10-25T00:50:00.000Z",
      "2026-10-25T00:55:00.000Z",
      "2026-10-25T01:00:00.000Z",
    ]);
  });

  it("takes every unit an interval off the grid touches", () => {
    expect(claimUnits({ start: at("2026-03-29T00:58:00Z"), end: at("2026-03-29T01:01:00Z") })).toEqual([
      "2026-03-29T00:55:00.000Z",
      "2026-03-29T01:00:00.000Z",
    ]);
    expect(claimUnits({ start: at("2026-03-29T00:58:00Z"), end: at("2026-03-29T01:01:00Z") }, 15)).toEqual([
      "2026-03-29T00:45:00.000Z",
      "2026-03-29T01:00:00.000Z",
    ]);
  });

  it("counts real time across the clock change: an hour booked over it claims 12 units", () => {
    expect(claimUnits({ start: at("2026-10-25T00:30:00Z"), end: at("2026-10-25T01:30:00Z") })).toHaveLength(
      12,
    );
  });

  it("refuses an empty, reversed, invalid or too long interval, and a bad unit", () => {
    const start = at("2026-05-04T08:00:00Z");
    expect(() => claimUnits({ start, end: start })).toThrow(/end after it starts/);
    expect(() => claimUnits({ start, end: at("2026-05-04T07:00:00Z") })).toThrow(RangeError);
    expect(() => claimUnits({ start, end: new Date(Number.NaN) })).toThrow(/instants/);
    expect(() => claimUnits({ start, end: at("2026-07-04T08:00:00Z") })).toThrow(/more than/);
    expect(() => claimUnits({ start, end: at("2026-05-04T09:00:00Z") }, 0)).toThrow(/unitMinutes/);
    expect(() => claimUnits({ start, end: at("2026-05-04T09:00:00Z") }, 2.5)).toThrow(/unitMinutes/);
  });

  it("tells whether an instant is on the grid", () => {
    expect(isOnGrid(at("2026-05-04T08:05:00Z"))).toBe(true);
    expect(isOnGrid(at("2026-05-04T08:07:00Z"))).toBe(false);
    expect(isOnGrid(at("2026-05-04T08:05:30Z"))).toBe(false);
    expect(isOnGrid(at("2026-05-04T08:15:00Z"), 15)).toBe(true);
    expect(isOnGrid(at("2026-05-04T08:10:00Z"), 15)).toBe(false);
    expect(isOnGrid(new Date(Number.NaN))).toBe(false);
  });

  const base = Date.UTC(2026, 9, 24, 22);
  const interval = (minutesFrom: number, minutesLong: number) => ({
    start: new Date(base + minutesFrom * MINUTE + (minutesFrom % 7) * 1000),
    end: new Date(base + (minutesFrom + minutesLong) * MINUTE),
  });
  const overlap = (a: { start: Date; end: Date }, b: { start: Date; end: Date }) =>
    a.start < b.end && b.start < a.end;

  it("makes two overlapping intervals always share a unit", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 1, max: 240 }),
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 1, max: 240 }),
        fc.constantFrom(1, 5, 10, 15, 30),
        (aFrom, aLong, bFrom, bLong, unit) => {
          const a = interval(aFrom, aLong);
          const b = interval(bFrom, bLong);
          const keys = new Set(claimUnits(b, unit));
          const shared = claimUnits(a, unit).filter((key) => keys.has(key));
          if (overlap(a, b)) expect(shared.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("makes two intervals on the grid share a unit exactly when they overlap", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 1, max: 48 }),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 1, max: 48 }),
        (aFrom, aLong, bFrom, bLong) => {
          const a = {
            start: new Date(base + aFrom * 5 * MINUTE),
            end: new Date(base + (aFrom + aLong) * 5 * MINUTE),
          };
          const b = {
            start: new Date(base + bFrom * 5 * MINUTE),
            end: new Date(base + (bFrom + bLong) * 5 * MINUTE),
          };
          expect(isOnGrid(a.start) && isOnGrid(a.end)).toBe(true);
          const keys = new Set(claimUnits(a));
          expect(claimUnits(b).some((key) => keys.has(key))).toBe(overlap(a, b));
          expect(claimUnits(a)).toHaveLength(aLong);
        },
      ),
      { numRuns: 500 },
    );
  });
});
