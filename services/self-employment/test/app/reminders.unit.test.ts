// Who a booking's mails go to: the adult person, a minor's school referent (under 18 on the booking's
// day), or nobody, saying why.
import { describe, expect, it } from "vitest";
import { noticeRecipient } from "../../src/app/reminders.js";
import { registerPerson } from "../../src/domain/index.js";
import { aPerson, SCHOOL_REFERENT } from "../fixtures.js";

const today = "2026-11-25";
const now = new Date("2026-11-25T10:00:00Z");
const consent = { name: "Anna Rossi", date: today };

describe("the recipient of a booking's mails", () => {
  it("is the adult person, by their name", () => {
    const { person } = registerPerson(aPerson(today), "p", today, "s", now);
    expect(noticeRecipient(person, today)).toEqual({
      email: "giulia.rossi@example.it",
      name: "Giulia Rossi",
    });
  });

  it("is a minor's school referent, told whose appointment it is, until the minor turns 18", () => {
    const { person } = registerPerson(
      aPerson(today, { guardianConsent: consent, referent: SCHOOL_REFERENT }, 17),
      "p",
      today,
      "s",
      now,
    );
    expect(noticeRecipient(person, today)).toEqual({
      email: SCHOOL_REFERENT.email,
      name: SCHOOL_REFERENT.name,
      onBehalfOf: "Giulia Rossi",
    });
    // A booking after their 18th birthday goes to them.
    expect(noticeRecipient(person, "2027-12-31")).toEqual({
      email: "giulia.rossi@example.it",
      name: "Giulia Rossi",
    });
  });

  it("is nobody for an adult without an e-mail, or a minor recorded without a referent", () => {
    const { email: _e, ...phoneOnly } = aPerson(today, { phone: "+39 333 1234567" });
    expect(noticeRecipient(registerPerson(phoneOnly, "p", today, "s", now).person, today)).toBe("no_email");
    const { person } = registerPerson(
      aPerson(today, { guardianConsent: consent, referent: SCHOOL_REFERENT }, 17),
      "p",
      today,
      "s",
      now,
    );
    const { referent: _r, ...before } = person; // registered before the referent was required
    expect(noticeRecipient(before, today)).toBe("minor_without_referent");
  });
});
