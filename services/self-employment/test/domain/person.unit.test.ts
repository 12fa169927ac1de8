import { ValidationError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import { ageBandOf, ageOn, registerPerson } from "../../src/domain/index.js";
import { aPerson, birthDateFor, codiceFiscaleFor, SCHOOL_REFERENT } from "../fixtures.js";

const today = "2026-11-25";
const now = new Date("2026-11-25T10:00:00Z");

function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error("expected a ValidationError");
}
const fields = (run: () => unknown) => refusal(run).issues.map((i) => i.path);

describe("registering a person", () => {
  it("keeps the minimum, with a pseudonymous id and an event that names no one", () => {
    const { person, events } = registerPerson(aPerson(today), "p-1", today, "staff-1", now);
    expect(person).toMatchObject({ id: "p-1", givenName: "Giulia", site: "lto-mantova", version: 1 });
    expect(person.id).not.toBe(person.codiceFiscale);
    expect(events).toEqual([{ type: "PersonRegistered", person, ageBand: "18_24", by: "staff-1", at: now }]);
  });

  it("normalises the codice fiscale and refuses a bad format, a wrong check character, another birth date", () => {
    const input = aPerson(today);
    const lower = registerPerson(
      { ...input, codiceFiscale: input.codiceFiscale.toLowerCase() },
      "p",
      today,
      "s",
      now,
    );
    expect(lower.person.codiceFiscale).toBe(input.codiceFiscale);
    expect(fields(() => registerPerson({ ...input, codiceFiscale: "RSSGLI" }, "p", today, "s", now))).toEqual(
      ["codiceFiscale"],
    );
    const wrongCheck = input.codiceFiscale.slice(0, 15) + (input.codiceFiscale[15] === "A" ? "B" : "A");
    expect(
      refusal(() => registerPerson({ ...input, codiceFiscale: wrongCheck }, "p", today, "s", now)).issues,
    ).toEqual([{ path: "codiceFiscale", message: "has a wrong check character: check it for typos" }]);
    expect(
      fields(() => registerPerson({ ...input, birthDate: birthDateFor(22, today) }, "p", today, "s", now)),
    ).toEqual(["birthDate"]);
  });

  it("names every other bad field at once", () => {
    const bad = {
      ...aPerson(today),
      givenName: " ",
      email: "not-an-address",
      phone: "abc",
      consent: { date: "2030-01-01" },
      site: "lto-roma",
      guardianConsent: { name: "X", date: "2026-13-01" },
    };
    expect(fields(() => registerPerson(bad, "p", today, "s", now))).toEqual([
      "givenName",
      "email",
      "phone",
      "consent.date",
      "site",
      "guardianConsent.name",
      "guardianConsent.date",
    ]);
    const { email: _e, ...noContact } = aPerson(today);
    expect(fields(() => registerPerson(noContact, "p", today, "s", now))).toEqual(["email"]);
  });

  it("refuses a person under 16, saying why", () => {
    const err = refusal(() => registerPerson(aPerson(today, {}, 15), "p", today, "s", now));
    expect(err.message).toMatch(/is 15: .* 16 or more/);
    expect(err.issues.map((i) => i.path)).toEqual(["birthDate"]);
  });

  it("needs a guardian's consent for a 16-17 year old, then registers them", () => {
    const minor = aPerson(today, { referent: SCHOOL_REFERENT }, 17);
    const err = refusal(() => registerPerson(minor, "p", today, "s", now));
    expect(err.issues.map((i) => i.path)).toEqual(["guardianConsent"]);
    const { events } = registerPerson(
      { ...minor, guardianConsent: { name: "Anna Rossi", date: today } },
      "p",
      today,
      "s",
      now,
    );
    expect(events[0]!.ageBand).toBe("16_17");
  });

  it("counts ages in whole years and bands them", () => {
    expect(ageOn("2010-11-25", today)).toBe(16);
    expect(ageOn("2010-11-26", today)).toBe(15);
    expect([16, 18, 24, 25, 29, 30].map(ageBandOf)).toEqual([
      "16_17",
      "18_24",
      "18_24",
      "25_29",
      "25_29",
      "30_plus",
    ]);
    expect(codiceFiscaleFor("2010-11-25")).toHaveLength(16);
  });
});
