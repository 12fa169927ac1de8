import { InvalidStateError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import {
  acceptOffer,
  endOffer,
  enrol,
  freeSeatNumbers,
  holdsSeat,
  missingPrerequisites,
  moveIn,
  moveOut,
  offerExpired,
  offerSeat,
  seatId,
  waitingOrder,
  waitingPosition,
  audiencesServing,
  withdraw,
  withdrawalDeadline,
  type EnrolmentRequest,
} from "../../src/domain/index.js";

const t0 = new Date("2026-09-15T09:00:00Z");
const later = (ms: number) => new Date(t0.getTime() + ms);
const HOUR = 3_600_000;
const session = { id: "s1", courseId: "c1", site: "lto-mantova" as const };
const req = (personId: string, id = `e-${personId}`): EnrolmentRequest => ({
  id,
  session,
  personId,
  enrolledBy: personId,
  audience: "self",
  ticket: `t-${id}`,
});

function stateOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (err) {
    if (err instanceof InvalidStateError) return err.message;
    throw err;
  }
  return undefined;
}

describe("the seat ledger's rules", () => {
  it("lists free seat numbers lowest first and names seats by session and number", () => {
    expect(freeSeatNumbers(5, [2, 4])).toEqual([1, 3, 5]);
    expect(freeSeatNumbers(3, [1, 2, 3])).toEqual([]);
    expect(seatId("s1", 7)).toBe("s1#7");
  });

  it("confirms on a seat, or waits without one; history records the decision", () => {
    const confirmed = enrol(req("ana"), 3, undefined, t0);
    expect(confirmed).toMatchObject({ status: "confirmed", seat: 3, version: 1 });
    expect(confirmed.waitingSince).toBeUndefined();
    expect(confirmed.history).toEqual([{ at: t0, by: "ana", what: "confirmed", seat: 3 }]);
    const waiting = enrol(req("bea"), undefined, undefined, t0);
    expect(waiting).toMatchObject({ status: "waitlisted", waitingSince: t0 });
    expect(waiting.seat).toBeUndefined();
    expect(holdsSeat(confirmed)).toBe(true);
    expect(holdsSeat(waiting)).toBe(false);
  });

  it("refuses a second active enrolment; after a withdrawal the same enrolment continues its history", () => {
    const first = enrol(req("ana"), 1, undefined, t0);
    expect(stateOf(() => enrol(req("ana"), 2, first, t0))).toMatch(/already confirmed/);
    const gone = withdraw(first, later(HOUR), "ana", "changed plans", t0);
    const again = enrol(req("ana"), undefined, { ...gone, version: 2 }, later(1000));
    expect(again.status).toBe("waitlisted");
    expect(again.version).toBe(2);
    expect(again.history.map((h) => h.what)).toEqual(["confirmed", "withdrawn", "waitlisted"]);
  });

  it("records a prerequisite override with who and why, before the decision", () => {
    const e = enrol(
      { ...req("ana"), enrolledBy: "staff-1", override: { by: "staff-1", reason: "Colloquio", at: t0 } },
      1,
      undefined,
      t0,
    );
    expect(e.override).toEqual({ by: "staff-1", reason: "Colloquio", at: t0 });
    expect(e.history[0]).toMatchObject({
      what: "prerequisites_overridden",
      by: "staff-1",
      reason: "Colloquio",
    });
    expect(e.history[1]).toMatchObject({ what: "confirmed" });
  });
});

describe("waiting list and offers", () => {
  it("orders first come first served, ties by id", () => {
    const a = { ...enrol(req("a", "x2"), undefined, undefined, t0) };
    const b = { ...enrol(req("b", "x1"), undefined, undefined, t0) };
    const c = { ...enrol(req("c", "x0"), undefined, undefined, later(1)) };
    expect([a, c, b].sort(waitingOrder).map((e) => e.personId)).toEqual(["b", "a", "c"]);
    expect(waitingPosition(c, [a, b, c])).toBe(3);
    expect(waitingPosition(b, [a, b, c])).toBe(1);
  });

  it("offers a seat until the expiry; accepting in time confirms, late is refused", () => {
    const w = enrol(req("a"), undefined, undefined, t0);
    const offered = offerSeat(w, 4, later(48 * HOUR), "system", t0);
    expect(offered).toMatchObject({ status: "offered", seat: 4, offerExpiresAt: later(48 * HOUR) });
    expect(offered.waitingSince).toBeUndefined();
    expect(offerExpired(offered, later(47 * HOUR))).toBe(false);
    expect(offerExpired(offered, later(48 * HOUR))).toBe(true);
    const accepted = acceptOffer(offered, "a", later(HOUR));
    expect(accepted).toMatchObject({ status: "confirmed", seat: 4 });
    expect(accepted.offerExpiresAt).toBeUndefined();
    expect(stateOf(() => acceptOffer(offered, "a", later(49 * HOUR)))).toMatch(/offer expired/);
    expect(stateOf(() => offerSeat(accepted, 5, later(HOUR), "system", t0))).toMatch(/it is confirmed/);
  });

  it("declines any time; lapses only once expired, freeing the seat; every step kept in the history", () => {
    const offered = offerSeat(enrol(req("a"), undefined, undefined, t0), 4, later(48 * HOUR), "system", t0);
    expect(stateOf(() => endOffer(offered, "lapsed", "system", later(HOUR)))).toMatch(/not expired/);
    const lapsed = endOffer(offered, "lapsed", "system", later(48 * HOUR));
    expect(lapsed.status).toBe("lapsed");
    expect(lapsed.seat).toBeUndefined();
    expect(lapsed.history.map((h) => h.what)).toEqual(["waitlisted", "offered", "offer_lapsed"]);
    expect(endOffer(offered, "declined", "a", later(HOUR)).status).toBe("declined");
  });
});

