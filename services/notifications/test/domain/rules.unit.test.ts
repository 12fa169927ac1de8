import { describe, expect, it } from "vitest";
import {
  activated,
  disabled,
  endedWatch,
  heldWatch,
  holdNoticeDue,
  keysOf,
  markRead,
  noticesFor,
  sweepDecision,
  toTell,
  withPerson,
  type Fact,
  type Notice,
} from "../../src/domain/index.js";

const at = new Date("2026-11-20T09:00:00Z");
const expiresAt = new Date("2026-11-22T17:30:00Z");

const bookingBase = {
  bookingId: "b-1",
  serviceType: "orientamento",
  site: "lto-mantova",
  startsAt: new Date("2026-12-01T09:00:00Z"),
  at,
};

describe("which event makes which notices for whom", () => {
  it("an adoption offer goes to every referent of the idea's school and asks for action", () => {
    const [n, ...rest] = noticesFor(
      {
        type: "AdoptionOffered",
        offerId: "o-1",
        ideaId: "i-1",
        schoolId: "school-fermi",
        companyId: "co-1",
        companyName: "Officine Mantovane",
        at,
      },
      "ev-1",
    );
    expect(rest).toEqual([]);
    expect(n).toMatchObject({
      id: expect.stringMatching(/^ev-1\.[0-9a-z]+$/),
      kind: "offer_received",
      recipient: { kind: "organisation", role: "school", organisationId: "school-fermi" },
      recipientKey: "school:school-fermi",
      refs: { offerId: "o-1", ideaId: "i-1", companyId: "co-1" },
      needsAction: true,
      at,
    });
    expect(n!.texts.it.body).toContain("Officine Mantovane");
    expect(n!.texts.en.title).toBe("New adoption offer");
    expect(n!.deadline).toBeUndefined();
  });

  it("an accepted offer goes to the company; a declined one too, but a company's own withdrawal to the school", () => {
    const adopted = noticesFor(
      {
        type: "IdeaAdopted",
        adoptionId: "a-1",
        offerId: "o-1",
        ideaId: "i-1",
        schoolId: "s",
        companyId: "co-1",
        at,
      },
      "ev-2",
    );
    expect(adopted.map((n) => [n.kind, n.recipientKey, n.needsAction])).toEqual([
      ["offer_accepted", "company:co-1", false],
    ]);
    const declined = (reason: "declined_by_school" | "withdrawn_by_company") =>
      noticesFor(
        {
          type: "OfferDeclined",
          offerId: "o-1",
          ideaId: "i-1",
          schoolId: "s-1",
          companyId: "co-1",
          reason,
          detail: "Serve più mentoring.",
          at,
        },
        "ev-3",
      );
    const [byschool] = declined("declined_by_school");
    expect([byschool!.kind, byschool!.recipientKey]).toEqual(["offer_declined", "company:co-1"]);
    expect(byschool!.texts.it.body).toContain("Serve più mentoring.");
    const [withdrawn] = declined("withdrawn_by_company");
    expect([withdrawn!.kind, withdrawn!.recipientKey]).toEqual(["offer_withdrawn", "school:s-1"]);
  });

  it("a delivery the company logged goes to the school's referents to confirm", () => {
    const [n, ...rest] = noticesFor(
      {
        type: "DeliveryLogged",
        adoptionId: "a-1",
        ideaId: "i-1",
        schoolId: "school-fermi",
        companyId: "co-1",
        deliveryId: "r-1",
        kind: "mentoring",
        deliveredOn: "2026-03-02",
        at,
      },
      "ev-9",
    );
    expect(rest).toEqual([]);
    expect(n).toMatchObject({
      kind: "delivery_to_confirm",
      recipientKey: "school:school-fermi",
      needsAction: true,
      refs: { adoptionId: "a-1", ideaId: "i-1", deliveryId: "r-1", companyId: "co-1" },
    });
    expect(n!.texts.it.body).toContain("un incontro di mentoring del 2 marzo 2026");
    expect(n!.texts.en.body).toContain("a mentoring session on 2 March 2026");
  });

  it("a hold about to lapse goes to the company with the expiry as its deadline", () => {
    const [n] = noticesFor(
      { type: "HoldExpiring", holdId: "h-1", ideaId: "i-1", companyId: "co-1", expiresAt, at },
      "hold-h-1",
    );
    expect(n).toMatchObject({
      id: expect.stringMatching(/^hold-h-1\.[0-9a-z]+$/),
      kind: "hold_expiring",
      recipientKey: "company:co-1",
      deadline: expiresAt,
      needsAction: true,
      refs: { holdId: "h-1", ideaId: "i-1" },
    });
    // Rome time in both languages (18:30 in November)
    expect(n!.texts.it.body).toContain("18:30");
    expect(n!.texts.en.body).toContain("18:30");
  });

  it("a seat offer goes to the learner, or for a school's student to the school, with its deadline", () => {
    const seat = (personId: string): Fact => ({
      type: "SeatOffered",
      enrolmentId: "e-1",
      sessionId: "se-1",
      courseId: "c-1",
      personId,
      expiresAt,
      at,
    });
    const [learner] = noticesFor(seat("learner-anna"), "ev-4");
    expect(learner).toMatchObject({
      kind: "seat_offered",
      recipient: { kind: "person", subject: "learner-anna" },
      deadline: expiresAt,
      needsAction: true,
    });
    const [student] = noticesFor(seat("school-fermi/Volpe Blu"), "ev-5");
    expect(student).toMatchObject({
      recipientKey: "school:school-fermi",
      refs: { pseudonym: "Volpe Blu", sessionId: "se-1" },
    });
    expect(student!.texts.it.body).toContain("Volpe Blu");
  });

  it("a cancelled session tells each enrolled and waiting learner once, students through their school", () => {
    const notices = noticesFor(
      {
        type: "SessionCancelled",
        sessionId: "se-1",
        courseId: "c-1",
        reason: "Docente malato.",
        personIds: ["learner-a", "school-fermi/Airone", "learner-b", "learner-a"],
        at,
      },
      "ev-6",
    );
    expect(notices.map((n) => [n.recipientKey, n.needsAction])).toEqual([
      ["person:learner-a", false],
      ["school:school-fermi", false],
      ["person:learner-b", false],
    ]);
    expect(new Set(notices.map((n) => n.id)).size).toBe(3);
    // a person's notice keeps its id whoever else the list names (a roster that changed meanwhile)
    const again = noticesFor(
      {
        type: "SessionCancelled",
        sessionId: "se-1",
        courseId: "c-1",
        reason: "Docente malato.",
        personIds: ["learner-b", "learner-c"],
        at,
      },
      "ev-6",
    );
    expect(again[0]!.id).toBe(notices[2]!.id);
    expect(notices[0]!.texts.it.body).toContain("Docente malato.");
  });

  it("a moved or cancelled booking goes to the learner account, else to a minor's referent, else to nobody", () => {
    const moved = (learnerSubject: string, referentSubject: string) =>
      noticesFor(
        {
          type: "BookingRescheduled",
          ...bookingBase,
          previousStartsAt: new Date("2026-11-30T09:00:00Z"),
          learnerSubject,
          referentSubject,
        },
        "ev-7",
      );
    expect(moved("learner-anna", "").map((n) => n.recipientKey)).toEqual(["person:learner-anna"]);
    expect(moved("", "referent-rossi").map((n) => n.recipientKey)).toEqual(["person:referent-rossi"]);
    expect(moved("", "")).toEqual([]);
    const [cancelled] = noticesFor(
      {
        type: "BookingCancelled",
        ...bookingBase,
        reason: "Operatore assente",
        learnerSubject: "l",
        referentSubject: "",
        at,
      },
      "ev-8",
    );
    expect(cancelled).toMatchObject({
      kind: "booking_cancelled",
      needsAction: false,
      refs: { bookingId: "b-1" },
    });
    expect(cancelled!.texts.en.body).toContain("Operatore assente");
  });

  it("the same fact makes the same notice ids", () => {
    const fact: Fact = {
      type: "SessionCancelled",
      sessionId: "s",
      courseId: "c",
      reason: "",
      personIds: ["a", "b"],
      at,
    };
    expect(noticesFor(fact, "ev").map((n) => n.id)).toEqual(noticesFor(fact, "ev").map((n) => n.id));
  });
});

