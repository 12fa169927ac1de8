import { describe, expect, it } from "vitest";
import { invalid, refusal } from "./thrown.js";
import {
  bookOnPath,
  checkOrder,
  closePath,
  confirmDelivery,
  correctDelivery,
  currentRevision,
  deliveryOfBooking,
  deliveryStatus,
  hoursUsage,
  openPath,
  recordDelivery,
  repeatedDelivery,
  voidDelivery,
  OUTCOMES,
  type NewDelivery,
  type Path,
  type ServiceRule,
} from "../../src/domain/path/index.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const t0 = new Date("2026-03-10T09:00:00Z"); // 10:00 in Rome
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);

const ACCOGLIENZA: ServiceRule = {
  code: "accoglienza",
  nameIt: "Accoglienza",
  requires: [],
  maxHoursPerPerson: 2,
};
const COLLOQUIO: ServiceRule = {
  code: "colloquio_specialistico",
  nameIt: "Colloquio specialistico",
  requires: ["accoglienza"],
  maxHoursPerPerson: 4,
};

function adultPath(): Path {
  return openPath(
    {
      id: "p1",
      holder: { kind: "person", personId: "person-1", minor: false },
      site: "lto-mantova",
      origin: { kind: "reception" },
      funder: "dote_unica_lavoro",
    },
    "staff-1",
    at(-100),
  ).path;
}

function minorPath(): Path {
  return openPath(
    {
      id: "p2",
      holder: { kind: "person", personId: "person-2", minor: true },
      site: "lto-suzzara",
      origin: { kind: "reception" },
      funder: "lto_diffuso",
    },
    "staff-1",
    at(-100),
  ).path;
}

const walkIn = (over: Partial<NewDelivery> = {}): NewDelivery => ({
  id: "d1",
  serviceCode: "accoglienza",
  site: "lto-mantova",
  operatorId: "op-1",
  start: at(-2),
  end: at(-1),
  outcome: "servizio_svolto",
  notes: "first meeting",
  ...over,
});

