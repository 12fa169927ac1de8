import { describe, expect, it } from "vitest";
import { invalid, refusal } from "./thrown.js";
import {
  bookOnPath,
  bookingsOutOfOrder,
  cancelOnPath,
  checkHours,
  checkOrder,
  closePath,
  confirmingSide,
  hoursUsage,
  noShowOnPath,
  openPath,
  proposeServices,
  quarterHours,
  recordDelivery,
  reopenPath,
  rescheduleOnPath,
  setFunder,
  setPlannedHours,
  type NewPathBooking,
  type OpenPathInput,
  type Path,
  type ServiceRule,
} from "../../src/domain/path/index.js";

const HOUR = 3_600_000;
const t0 = new Date("2026-03-02T08:00:00Z"); // Monday 2 March 2026, 09:00 in Rome
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);

const ACCOGLIENZA: ServiceRule = {
  code: "accoglienza",
  nameIt: "Accoglienza",
  requires: [],
  maxHoursPerPerson: 2,
};
const DEFINIZIONE: ServiceRule = {
  code: "definizione_percorso",
  nameIt: "Definizione del percorso",
  requires: ["accoglienza"],
  maxHoursPerPerson: 4,
};
const CONSULENZA: ServiceRule = {
  code: "consulenza_autoimpiego",
  nameIt: "Consulenza all'autoimpiego",
  requires: ["definizione_percorso"],
  maxHoursPerPerson: 8,
};
const BUSINESS_PLAN: ServiceRule = {
  code: "business_plan",
  nameIt: "Business plan",
  requires: ["consulenza_autoimpiego"],
  maxHoursPerPerson: 10,
};
const COACHING: ServiceRule = {
  code: "coaching",
  nameIt: "Coaching",
  requires: ["accoglienza", "definizione_percorso"],
  minHoursPerPerson: 2,
  maxHoursPerPerson: 10,
};
const CATALOGUE = [ACCOGLIENZA, DEFINIZIONE, CONSULENZA, BUSINESS_PLAN, COACHING];

const reception: OpenPathInput = {
  id: "p1",
  holder: { kind: "person", personId: "person-1", minor: false },
  site: "lto-mantova",
  origin: { kind: "reception" },
  funder: "dote_unica_lavoro",
};
const opened = () => openPath(reception, "staff-1", t0).path;

let seq = 0;
function slot(startHours: number, lengthHours = 1): NewPathBooking {
  seq += 1;
  return {
    bookingId: `b${seq}`,
    site: "lto-mantova",
    operatorId: "op-1",
    start: at(startHours),
    end: at(startHours + lengthHours),
  };
}

function book(path: Path, service: ServiceRule, startHours: number, lengthHours = 1, override?: string) {
  return bookOnPath(path, slot(startHours, lengthHours), service, "staff-1", t0, {
    catalogue: CATALOGUE,
    ...(override ? { override: { reason: override } } : {}),
  });
}

