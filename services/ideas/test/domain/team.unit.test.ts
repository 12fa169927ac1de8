import { InvalidStateError, NotFoundError, ValidationError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import {
  completeErasure,
  eraseMember,
  membersLackingConsent,
  pseudonymisedTeam,
  recordParentalConsent,
  updateTeam,
} from "../../src/domain/index.js";
import { aTeam, during, teamInput } from "../fixtures.js";

describe("teams", () => {
  it("registers members by pseudonym for the registering school", () => {
    const team = aTeam();
    expect(team.schoolId).toBe("school-fermi");
    expect(team.members.map((m) => m.pseudonym)).toEqual(["Volpe Blu", "Airone"]);
    expect(new Set(team.members.map((m) => m.id)).size).toBe(2);
  });

  it("refuses bad members, naming each field", () => {
    try {
      aTeam({
        className: "6Z",
        members: [
          { pseudonym: "mario.rossi@gmail.com", minor: true },
          { pseudonym: "Airone", minor: false, parentalConsentOn: "2026-10-01" },
          { pseudonym: "airone", minor: true, parentalConsentOn: "2099-01-01" },
          { pseudonym: "anonimo-1", minor: false },
        ],
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => i.path)).toEqual([
        "className",
        "members.0.pseudonym",
        "members.1.parentalConsentOn",
        "members.2.pseudonym",
        "members.2.parentalConsentOn",
        "members.3.pseudonym",
      ]);
    }
  });

  it("knows which minors still lack parental consent, and records it", () => {
    const team = aTeam({
      members: [
        { pseudonym: "Volpe Blu", minor: true },
        { pseudonym: "Airone", minor: false },
      ],
    });
    const [minor, adult] = team.members;
    expect(membersLackingConsent(team).map((m) => m.pseudonym)).toEqual(["Volpe Blu"]);
    const consented = recordParentalConsent(team, minor!.id, "2026-11-02", during.submission);
    expect(membersLackingConsent(consented)).toEqual([]);
    expect(() => recordParentalConsent(team, adult!.id, "2026-11-02", during.submission)).toThrow(
      InvalidStateError,
    );
    expect(() => recordParentalConsent(team, minor!.id, "2026-12-25", during.submission)).toThrow(
      ValidationError,
    );
    expect(() => recordParentalConsent(team, "nobody", "2026-11-02", during.submission)).toThrow(
      NotFoundError,
    );
  });

  it("shows only pseudonyms outside the school", () => {
    const view = pseudonymisedTeam(aTeam());
    expect(view.members).toEqual([{ pseudonym: "Volpe Blu" }, { pseudonym: "Airone" }]);
    expect(JSON.stringify(view)).not.toMatch(/minor|parentalConsent|Rossi|referent/);
  });

  it("erases a member into an anonymous placeholder, idempotently", () => {
    const team = aTeam();
    const [minor] = team.members;
    const erased = eraseMember(team, minor!.id, during.evaluation);
    expect(erased.members[0]).toEqual({
      id: minor!.id,
      pseudonym: "anonimo-1",
      minor: false,
      erasedAt: during.evaluation,
    });
    expect(erased.members).toHaveLength(2);
    // The old pseudonym stays only in the pending erasure, until every idea has announced it.
    expect(erased.pendingErasures).toMatchObject([{ memberId: minor!.id, previousPseudonym: "Volpe Blu" }]);
    expect(JSON.stringify(completeErasure(erased, minor!.id))).not.toContain("Volpe Blu");
    expect(eraseMember(erased, minor!.id, during.closed)).toBe(erased);
    const both = eraseMember(erased, team.members[1]!.id, during.evaluation);
    expect(both.members.map((m) => m.pseudonym)).toEqual(["anonimo-1", "anonimo-2"]);
  });

  it("updates members by id, adds new ones, and keeps erased members erased", () => {
    const registered = aTeam();
    const team = eraseMember(registered, registered.members[0]!.id, during.submission);
    const [placeholder, adult] = team.members;
    const updated = updateTeam(
      team,
      teamInput({
        members: [
          { id: placeholder!.id, pseudonym: "Volpe Blu", minor: true },
          { id: adult!.id, pseudonym: "Airone Grigio", minor: false },
          { pseudonym: "Lince", minor: false },
        ],
      }),
      () => "m-new",
      during.submission,
    );
    expect(updated.members.map((m) => [m.id, m.pseudonym])).toEqual([
      [placeholder!.id, "anonimo-1"],
      [adult!.id, "Airone Grigio"],
      ["m-new", "Lince"],
    ]);
    expect(() =>
      updateTeam(
        team,
        teamInput({ members: [{ id: "ghost", pseudonym: "Lince", minor: false }] }),
        () => "x",
        during.submission,
      ),
    ).toThrow(NotFoundError);
  });
});