describe("read per person", () => {
  const notice: Notice = {
    ...noticesFor(
      { type: "IdeaAdopted", adoptionId: "a", offerId: "o", ideaId: "i", schoolId: "s", companyId: "co", at },
      "e",
    )[0]!,
    readBy: [],
    version: 1,
  };

  it("marking read by one person leaves it unread for another", () => {
    const read = markRead(notice, "user-1");
    expect(read.readBy).toEqual(["user-1"]);
    expect(markRead(read, "user-1")).toBe(read);
    expect(markRead(read, "user-2").readBy).toEqual(["user-1", "user-2"]);
  });

  it("a caller sees their own notices and their organisation's only for their role", () => {
    expect(keysOf({ subject: "u", role: "company", organisationId: "co" })).toEqual([
      "person:u",
      "company:co",
    ]);
    expect(keysOf({ subject: "u", role: "school", organisationId: "s" })).toEqual(["person:u", "school:s"]);
    expect(keysOf({ subject: "u", role: "staff", organisationId: "lto" })).toEqual(["person:u"]);
    expect(keysOf({ subject: "u", role: "learner", organisationId: "" })).toEqual(["person:u"]);
  });
});

describe("the address book", () => {
  const activation = {
    subject: "u-1",
    role: "school",
    organisationId: "s-1",
    email: "referente@scuola.it",
    displayName: "Maria Rossi",
    locale: "en",
    version: 2,
  };

  it("keeps the newest announcement of an account", () => {
    const a = activated(undefined, activation)!;
    expect(a).toMatchObject({ id: "u-1", locale: "en", active: true, sourceVersion: 2, version: 0 });
    expect(activated({ ...a, version: 1 }, { ...activation, version: 1 })).toBeUndefined();
    expect(activated({ ...a, version: 1 }, { ...activation, version: 3, email: "x@y.it" })).toMatchObject({
      email: "x@y.it",
      version: 1,
    });
  });

  it("an unknown locale reads Italian, an unusable address is not kept", () => {
    expect(activated(undefined, { ...activation, locale: "de", email: "not an address" })).toMatchObject({
      locale: "it",
      email: "",
    });
  });

  it("a disabled account stays disabled against an older activation", () => {
    const off = disabled(undefined, "u-1", 5)!;
    expect(off).toMatchObject({ active: false, sourceVersion: 5 });
    expect(activated({ ...off, version: 1 }, { ...activation, version: 4 })).toBeUndefined();
    expect(disabled({ ...off, version: 1 }, "u-1", 5)).toBeUndefined();
  });
});