describe("withdrawal and moves", () => {
  const meetings = [
    { startsAt: new Date("2026-10-10T13:00:00Z"), cancelled: true },
    { startsAt: new Date("2026-10-17T13:00:00Z"), cancelled: false },
  ] as never;

  it("sets the deadline hours before the first meeting still held", () => {
    expect(withdrawalDeadline({ meetings }, 24)).toEqual(new Date("2026-10-16T13:00:00Z"));
  });

  it("withdraws before the deadline, refuses after it naming the deadline", () => {
    const e = enrol(req("a"), 2, undefined, t0);
    const out = withdraw(e, later(HOUR), "a", "", later(HOUR));
    expect(out).toMatchObject({ status: "withdrawn" });
    expect(out.seat).toBeUndefined();
    expect(out.history.at(-1)).toMatchObject({ what: "withdrawn", seat: 2 });
    expect(stateOf(() => withdraw(e, later(HOUR), "a", "", later(2 * HOUR)))).toMatch(
      new RegExp(later(HOUR).toISOString()),
    );
    expect(stateOf(() => withdraw(out, later(HOUR), "a", "", t0))).toMatch(/it is withdrawn/);
  });

  it("moves a confirmed learner: confirmed in the target with where they came from; the source marked moved", () => {
    const source = enrol(req("a"), 2, undefined, t0);
    const target = moveIn(
      { ...req("a", "e2"), session: { ...session, id: "s2" } },
      source,
      5,
      undefined,
      later(1),
    );
    expect(target).toMatchObject({ sessionId: "s2", status: "confirmed", seat: 5, movedFrom: "s1" });
    expect(target.history).toEqual([{ at: later(1), by: "a", what: "moved_in", seat: 5, sessionId: "s1" }]);
    const moved = moveOut(source, "s2", "a", later(1));
    expect(moved.status).toBe("moved");
    expect(moved.history.at(-1)).toMatchObject({ what: "moved_out", seat: 2, sessionId: "s2" });
    expect(stateOf(() => moveOut(enrol(req("b"), undefined, undefined, t0), "s2", "b", t0))).toMatch(
      /confirmed/,
    );
  });
});

describe("prerequisites", () => {
  const need = { framework: "digcomp", version: "2.2", competence: "1.1", level: 3 };
  const cred = (level: number, revoked = false) => ({ competences: [{ ...need, level }], revoked });

  it("are met by a credential at the level or above, not by a revoked one or another version", () => {
    expect(missingPrerequisites([need], [cred(3)], () => undefined)).toEqual([]);
    expect(missingPrerequisites([need], [cred(5)], () => undefined)).toEqual([]);
    expect(missingPrerequisites([need], [cred(2)], () => undefined)).toEqual([need]);
    expect(missingPrerequisites([need], [cred(4, true)], () => undefined)).toEqual([need]);
    const other = { competences: [{ ...need, version: "3.0", level: 4 }], revoked: false };
    expect(missingPrerequisites([need], [other], () => undefined)).toEqual([need]);
  });

  it("are met by a placement self-assessment at the level", () => {
    expect(missingPrerequisites([need], [], () => 3)).toEqual([]);
    expect(missingPrerequisites([need], [], () => 2)).toEqual([need]);
  });
});

describe("audiencesServing", () => {
  it("sends students through their school, teachers to teachers' courses, and lets staff enrol anyone", () => {
    expect(audiencesServing("school", "student")).toEqual(["students"]);
    expect(audiencesServing("school", "self")).toEqual(["teachers"]);
    expect(audiencesServing("learner", "self")).not.toContain("students");
    expect(audiencesServing("staff", "on_behalf")).toBeUndefined();
  });
});