describe("opening a path", () => {
  it("opens a person's path at reception, version 1, with the opening in the history", () => {
    const { path, entry } = openPath(reception, "staff-1", t0);
    expect(path).toMatchObject({
      id: "p1",
      status: "open",
      site: "lto-mantova",
      openedBy: "staff-1",
      funder: "dote_unica_lavoro",
      plan: [],
      bookings: [],
      deliveries: [],
      version: 1,
    });
    expect(entry).toEqual({ at: t0, by: "staff-1", what: "opened", reason: "reception" });
    expect(path.history).toEqual([entry]);
    expect(confirmingSide(path)).toBe("person");
  });

  it("opens an adopted team's path through its school referent, with the services proposed", () => {
    const { path, entry } = openPath(
      {
        id: "p-team",
        holder: { kind: "team", teamId: "team-7", schoolId: "school-3" },
        site: "lto-mantova",
        origin: {
          kind: "adoption",
          ideaId: "idea-9",
          teamId: "team-7",
          adoptionId: "ad-1",
          referent: "teacher-2",
        },
        funder: "lto_diffuso",
        proposed: ["consulenza_autoimpiego", "business_plan", "business_plan"],
      },
      "adoption-consumer",
      t0,
    );
    expect(path.origin).toMatchObject({ kind: "adoption", ideaId: "idea-9", teamId: "team-7" });
    expect(path.proposed).toEqual(["consulenza_autoimpiego", "business_plan"]);
    expect(entry.reason).toBe("idea idea-9 adopted");
    expect(confirmingSide(path)).toBe("referent");
    expect(
      confirmingSide({ holder: { kind: "person", personId: "x", minor: true } }),
      "a minor's side is the referent",
    ).toBe("referent");
  });

  it("names every missing field, and refuses an adoption for another team than the holder", () => {
    const err = invalid(() =>
      openPath(
        {
          id: "",
          holder: { kind: "team", teamId: "team-1", schoolId: "" },
          site: "",
          origin: { kind: "adoption", ideaId: "idea-1", teamId: "team-2", referent: "t" },
          funder: "",
        },
        "x",
        t0,
      ),
    );
    expect(err.issues.map((i) => i.path)).toEqual([
      "id",
      "site",
      "funder",
      "holder.schoolId",
      "origin.teamId",
    ]);
    expect(err.issues.at(-1)!.message).toMatch(/same team id/);
  });
});

describe("the personal plan (planned hours per service)", () => {
  it("sets, changes and removes planned hours, keeping each previous figure in the history", () => {
    const one = setPlannedHours(opened(), COACHING, 6, "staff-1", at(1));
    expect(one.path.plan).toEqual([{ serviceCode: "coaching", hours: 6 }]);
    expect(one.entry).toMatchObject({
      what: "plan_set",
      serviceCode: "coaching",
      hours: 6,
      previousHours: 0,
    });
    const two = setPlannedHours(one.path, COACHING, 8.5, "staff-2", at(2), "more sessions agreed");
    expect(two.path.plan).toEqual([{ serviceCode: "coaching", hours: 8.5 }]);
    expect(two.entry).toMatchObject({
      previousHours: 6,
      hours: 8.5,
      by: "staff-2",
      reason: "more sessions agreed",
    });
    const three = setPlannedHours(two.path, COACHING, 0, "staff-1", at(3));
    expect(three.path.plan).toEqual([]);
    expect(three.path.history.map((h) => h.what)).toEqual(["opened", "plan_set", "plan_set", "plan_set"]);
    expect(three.path.version).toBe(1); // the store counts versions on update
    expect(three.path.updatedAt).toEqual(at(3));
  });

  it("refuses hours outside the service's minimum and maximum per person, or not in quarter hours", () => {
    expect(invalid(() => setPlannedHours(opened(), COACHING, 12, "s", t0)).issues[0]!.message).toBe(
      '"Coaching" allows at most 10 h per person',
    );
    expect(invalid(() => setPlannedHours(opened(), COACHING, 1, "s", t0)).issues[0]!.message).toMatch(
      /at least 2 h per person \(0 takes it out of the plan\)/,
    );
    expect(invalid(() => setPlannedHours(opened(), COACHING, 2.1, "s", t0)).issues[0]!.message).toMatch(
      /quarter hours/,
    );
    expect(invalid(() => setPlannedHours(opened(), COACHING, -1, "s", t0)).issues).toHaveLength(1);
  });

  it("adds proposed services once, and changes the funder with a reason", () => {
    const proposed = proposeServices(opened(), ["coaching", "coaching"], "staff-1", t0);
    expect(proposed.path.proposed).toEqual(["coaching"]);
    const again = proposeServices(proposed.path, ["coaching", "business_plan"], "staff-1", t0);
    expect(again.path.proposed).toEqual(["coaching", "business_plan"]);
    expect(again.entry.services).toEqual(["business_plan"]);
    const funded = setFunder(again.path, "garanzia_giovani", "eligible for Garanzia Giovani", "staff-1", t0);
    expect(funded.path.funder).toBe("garanzia_giovani");
    expect(invalid(() => setFunder(again.path, "gg", " ", "staff-1", t0)).issues[0]!.path).toBe("reason");
  });
});