describe("recording a delivery", () => {
  it("records the actual interval, derives the hours in quarter hours, and awaits confirmation", () => {
    const { path, entry, delivery } = recordDelivery(
      adultPath(),
      walkIn({ start: at(-2), end: new Date(at(-2).getTime() + 50 * MINUTE) }),
      "op-1",
      t0,
    );
    expect(currentRevision(delivery)).toMatchObject({ n: 1, minutes: 50, hours: 0.75, by: "op-1", at: t0 });
    expect(delivery.funder).toBe("dote_unica_lavoro");
    expect(deliveryStatus(delivery)).toBe("awaiting_confirmation");
    expect(entry).toEqual({
      at: t0,
      by: "op-1",
      what: "delivered",
      serviceCode: "accoglienza",
      deliveryId: "d1",
      hours: 0.75,
      revision: 1,
    });
    expect(path.deliveries).toEqual([delivery]);
  });

  it("counts real minutes across the night the clocks go forward", () => {
    // 01:00 to 04:00 on Sunday 29 March 2026 in Rome lasts two real hours.
    const start = new Date("2026-03-29T00:00:00Z");
    const end = new Date("2026-03-29T02:00:00Z");
    const { delivery } = recordDelivery(
      adultPath(),
      walkIn({ start, end }),
      "op-1",
      new Date("2026-03-30T00:00:00Z"),
    );
    expect(currentRevision(delivery)).toMatchObject({ minutes: 120, hours: 2 });
  });

  it("turns the booking it fulfils into delivered: booked hours give way to delivered ones", () => {
    const booked = bookOnPath(
      adultPath(),
      { bookingId: "b1", site: "lto-mantova", operatorId: "op-1", start: at(-3), end: at(-2) },
      ACCOGLIENZA,
      "staff-1",
      at(-50),
    ).path;
    expect(hoursUsage(booked, ACCOGLIENZA)).toMatchObject({ bookedHours: 1, deliveredHours: 0 });
    const { path, entry } = recordDelivery(
      booked,
      walkIn({ bookingId: "b1", operatorId: "op-2", start: at(-3), end: at(-1.5) }),
      "op-2",
      t0,
    );
    expect(path.bookings[0]!.status).toBe("delivered");
    expect(entry.bookingId).toBe("b1");
    expect(hoursUsage(path, ACCOGLIENZA)).toMatchObject({
      bookedHours: 0,
      deliveredHours: 1.5,
      usedHours: 1.5,
    });
    const twice = refusal(() => recordDelivery(path, walkIn({ id: "d2", bookingId: "b1" }), "op-1", t0));
    expect(twice.message).toBe(
      "Cannot record the delivery of the booking: its delivery is recorded already; correct that record instead",
    );
  });

  it("records a delivery past the cap, as it happened, with a warning about the unpaid hours", () => {
    const { warnings } = recordDelivery(
      adultPath(),
      walkIn({ start: at(-4), end: at(-1) }),
      "op-1",
      t0,
      ACCOGLIENZA,
    );
    expect(warnings).toEqual([
      {
        code: "cap_exceeded",
        message:
          '"Accoglienza" now has 3 h booked or delivered, past its 2 h per person: funders will not pay the hours beyond it',
      },
    ]);
  });

  it("names every wrong field at once", () => {
    const err = invalid(() =>
      recordDelivery(
        adultPath(),
        walkIn({
          operatorId: "",
          start: at(-1),
          end: at(1),
          outcome: "promosso" as never,
          notes: "x".repeat(2001),
        }),
        "op-1",
        t0,
      ),
    );
    expect(err.issues).toEqual([
      { path: "operatorId", message: "is required" },
      {
        path: "outcome",
        message:
          "is not an outcome of the list (e.g. servizio_svolto, cv_prodotto, business_plan_redatto, ritirato)",
      },
      { path: "notes", message: "at most 2000 characters" },
      { path: "end", message: "is in the future: record a delivery once it has happened" },
    ]);
    expect(
      invalid(() =>
        recordDelivery(adultPath(), walkIn({ end: new Date(at(-2).getTime() + 10 * MINUTE) }), "o", t0),
      ).issues[0]!.message,
    ).toMatch(
      /at least 15 minutes after the start \(for a person who did not come, mark the booking a no-show\)/,
    );
    expect(
      invalid(() => recordDelivery(adultPath(), walkIn({ start: at(-12) }), "o", t0)).issues[0]!.message,
    ).toMatch(/at most 10 hours/);
    expect(
      invalid(() => recordDelivery(adultPath(), walkIn({ bookingId: "nope" }), "o", t0)).issues[0],
    ).toEqual({
      path: "bookingId",
      message: "nope is not a booking of this path",
    });
  });

  it("has Italian labels for every outcome code", () => {
    expect(OUTCOMES.business_plan_redatto).toBe("Business plan redatto");
    expect(OUTCOMES.tirocinio_avviato).toBe("Tirocinio avviato");
    expect(Object.values(OUTCOMES).every((label) => label.length > 0)).toBe(true);
  });

  it("refuses a delivery on a closed path", () => {
    const closed = closePath(adultPath(), "moved away", "staff-1", t0).path;
    expect(refusal(() => recordDelivery(closed, walkIn(), "op-1", t0)).details?.reason).toBe("path_closed");
  });
});

