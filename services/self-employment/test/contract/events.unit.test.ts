import { PersonRegisteredEvent, selfEmploymentEventsV1 } from "@lto/contracts";
import { describe, expect, it } from "vitest";
import { personPendingEvents } from "../../src/contract/index.js";
import { registerPerson } from "../../src/domain/index.js";
import { aPerson, SCHOOL_REFERENT } from "../fixtures.js";

describe("PersonRegistered on the wire", () => {
  it("carries the pseudonymous id, site, age band and guardian flag, and nothing personal", () => {
    const today = "2026-11-25";
    const at = new Date("2026-11-25T10:00:00Z");
    const input = {
      ...aPerson(today, { referent: SCHOOL_REFERENT }, 17),
      guardianConsent: { name: "Anna Rossi", date: today },
    };
    const { person, events } = registerPerson(input, "person-7", today, "staff-1", at);
    const [pending] = personPendingEvents(events, 1);
    expect(pending!.type).toBe(PersonRegisteredEvent.type);
    expect(pending!.key).toBe("person-7");
    expect(pending!.subject).toBe("person-7");
    const decoded = PersonRegisteredEvent.decode(pending!.data);
    expect(decoded).toEqual({
      personId: "person-7",
      site: "lto-mantova",
      ageBand: selfEmploymentEventsV1.AgeBand.AGE_BAND_16_17,
      guardianConsent: true,
      occurredAt: at.toISOString(),
      actorSubject: "staff-1",
      version: 1,
    });
    const wire = JSON.stringify(decoded);
    for (const secret of [
      person.codiceFiscale,
      person.givenName,
      person.familyName,
      person.birthDate,
      person.email!,
    ])
      expect(wire).not.toContain(secret);
  });
});