describe("closing and reopening", () => {
  it("closes with a reason and outcome, refuses changes while closed, and reopens with the closing kept", () => {
    const closed = closePath(opened(), "found a job", "staff-1", at(1), "assunto");
    expect(closed.path.status).toBe("closed");
    expect(closed.path.closure).toEqual({
      at: at(1),
      by: "staff-1",
      reason: "found a job",
      outcome: "assunto",
    });
    const err = refusal(() => book(closed.path, ACCOGLIENZA, 24));
    expect(err.message).toBe(
      'Cannot book "Accoglienza" on the path: the path is closed; reopen it first (staff, with a reason)',
    );
    expect(err.details).toMatchObject({ reason: "path_closed", currentState: "closed" });
    expect(refusal(() => setPlannedHours(closed.path, COACHING, 4, "s", t0)).details?.reason).toBe(
      "path_closed",
    );
    expect(refusal(() => closePath(closed.path, "again", "s", t0)).message).toMatch(/closed/);
    const reopened = reopenPath(closed.path, "came back in September", "staff-2", at(2));
    expect(reopened.path.status).toBe("open");
    expect(reopened.path.closure).toBeUndefined();
    expect(reopened.path.history.map((h) => h.what)).toEqual(["opened", "closed", "reopened"]);
    expect(refusal(() => reopenPath(reopened.path, "x", "s", t0)).message).toBe(
      "Cannot reopen the path: it is open",
    );
  });

  it("refuses to close while services are still booked, naming how many, and an unknown outcome", () => {
    const { path } = book(opened(), ACCOGLIENZA, 24);
    const err = refusal(() => closePath(path, "moved away", "staff-1", t0));
    expect(err.message).toMatch(/1 booked service\(s\) are still due; cancel them/);
    expect(err.details).toMatchObject({ reason: "bookings_open" });
    expect(invalid(() => closePath(opened(), "x", "staff-1", t0, "promosso" as never)).issues[0]!.path).toBe(
      "outcome",
    );
  });
});