describe("confirmation: a timesheet line signed by both sides", () => {
  it("is confirmed by the adult person themself", () => {
    const recorded = recordDelivery(adultPath(), walkIn(), "op-1", t0).path;
    const { path, entry, delivery } = confirmDelivery(
      recorded,
      "d1",
      { by: "person-1", as: "person" },
      at(1),
    );
    expect(deliveryStatus(delivery)).toBe("confirmed");
    expect(currentRevision(delivery).confirmation).toEqual({ by: "person-1", as: "person", at: at(1) });
    expect(entry).toMatchObject({
      what: "delivery_confirmed",
      by: "person-1",
      revision: 1,
      deliveryId: "d1",
    });
    expect(path.history.map((h) => h.what)).toEqual(["opened", "delivered", "delivery_confirmed"]);
    expect(refusal(() => confirmDelivery(path, "d1", { by: "person-1", as: "person" }, at(2))).message).toBe(
      "Cannot confirm the delivery: this version of it is confirmed already",
    );
  });

  it("is confirmed by the school referent for a minor, never by the minor", () => {
    const recorded = recordDelivery(minorPath(), walkIn({ site: "lto-suzzara" }), "op-1", t0).path;
    const err = refusal(() => confirmDelivery(recorded, "d1", { by: "person-2", as: "person" }, at(1)));
    expect(err.message).toBe(
      "Cannot confirm the delivery: the person is a minor (or a team): their school referent confirms",
    );
    expect(err.details?.reason).toBe("wrong_side");
    const { delivery } = confirmDelivery(recorded, "d1", { by: "teacher-1", as: "referent" }, at(1));
    expect(currentRevision(delivery).confirmation?.as).toBe("referent");
  });

  it("cannot be signed for the person by who delivered or recorded it", () => {
    const recorded = recordDelivery(adultPath(), walkIn(), "staff-9", t0).path;
    const byOperator = refusal(() => confirmDelivery(recorded, "d1", { by: "op-1", as: "person" }, at(1)));
    expect(byOperator.details?.reason).toBe("same_person");
    const byRecorder = refusal(() => confirmDelivery(recorded, "d1", { by: "staff-9", as: "person" }, at(1)));
    expect(byRecorder.message).toMatch(/cannot also sign for the person/);
  });
});

describe("corrections: history, never overwritten, confirmed again", () => {
  const signed = () => {
    const recorded = recordDelivery(adultPath(), walkIn(), "op-1", t0).path;
    return confirmDelivery(recorded, "d1", { by: "person-1", as: "person" }, at(1)).path;
  };

  it("adds a revision with the reason, keeps the signed one as it was, and needs a new confirmation", () => {
    const before = signed();
    const { path, entry, delivery } = correctDelivery(
      before,
      "d1",
      { end: at(-0.5), outcome: "cv_prodotto" },
      "the CV was finished in the last half hour",
      "op-1",
      at(2),
    );
    expect(delivery.revisions).toHaveLength(2);
    expect(delivery.revisions[0]).toEqual(before.deliveries[0]!.revisions[0]); // untouched, signature and all
    expect(delivery.revisions[0]!.confirmation).toMatchObject({ by: "person-1" });
    expect(currentRevision(delivery)).toMatchObject({
      n: 2,
      start: at(-2),
      end: at(-0.5),
      minutes: 90,
      hours: 1.5,
      outcome: "cv_prodotto",
      notes: "first meeting",
      reason: "the CV was finished in the last half hour",
      by: "op-1",
    });
    expect(currentRevision(delivery).confirmation).toBeUndefined();
    expect(deliveryStatus(delivery)).toBe("awaiting_confirmation");
    expect(entry).toMatchObject({ what: "delivery_corrected", revision: 2, hours: 1.5, previousHours: 1 });
    const again = confirmDelivery(path, "d1", { by: "person-1", as: "person" }, at(3));
    expect(deliveryStatus(again.delivery)).toBe("confirmed");
    expect(again.entry.revision).toBe(2);
    expect(again.path.history.map((h) => h.what)).toEqual([
      "opened",
      "delivered",
      "delivery_confirmed",
      "delivery_corrected",
      "delivery_confirmed",
    ]);
  });

  it("refuses a correction without a reason or that changes nothing, and corrects on a closed path", () => {
    const path = signed();
    expect(
      invalid(() => correctDelivery(path, "d1", { notes: "other" }, "", "op-1", t0)).issues[0]!.path,
    ).toBe("reason");
    expect(
      invalid(() => correctDelivery(path, "d1", { notes: "first meeting" }, "typo", "op-1", t0)).issues[0],
    ).toEqual({
      path: "",
      message: "the correction changes nothing: give a new start, end, outcome or notes",
    });
    const closed = closePath(path, "plan completed", "staff-1", at(2)).path;
    expect(
      correctDelivery(closed, "d1", { outcome: "ritirato" }, "left after the meeting", "staff-1", at(3))
        .delivery.revisions,
    ).toHaveLength(2);
  });

  it("voids a delivery recorded by mistake: kept, counted nowhere, its booking due again", () => {
    const booked = bookOnPath(
      adultPath(),
      { bookingId: "b1", site: "lto-mantova", operatorId: "op-1", start: at(-2), end: at(-1) },
      ACCOGLIENZA,
      "staff-1",
      at(-50),
    ).path;
    const delivered = recordDelivery(booked, walkIn({ bookingId: "b1" }), "op-1", t0).path;
    expect(checkOrder(delivered, COLLOQUIO, at(24)).ok).toBe(true);
    const { path, delivery, entry } = voidDelivery(
      delivered,
      "d1",
      "recorded on the wrong person",
      "staff-1",
      at(1),
    );
    expect(deliveryStatus(delivery)).toBe("voided");
    expect(path.deliveries).toHaveLength(1);
    expect(path.bookings[0]!.status).toBe("booked");
    expect(entry).toMatchObject({
      what: "delivery_voided",
      bookingId: "b1",
      reason: "recorded on the wrong person",
    });
    expect(hoursUsage(path, ACCOGLIENZA)).toMatchObject({ deliveredHours: 0, bookedHours: 1 });
    expect(refusal(() => confirmDelivery(path, "d1", { by: "person-1", as: "person" }, at(2))).message).toBe(
      "Cannot confirm the delivery: it was voided",
    );
    expect(refusal(() => correctDelivery(path, "d1", { notes: "x" }, "why", "op-1", at(2))).message).toMatch(
      /voided; record the service again/,
    );
    expect(refusal(() => voidDelivery(path, "d1", "again", "staff-1", at(2))).message).toBe(
      "Cannot void the delivery: it is voided",
    );
  });
});

