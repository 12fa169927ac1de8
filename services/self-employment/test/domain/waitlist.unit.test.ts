import { describe, expect, it } from "vitest";
import { invalid, refusal } from "./thrown.js";
import {
  acceptOffer,
  declineOffer,
  entryBooked,
  firstEligible,
  hasLapsed,
  joinWaitlist,
  lapseOffer,
  leaveWaitlist,
  makeOffer,
  offerBooked,
  abandonAcceptance,
  markForwarded,
  needsForwarding,
  offerDeadline,
  passedOverAfter,
  slotSuits,
  withdrawOffer,
  type FreedSlot,
  type WaitlistEntry,
} from "../../src/domain/waitlist/index.js";

const HOUR = 3_600_000;
const now = new Date("2026-03-02T08:00:00Z"); // Monday 2 March 2026, 09:00 in Rome
const at = (hours: number) => new Date(now.getTime() + hours * HOUR);
const timing = { offerHours: 24, minNoticeMinutes: 120 };

// Wednesday 4 March 2026, 10:00-11:00 in Rome (UTC+1).
const slot: FreedSlot = {
  serviceCode: "coaching",
  site: "lto-mantova",
  operatorId: "op-1",
  start: new Date("2026-03-04T09:00:00Z"),
  end: new Date("2026-03-04T10:00:00Z"),
  roomId: "room-1",
};

function entry(id: string, joinedHoursAgo: number, over: Partial<WaitlistEntry> = {}): WaitlistEntry {
  return {
    ...joinWaitlist(
      { id, serviceCode: "coaching", site: "lto-mantova", personId: `p-${id}` },
      undefined,
      "staff-1",
      at(-joinedHoursAgo),
    ),
    ...over,
  };
}

describe("joining and leaving", () => {
  it("joins in line with its preferences, sorted days", () => {
    const e = joinWaitlist(
      {
        id: "e1",
        serviceCode: "coaching",
        site: "lto-mantova",
        personId: "p1",
        preferences: { days: [5, 3], from: "09:00", to: "13:00", operatorId: "op-1" },
      },
      undefined,
      "staff-1",
      now,
    );
    expect(e).toMatchObject({
      status: "waiting",
      joinedAt: now,
      joinedBy: "staff-1",
      preferences: { days: [3, 5], from: "09:00", to: "13:00", operatorId: "op-1" },
    });
  });

  it("refuses a second entry of a person still waiting on the list, naming the first", () => {
    const first = entry("e1", 1);
    const err = refusal(() =>
      joinWaitlist(
        { id: "e2", serviceCode: "coaching", site: "lto-mantova", personId: "p-e1" },
        first,
        "s",
        now,
      ),
    );
    expect(err.details).toMatchObject({ reason: "already_waiting", entryId: "e1" });
  });

  it("lets a person who left join again", () => {
    const left = leaveWaitlist(entry("e1", 1), "p-e1", now);
    const again = joinWaitlist(
      { id: "e2", serviceCode: "coaching", site: "lto-mantova", personId: "p-e1" },
      left,
      "s",
      now,
    );
    expect(again.status).toBe("waiting");
  });

  it("names every bad preference", () => {
    const err = invalid(() =>
      joinWaitlist(
        {
          id: "e1",
          serviceCode: "coaching",
          site: "lto-mantova",
          personId: "p1",
          preferences: { days: [0, 8, 8] as never, from: "13:00", to: "09:00", operatorId: "" },
        },
        undefined,
        "s",
        now,
      ),
    );
    expect(err.issues.map((i) => i.path).sort()).toEqual(
      [
        "preferences.days",
        "preferences.days.0",
        "preferences.days.1",
        "preferences.days.2",
        "preferences.operatorId",
        "preferences.to",
      ].sort(),
    );
    expect(
      invalid(() => joinWaitlist({ id: "", serviceCode: "", site: "", personId: "" }, undefined, "s", now))
        .issues,
    ).toHaveLength(4);
    expect(
      invalid(() =>
        joinWaitlist(
          { id: "e", serviceCode: "c", site: "s", personId: "p", preferences: { from: "9", days: [] } },
          undefined,
          "s",
          now,
        ),
      ).issues.map((i) => i.path),
    ).toEqual(["preferences.days", "preferences.from"]);
  });

  it("leaves once; a booked entry cannot leave", () => {
    const left = leaveWaitlist(entry("e1", 1), "p-e1", now, "found a job");
    expect(left).toMatchObject({ status: "left", left: { at: now, by: "p-e1", reason: "found a job" } });
    expect(refusal(() => leaveWaitlist(left, "p-e1", now)).message).toMatch(/left the list already/);
    expect(refusal(() => leaveWaitlist(entry("e2", 1, { status: "booked" }), "s", now)).message).toMatch(
      /cancel the booking/,
    );
  });
});

