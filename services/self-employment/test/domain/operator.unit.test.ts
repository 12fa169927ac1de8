import { ValidationError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import { createOperator, replaceExceptions, replacePlan } from "../../src/domain/index.js";
import { anOperator } from "../fixtures.js";

const now = new Date("2026-11-25T10:00:00Z");

function fields(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).issues.map((i) => i.path);
  }
  throw new Error("expected a ValidationError");
}

describe("operators", () => {
  it("are created with their plan, exceptions and cap, at version 1", () => {
    const o = createOperator(anOperator({ dailyCap: 5 }), "op-1", now);
    expect(o).toMatchObject({ id: "op-1", operatorId: "op-1", version: 1, dailyCap: 5, createdAt: now });
    expect(o.plan).toHaveLength(1);
  });

  it("name every bad field", () => {
    const entry = anOperator().plan[0]!;
    expect(fields(() => createOperator(anOperator({ name: " " }), "x", now))).toEqual(["name"]);
    expect(fields(() => createOperator(anOperator({ sites: ["lto-roma"], plan: [] }), "x", now))).toEqual([
      "sites.0",
    ]);
    expect(fields(() => createOperator(anOperator({ profiles: ["mago"] }), "x", now))).toEqual([
      "profiles.0",
    ]);
    expect(fields(() => createOperator(anOperator({ dailyCap: 0 }), "x", now))).toEqual(["dailyCap"]);
    expect(
      fields(() => createOperator(anOperator({ plan: [{ ...entry, site: "lto-asola" }] }), "x", now)),
    ).toEqual(["plan.0.site"]);
    expect(
      fields(() =>
        createOperator(
          anOperator({ plan: [{ ...entry, hours: { start: "17:00", end: "09:00" } }] }),
          "x",
          now,
        ),
      ),
    ).toEqual(["plan.0.hours.end"]);
    expect(
      fields(() =>
        createOperator(
          anOperator({ plan: [{ ...entry, breaks: [{ start: "18:00", end: "18:30" }] }] }),
          "x",
          now,
        ),
      ),
    ).toEqual(["plan.0.breaks.0"]);
    expect(
      fields(() =>
        createOperator(
          anOperator({ plan: [{ ...entry, validFrom: "2026-12-01", validTo: "2026-11-01" }] }),
          "x",
          now,
        ),
      ),
    ).toEqual(["plan.0.validTo"]);
    expect(
      fields(() =>
        createOperator(
          anOperator({
            exceptions: [{ kind: "extra", date: "2026-02-30", site: "lto-asola", hours: entry.hours }],
          }),
          "x",
          now,
        ),
      ),
    ).toEqual(["exceptions.0.date", "exceptions.0.site"]);
  });

  it("refuse two overlapping entries on one weekday, allow them on different days or validity periods", () => {
    const entry = anOperator().plan[0]!;
    const late = { ...entry, hours: { start: "16:00", end: "19:00" }, breaks: [] };
    expect(fields(() => createOperator(anOperator({ plan: [entry, late] }), "x", now))).toEqual([
      "plan.1.hours",
    ]);
    expect(
      createOperator(anOperator({ plan: [entry, { ...late, weekday: 2 }] }), "x", now).plan,
    ).toHaveLength(2);
    const before = { ...entry, validTo: "2026-12-31" };
    const after = { ...late, validFrom: "2027-01-01" };
    expect(createOperator(anOperator({ plan: [before, after] }), "x", now).plan).toHaveLength(2);
  });

  it("take a new plan (the cap goes when left out) and new exceptions, checked the same way", () => {
    const o = createOperator(anOperator({ dailyCap: 5 }), "op-1", now);
    const later = new Date("2026-11-26T10:00:00Z");
    const next = replacePlan(o, { plan: [] }, later);
    expect(next.plan).toEqual([]);
    expect(next.dailyCap).toBeUndefined();
    expect(next.updatedAt).toEqual(later);
    const leave = replaceExceptions(o, [{ kind: "leave", date: "2026-12-07", reason: "Ferie" }], later);
    expect(leave.exceptions).toHaveLength(1);
    expect(fields(() => replaceExceptions(o, [{ kind: "leave", date: "07/12/2026" }], later))).toEqual([
      "exceptions.0.date",
    ]);
  });
});