describe("a booking's delivery recorded again (a retried request)", () => {
  const booked = () =>
    bookOnPath(
      adultPath(),
      { bookingId: "b1", site: "lto-mantova", operatorId: "op-1", start: at(-3), end: at(-2) },
      ACCOGLIENZA,
      "staff-1",
      at(-50),
    ).path;
  const { id: _id, ...figures } = walkIn({ bookingId: "b1", start: at(-3), end: at(-2) });

  it("is nothing to repeat before the booking's delivery, or for a walk-in", () => {
    expect(repeatedDelivery(booked(), figures)).toBeUndefined();
    const walkInPath = recordDelivery(adultPath(), walkIn(), "op-1", t0).path;
    const { bookingId: _b, ...noBooking } = figures;
    expect(repeatedDelivery(walkInPath, noBooking)).toBeUndefined();
  });

  it("answers the delivery recorded when the figures are the same: nothing recorded twice", () => {
    const { path, delivery } = recordDelivery(booked(), { id: "d1", ...figures }, "op-1", t0);
    expect(deliveryOfBooking(path, "b1")).toBe(delivery);
    expect(repeatedDelivery(path, { ...figures, start: new Date(figures.start) })).toBe(delivery);
  });

  it("refuses other figures for the same booking (409 naming the recorded one): correct it instead", () => {
    const { path } = recordDelivery(booked(), { id: "d1", ...figures }, "op-1", t0);
    for (const other of [
      { end: at(-1.5) },
      { outcome: "cv_prodotto" as const },
      { notes: "another note" },
      { operatorId: "op-2" },
    ]) {
      const err = refusal(() => repeatedDelivery(path, { ...figures, ...other }));
      expect(err.details).toMatchObject({ reason: "delivered_otherwise", deliveryId: "d1" });
      expect(err.message).toBe(
        "Cannot record the delivery of the booking: its delivery is recorded already (d1, 1 h, servizio_svolto) with other figures; correct that record instead",
      );
    }
  });

  it("once voided, the booking's delivery may be recorded afresh", () => {
    const { path } = recordDelivery(booked(), { id: "d1", ...figures }, "op-1", t0);
    const voided = voidDelivery(path, "d1", "wrong person", "staff-1", at(1)).path;
    expect(deliveryOfBooking(voided, "b1")).toBeUndefined();
    expect(repeatedDelivery(voided, figures)).toBeUndefined();
    const again = recordDelivery(voided, { id: "d2", ...figures }, "op-1", at(2));
    expect(deliveryOfBooking(again.path, "b1")?.id).toBe("d2");
  });
});