describe("who gets a freed slot", () => {
  it("goes to the first in line by join time, whatever the list order", () => {
    const list = [entry("late", 1), entry("early", 5), entry("middle", 3)];
    expect(firstEligible(list, slot)?.id).toBe("early");
  });

  it("skips entries not waiting, of another service or site, passed over or holding an offer", () => {
    const list = [
      entry("left", 9, { status: "left" }),
      entry("booked", 8, { status: "booked" }),
      entry("other-service", 7, { serviceCode: "accoglienza" }),
      entry("other-site", 6, { site: "lto-asola" }),
      entry("declined", 5),
      entry("offered", 4),
      entry("next", 3),
    ];
    expect(firstEligible(list, slot, { passedOver: ["declined"], holdingOffer: ["offered"] })?.id).toBe(
      "next",
    );
    expect(firstEligible(list.slice(0, 4), slot)).toBeUndefined();
  });

  it("honours the preferred days, the Rome time window and the operator", () => {
    expect(slotSuits({ days: [3] }, slot)).toBe(true); // a Wednesday
    expect(slotSuits({ days: [1, 2, 4, 5] }, slot)).toBe(false);
    expect(slotSuits({ from: "10:00", to: "11:00" }, slot)).toBe(true); // Rome wall clock, not UTC
    expect(slotSuits({ from: "10:15" }, slot)).toBe(false);
    expect(slotSuits({ to: "10:45" }, slot)).toBe(false);
    expect(slotSuits({ operatorId: "op-1" }, slot)).toBe(true);
    expect(slotSuits({ operatorId: "op-2" }, slot)).toBe(false);
    // Summer time: 10:00 in Rome is 08:00 UTC.
    const summer = {
      ...slot,
      start: new Date("2026-06-03T08:00:00Z"),
      end: new Date("2026-06-03T09:00:00Z"),
    };
    expect(slotSuits({ from: "10:00", to: "11:00" }, summer)).toBe(true);
    const list = [entry("mornings-only", 5, { preferences: { to: "10:30" } }), entry("any", 1)];
    expect(firstEligible(list, slot)?.id).toBe("any");
  });
});