describe("the order of services", () => {
  it("lets reception come first and refuses anything before it, naming it in the staff's words", () => {
    expect(checkOrder(opened(), ACCOGLIENZA, at(24))).toEqual({ ok: true });
    const check = checkOrder(opened(), DEFINIZIONE, at(24), CATALOGUE);
    expect(check).toEqual({
      ok: false,
      missing: [{ code: "accoglienza", nameIt: "Accoglienza" }],
      message:
        '"Accoglienza" must come first: it is not yet delivered nor booked to end before this ' +
        '"Definizione del percorso" starts. Book "Accoglienza" first, or book later; staff may book anyway ' +
        "by giving the reason for the exception",
    });
  });

  it("answers the booking with a 409 naming every service that must come first", () => {
    const err = refusal(() => book(opened(), COACHING, 24));
    expect(err.message).toMatch(
      /^Cannot book "Coaching" on the path: "Accoglienza" and "Definizione del percorso" must come first: they are not yet delivered/,
    );
    expect(err.details).toMatchObject({
      reason: "order_not_met",
      mustComeFirst: ["accoglienza", "definizione_percorso"],
    });
    expect(err.kind).toBe("invalid_state");
  });

  it("counts a prerequisite booked to end before the new booking starts, not one ending after", () => {
    const { path } = book(opened(), ACCOGLIENZA, 24); // ends at +25 h
    expect(checkOrder(path, DEFINIZIONE, at(25)).ok).toBe(true);
    const late = checkOrder(path, DEFINIZIONE, at(24.5), CATALOGUE);
    expect(late.ok).toBe(false);
    if (!late.ok) expect(late.message).toMatch(/\("Accoglienza" is booked only for 2026-03-03 at 09:00\)/);
    expect(book(path, DEFINIZIONE, 25).booking.status).toBe("booked");
  });

  it("counts a prerequisite delivered, confirmed or not, and not one cancelled, missed or voided", () => {
    let path = book(opened(), ACCOGLIENZA, -48).path;
    const bookingId = path.bookings[0]!.bookingId;
    expect(checkOrder(cancelOnPath(path, bookingId, false, "s", t0).path, DEFINIZIONE, at(24)).ok).toBe(
      false,
    );
    expect(checkOrder(noShowOnPath(path, bookingId, "s", t0).path, DEFINIZIONE, at(24)).ok).toBe(false);
    path = recordDelivery(
      path,
      {
        id: "d1",
        bookingId,
        serviceCode: "accoglienza",
        site: "lto-mantova",
        operatorId: "op-1",
        start: at(-48),
        end: at(-47),
        outcome: "servizio_svolto",
      },
      "op-1",
      t0,
    ).path;
    expect(checkOrder(path, DEFINIZIONE, at(1)).ok).toBe(true);
  });

  it("needs the self-employment counselling before the business plan, even on an adopted team's path", () => {
    let path = book(opened(), ACCOGLIENZA, 24).path;
    path = book(path, DEFINIZIONE, 48).path;
    const err = refusal(() => book(path, BUSINESS_PLAN, 72));
    expect(err.message).toMatch(/"Consulenza all'autoimpiego" must come first/);
    path = book(path, CONSULENZA, 72, 2).path;
    expect(book(path, BUSINESS_PLAN, 96).booking.serviceCode).toBe("business_plan");
  });

  it("lets staff override with a reason, recording who, when, why and which rules were waived", () => {
    const { path, entries, booking } = book(
      opened(),
      COACHING,
      24,
      1,
      "reception done at the Informagiovani desk",
    );
    expect(booking.status).toBe("booked");
    expect(entries.map((e) => e.what)).toEqual(["order_overridden", "booked"]);
    expect(path.overrides).toEqual([
      {
        at: t0,
        by: "staff-1",
        reason: "reception done at the Informagiovani desk",
        serviceCode: "coaching",
        waived: ["accoglienza", "definizione_percorso"],
        bookingId: booking.bookingId,
      },
    ]);
    // The rule stays waived for this service on this path: the next coaching booking is not refused.
    const next = book(path, COACHING, 48);
    expect(next.entries.map((e) => e.what)).toEqual(["booked"]);
    expect(next.path.overrides).toHaveLength(1);
    // ...but not for another service.
    expect(refusal(() => book(path, DEFINIZIONE, 48)).details?.reason).toBe("order_not_met");
  });

  it("records no override when the order is met, and refuses an override without a reason", () => {
    const { path, entries } = book(opened(), ACCOGLIENZA, 24, 1, "not needed");
    expect(path.overrides).toEqual([]);
    expect(entries.map((e) => e.what)).toEqual(["booked"]);
    expect(invalid(() => book(opened(), COACHING, 24, 1, "  ")).issues[0]!.path).toBe("overrideReason");
  });

  it("lists the booked services whose prerequisite booking was cancelled afterwards", () => {
    let path = book(opened(), ACCOGLIENZA, 24).path;
    path = book(path, DEFINIZIONE, 48).path;
    expect(bookingsOutOfOrder(path, CATALOGUE)).toEqual([]);
    path = cancelOnPath(path, path.bookings[0]!.bookingId, false, "person-1", t0).path;
    expect(bookingsOutOfOrder(path, CATALOGUE)).toEqual([
      { bookingId: path.bookings[1]!.bookingId, missing: [{ code: "accoglienza", nameIt: "Accoglienza" }] },
    ]);
  });
});

