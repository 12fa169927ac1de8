// The school referent of a 16-17 year old: required with the guardian's consent, checked field by
// field, refused for an adult (who receives their own notices).
import { ValidationError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import { registerPerson, toldOfChanges } from "../../src/domain/index.js";
import { aPerson, SCHOOL_REFERENT } from "../fixtures.js";

const today = "2026-11-25";
const now = new Date("2026-11-25T10:00:00Z");
const consent = { name: "Anna Rossi", date: today };

function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error("expected a ValidationError");
}

describe("the school referent of a minor", () => {
  it("is required at 16-17 beside the guardian's consent, and the refusal names both when both lack", () => {
    const minor = aPerson(today, {}, 16);
    const both = refusal(() => registerPerson(minor, "p", today, "s", now));
    expect(both.issues.map((i) => i.path)).toEqual(["guardianConsent", "referent"]);
    expect(both.message).toMatch(/guardian's consent .* and their school referent/);
    const noReferent = refusal(() =>
      registerPerson({ ...minor, guardianConsent: consent }, "p", today, "s", now),
    );
    expect(noReferent.issues).toEqual([
      { path: "referent", message: "is required for a person aged 16 or 17" },
    ]);
    expect(noReferent.message).toMatch(/is 16: record their school referent \(name and e-mail\)/);
  });

  it("is kept with the person, trimmed, subject included", () => {
    const { person } = registerPerson(
      aPerson(
        today,
        { guardianConsent: consent, referent: { ...SCHOOL_REFERENT, name: "  Prof. Neri " } },
        17,
      ),
      "p",
      today,
      "s",
      now,
    );
    expect(person.referent).toEqual({ ...SCHOOL_REFERENT, name: "Prof. Neri" });
    const { person: noSubject } = registerPerson(
      aPerson(
        today,
        { guardianConsent: consent, referent: { name: "Prof. Neri", email: "neri@example.it" } },
        17,
      ),
      "p",
      today,
      "s",
      now,
    );
    expect(noSubject.referent).toEqual({ name: "Prof. Neri", email: "neri@example.it" });
  });

  it("names each bad field of it", () => {
    const bad = aPerson(
      today,
      { guardianConsent: consent, referent: { name: "X", email: "nope", subject: " " } },
      17,
    );
    expect(refusal(() => registerPerson(bad, "p", today, "s", now)).issues.map((i) => i.path)).toEqual([
      "referent.name",
      "referent.email",
      "referent.subject",
    ]);
  });

  it("is refused for an adult, who receives their own notices", () => {
    const err = refusal(() =>
      registerPerson(aPerson(today, { referent: SCHOOL_REFERENT }, 18), "p", today, "s", now),
    );
    expect(err.issues).toEqual([{ path: "referent", message: "is only for a person aged 16 or 17" }]);
    expect(err.message).toMatch(/is 18: an adult receives their own notices/);
  });
});

describe("who is told of a change to the person's bookings", () => {
  it("a 16-17 year old through the referent's account, an adult through their own, nobody unknown", () => {
    expect(toldOfChanges({ referent: SCHOOL_REFERENT, learnerSubject: "learner-x" })).toEqual({
      learnerSubject: "",
      referentSubject: SCHOOL_REFERENT.subject,
    });
    const { subject: _none, ...noAccount } = SCHOOL_REFERENT;
    expect(toldOfChanges({ referent: noAccount })).toEqual({ learnerSubject: "", referentSubject: "" });
    expect(toldOfChanges({ learnerSubject: "learner-x" })).toEqual({
      learnerSubject: "learner-x",
      referentSubject: "",
    });
    expect(toldOfChanges(undefined)).toEqual({ learnerSubject: "", referentSubject: "" });
  });
});