describe("offers", () => {
  it("runs for the offer hours, but never past the slot's start minus its minimum notice", () => {
    expect(offerDeadline(now, slot.start, timing)).toEqual(at(24));
    // The slot starts in 10 hours: the offer ends 2 hours (the notice) before it.
    expect(offerDeadline(now, at(10), timing)).toEqual(at(8));
    // Inside the notice: too late to offer.
    expect(offerDeadline(now, at(2), timing)).toBeUndefined();
    expect(offerDeadline(now, at(1), timing)).toBeUndefined();
  });

  it("is made to a waiting entry, with what was passed over; not when the slot is too close", () => {
    const e = entry("e1", 1);
    const offer = makeOffer(e, { id: "o1", slot, sourceBookingId: "b1", passedOver: ["e0"] }, timing, now)!;
    expect(offer).toMatchObject({
      id: "o1",
      entryId: "e1",
      personId: "p-e1",
      serviceCode: "coaching",
      site: "lto-mantova",
      status: "pending",
      expiresAt: at(24),
      passedOver: ["e0"],
      sourceBookingId: "b1",
    });
    expect(passedOverAfter(offer)).toEqual(["e0", "e1"]);
    expect(
      makeOffer(
        e,
        { id: "o2", slot: { ...slot, start: at(1), end: at(2) }, sourceBookingId: "b1" },
        timing,
        now,
      ),
    ).toBeUndefined();
    expect(() =>
      makeOffer(entry("x", 1, { status: "left" }), { id: "o3", slot, sourceBookingId: "b" }, timing, now),
    ).toThrow(/only an entry waiting/);
  });

  it("accepted before it expires: the entry is booked; after: refused as expired", () => {
    const e = entry("e1", 1);
    const offer = makeOffer(e, { id: "o1", slot, sourceBookingId: "b1" }, timing, now)!;
    const accepted = acceptOffer(offer, "o1", "p-e1", at(1));
    expect(accepted).toMatchObject({
      status: "accepted",
      bookingId: "o1",
      decidedBy: "p-e1",
      decidedAt: at(1),
    });
    expect(entryBooked(e, "o1")).toMatchObject({ status: "booked", bookingId: "o1" });
    expect(refusal(() => entryBooked(entryBooked(e, "o1"), "o2")).message).toMatch(/booked already/);
    expect(refusal(() => acceptOffer(accepted, "o1", "p-e1", at(2))).message).toMatch(/accepted already/);
    expect(refusal(() => acceptOffer(offer, "o1", "p-e1", at(24))).details).toMatchObject({
      reason: "expired",
    });
  });

  it("declined: the offer ends, the person keeps their place", () => {
    const offer = makeOffer(entry("e1", 1), { id: "o1", slot, sourceBookingId: "b1" }, timing, now)!;
    const declined = declineOffer(offer, "p-e1", at(1));
    expect(declined).toMatchObject({ status: "declined", decidedBy: "p-e1" });
    expect(refusal(() => declineOffer(declined, "p-e1", at(2))).message).toMatch(/declined already/);
  });

  it("lapses only once its deadline has passed, and only while pending", () => {
    const offer = makeOffer(entry("e1", 1), { id: "o1", slot, sourceBookingId: "b1" }, timing, now)!;
    expect(hasLapsed(offer, at(23.9))).toBe(false);
    expect(refusal(() => lapseOffer(offer, at(23))).message).toMatch(/runs until/);
    expect(hasLapsed(offer, at(24))).toBe(true);
    expect(lapseOffer(offer, at(24))).toMatchObject({ status: "lapsed", decidedBy: "system" });
    const declined = declineOffer(offer, "p", at(1));
    expect(hasLapsed(declined, at(30))).toBe(false);
    expect(refusal(() => lapseOffer(declined, at(30))).message).toMatch(/declined/);
  });

  it("withdrawn when the person leaves while offered", () => {
    const offer = makeOffer(entry("e1", 1), { id: "o1", slot, sourceBookingId: "b1" }, timing, now)!;
    expect(withdrawOffer(offer, "p-e1", at(1))).toMatchObject({ status: "withdrawn" });
    expect(() => withdrawOffer({ ...offer, status: "lapsed" }, "p", at(1))).toThrow(/lapsed/);
  });
});

describe("forwarding an ended offer's slot", () => {
  it("is needed once after a decline, a lapse or a withdrawal, never for a pending or accepted offer", () => {
    const e = entry("e1", 1);
    const offer = makeOffer(e, { id: "o1", slot, sourceBookingId: "b1" }, timing, now)!;
    expect(needsForwarding(offer)).toBe(false);
    expect(needsForwarding(acceptOffer(offer, "o1", "p", at(1)))).toBe(false);
    for (const ended of [
      declineOffer(offer, "p", at(1)),
      lapseOffer(offer, at(24)),
      withdrawOffer(offer, "p", at(1)),
    ]) {
      expect(needsForwarding(ended)).toBe(true);
      const forwarded = markForwarded(ended, at(25));
      expect(needsForwarding(forwarded)).toBe(false);
      expect(refusal(() => markForwarded(forwarded, at(26))).message).toMatch(/went on already/);
    }
    expect(refusal(() => markForwarded(offer, at(1))).message).toMatch(/pending/);
  });
});

describe("an acceptance whose booking was never written", () => {
  it("is given up as lapsed (then forwarded); a booked one is not", () => {
    const offer = makeOffer(entry("e1", 1), { id: "o1", slot, sourceBookingId: "b1" }, timing, now)!;
    const accepted = acceptOffer(offer, "o1", "p", at(1));
    const abandoned = abandonAcceptance(accepted, at(2));
    expect(abandoned).toMatchObject({ status: "lapsed", decidedBy: "system" });
    expect(abandoned.bookingId).toBeUndefined();
    expect(needsForwarding(abandoned)).toBe(true);
    const booked = offerBooked(accepted, at(1));
    expect(booked.bookedAt).toEqual(at(1));
    expect(offerBooked(booked, at(3)).bookedAt).toEqual(at(1));
    expect(refusal(() => abandonAcceptance(booked, at(2))).message).toMatch(/booking is written/);
    expect(refusal(() => offerBooked(offer, at(2))).message).toMatch(/pending/);
  });
});