describe("the hour caps per person", () => {
  const ready = () => {
    let path = book(opened(), ACCOGLIENZA, -72).path;
    path = book(path, DEFINIZIONE, -48).path;
    return path;
  };

  it("accepts a booking under 80% of the cap without a warning", () => {
    const check = checkHours(ready(), COACHING, 7.75);
    expect(check).toMatchObject({ ok: true, warnings: [], usedHours: 0, capHours: 10, remainingHours: 10 });
  });

  it("warns from 80% of the cap, counted with the booking asked for", () => {
    const check = checkHours(ready(), COACHING, 8);
    expect(check.ok).toBe(true);
    if (check.ok)
      expect(check.warnings).toEqual([
        {
          code: "cap_near",
          message: 'with this booking 8 h of the 10 h of "Coaching" per person are used (80%): 2 h remain',
        },
      ]);
    const booked = book(ready(), COACHING, 24, 8);
    expect(booked.warnings.map((w) => w.code)).toEqual(["cap_near"]);
  });

  it("refuses past the cap naming the hours that remain, booked and delivered together", () => {
    let path = ready();
    path = book(path, COACHING, -24, 3).path;
    path = recordDelivery(
      path,
      {
        id: "d-coach",
        bookingId: path.bookings.at(-1)!.bookingId,
        serviceCode: "coaching",
        site: "lto-mantova",
        operatorId: "op-1",
        start: at(-24),
        end: at(-21),
        outcome: "servizio_svolto",
      },
      "op-1",
      t0,
    ).path;
    path = book(path, COACHING, 24, 5).path;
    expect(hoursUsage(path, COACHING)).toMatchObject({
      bookedHours: 5,
      deliveredHours: 3,
      remainingHours: 2,
    });
    const err = refusal(() => book(path, COACHING, 48, 3));
    expect(err.message).toBe(
      'Cannot book "Coaching" on the path: "Coaching" allows 10 h per person and 8 h are already booked or ' +
        "delivered (5 h booked, 3 h delivered): only 2 h remain, and this booking needs 3 h; book a shorter " +
        "service of at most 2 h",
    );
    expect(err.details).toMatchObject({
      reason: "hours_cap_reached",
      capHours: 10,
      usedHours: 8,
      remainingHours: 2,
      requestedHours: 3,
    });
    expect(book(path, COACHING, 48, 2).warnings[0]!.message).toMatch(/\(100%\): 0 h remain/);
  });

  it("says no hours remain when the cap is used up", () => {
    const path = book(ready(), COACHING, 24, 10).path;
    const check = checkHours(path, COACHING, 0.25);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(/: no hours remain, and this booking needs 0.25 h$/);
  });

  it("gives back the hours of cancellations, late cancellations and no-shows", () => {
    let path = book(ready(), COACHING, -2, 4).path;
    path = book(path, COACHING, 24, 4).path;
    path = book(path, COACHING, 48, 2).path;
    expect(checkHours(path, COACHING, 1).ok).toBe(false);
    const [, , noShow, late, cancelled] = path.bookings;
    path = noShowOnPath(path, noShow!.bookingId, "op-1", t0).path;
    path = cancelOnPath(path, late!.bookingId, true, "person-1", t0, "ill").path;
    path = cancelOnPath(path, cancelled!.bookingId, false, "person-1", t0).path;
    expect(path.bookings.slice(2).map((b) => b.status)).toEqual(["no_show", "late_cancelled", "cancelled"]);
    expect(hoursUsage(path, COACHING)).toMatchObject({ usedHours: 0, remainingHours: 10 });
    expect(path.history.slice(-3).map((h) => h.what)).toEqual([
      "no_show",
      "booking_cancelled_late",
      "booking_cancelled",
    ]);
  });

  it("warns when the booking goes beyond the hours the personal plan gives the service", () => {
    const path = setPlannedHours(ready(), COACHING, 4, "staff-1", t0).path;
    const check = checkHours(path, COACHING, 5);
    expect(check.ok && check.warnings).toEqual([
      {
        code: "plan_exceeded",
        message: 'the personal plan gives "Coaching" 4 h and this booking brings it to 5 h; update the plan',
      },
    ]);
  });

  it("refuses hours that are not a positive number of quarter hours", () => {
    expect(invalid(() => checkHours(ready(), COACHING, 0)).issues[0]!.path).toBe("hours");
    expect(invalid(() => checkHours(ready(), COACHING, 0.3)).issues).toHaveLength(1);
  });

  it("counts a booking's hours from its real length, in quarter hours rounded down", () => {
    expect(quarterHours(50)).toBe(0.75);
    expect(quarterHours(59)).toBe(0.75);
    expect(quarterHours(60)).toBe(1);
    expect(quarterHours(14)).toBe(0);
    const { booking } = bookOnPath(
      opened(),
      { ...slot(24), end: new Date(at(24).getTime() + 50 * 60_000) },
      ACCOGLIENZA,
      "s",
      t0,
    );
    expect(booking.hours).toBe(0.75);
  });
});