describe("holds about to lapse", () => {
  const held = { holdId: "h-1", ideaId: "i-1", companyId: "co-1", expiresAt };
  const due = holdNoticeDue(expiresAt, 24);

  it("is due the given hours before the expiry, notified while the hold lasts", () => {
    expect(due.toISOString()).toBe("2026-11-21T17:30:00.000Z");
    const w = heldWatch(undefined, held, due)!;
    expect(sweepDecision(w, new Date("2026-11-21T17:00:00Z"))).toBe("not_due");
    expect(sweepDecision(w, new Date("2026-11-21T18:00:00Z"))).toBe("notify");
    expect(sweepDecision(w, new Date("2026-11-22T18:00:00Z"))).toBe("too_late");
    expect(sweepDecision({ ...w, state: "noticed" }, new Date("2026-11-21T18:00:00Z"))).toBe("not_due");
  });

  it("an ended hold is not reopened by a late or repeated IdeaHeld", () => {
    const ended = endedWatch(undefined, { holdId: "h-1", ideaId: "i-1", companyId: "co-1", at })!;
    expect(ended.state).toBe("ended");
    expect(heldWatch({ ...ended, version: 1 }, held, due)).toBeUndefined();
    expect(
      endedWatch({ ...ended, version: 1 }, { holdId: "h-1", ideaId: "i-1", companyId: "co-1", at }),
    ).toBeUndefined();
  });
});

describe("session rosters", () => {
  it("keeps who is in, once each; a withdrawal takes them out; nothing changes twice", () => {
    const a = withPerson(undefined, "se-1", "learner-a", true)!;
    expect(a.entries).toEqual([{ personId: "learner-a", active: true }]);
    expect(withPerson({ ...a, version: 1 }, "se-1", "learner-a", true)).toBeUndefined();
    expect(withPerson(undefined, "se-1", "learner-x", false)).toBeUndefined();
    const b = withPerson({ ...a, version: 1 }, "se-1", "school-fermi/Airone", true)!;
    const out = withPerson({ ...b, version: 2 }, "se-1", "learner-a", false)!;
    expect(out.entries).toEqual([
      { personId: "learner-a", active: false },
      { personId: "school-fermi/Airone", active: true },
    ]);
    expect(out.version).toBe(2);
  });

  it("a cancellation tells the event's people and the roster's active ones, once each", () => {
    const roster = {
      id: "se-1",
      entries: [
        { personId: "learner-a", active: true },
        { personId: "learner-b", active: false },
        { personId: "learner-c", active: true },
      ],
      version: 3,
    };
    expect(toTell(["learner-c", "learner-d"], roster)).toEqual(["learner-c", "learner-d", "learner-a"]);
    expect(toTell(["learner-d"], undefined)).toEqual(["learner-d"]);
  });
});