describe("bookings on the path", () => {
  it("refuses a booking id twice, a booking shorter than a quarter hour, and missing fields", () => {
    const { path, booking } = book(opened(), ACCOGLIENZA, 24);
    const err = invalid(() =>
      bookOnPath(
        path,
        { ...booking, site: "", end: new Date(booking.start.getTime() + 60_000) },
        ACCOGLIENZA,
        "s",
        t0,
      ),
    );
    expect(err.issues).toEqual([
      { path: "bookingId", message: "is on the path already" },
      { path: "site", message: "is required" },
      { path: "end", message: "must be at least 15 minutes after the start" },
    ]);
  });

  it("marks a no-show only once the booking has started, and changes a booking only while it is booked", () => {
    const { path, booking } = book(opened(), ACCOGLIENZA, 24);
    const early = refusal(() => noShowOnPath(path, booking.bookingId, "op-1", at(23)));
    expect(early.message).toBe(
      "Cannot mark a no-show for the booking: it has not started yet; cancel it instead if the person will not come",
    );
    const gone = cancelOnPath(path, booking.bookingId, false, "person-1", t0).path;
    expect(refusal(() => cancelOnPath(gone, booking.bookingId, true, "s", t0)).message).toBe(
      "Cannot cancel the booking: it is cancelled already",
    );
    expect(invalid(() => cancelOnPath(gone, "nope", false, "s", t0)).issues[0]).toEqual({
      path: "bookingId",
      message: "nope is not a booking of this path",
    });
  });

  it("reschedules with the order and the cap checked again, the old hours no longer counted", () => {
    let path = book(opened(), ACCOGLIENZA, 24, 2).path;
    const moved = rescheduleOnPath(
      path,
      path.bookings[0]!.bookingId,
      { start: at(48), end: at(50), operatorId: "op-2" },
      ACCOGLIENZA,
      "staff-1",
      t0,
    );
    expect(moved.booking).toMatchObject({ start: at(48), end: at(50), operatorId: "op-2", hours: 2 });
    expect(moved.warnings.map((w) => w.code)).toEqual(["cap_near"]);
    expect(moved.entry).toMatchObject({ what: "booking_rescheduled", hours: 2, previousHours: 2 });
    path = book(moved.path, DEFINIZIONE, 50).path;
    // Moving the definition before the reception ends breaks the order: refused.
    const err = refusal(() =>
      rescheduleOnPath(
        path,
        path.bookings[1]!.bookingId,
        { start: at(49), end: at(50) },
        DEFINIZIONE,
        "s",
        t0,
      ),
    );
    expect(err.details?.reason).toBe("order_not_met");
    const over = refusal(() =>
      rescheduleOnPath(
        path,
        path.bookings[0]!.bookingId,
        { start: at(40), end: at(43) },
        ACCOGLIENZA,
        "s",
        t0,
      ),
    );
    expect(over.details).toMatchObject({ reason: "hours_cap_reached", remainingHours: 2 });
  });
});
