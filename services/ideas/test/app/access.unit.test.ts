// Who sees what: the read rule, its query form and the views agree for every role and state.
import type { Identity, Role } from "@lto/auth";
import { describe, expect, it } from "vitest";
import { canReadIdea, ideaScopes, type Viewer } from "../../src/app/access.js";
import type { IdeaScope } from "../../src/app/ports.js";
import { callView, ideaView, teamView } from "../../src/app/views.js";
import { withdrawIdea, type Idea } from "../../src/domain/index.js";
import { aCall, anIdea, aTeam, during, evaluator, school } from "../fixtures.js";

function viewer(role: Role, organisationId: string, subject = `${role}-user`): Identity {
  return { subject, role, organisationId, sites: [], token: "t" };
}

const viewers: Record<string, Viewer> = {
  ownSchool: viewer("school", school.organisationId),
  otherSchool: viewer("school", "school-strozzi"),
  company: viewer("company", "company-levoni"),
  staff: viewer("staff", "provincia-mn"),
  programme: viewer("programme", "provincia-mn"),
  admin: viewer("admin", "lto-ops"),
  evaluator: viewer("staff", evaluator.organisationId, evaluator.subject),
  anonymous: undefined,
};

/** The repository's reading of a scope, applied in memory. */
function inScopes(idea: Idea, scopes: IdeaScope[] | "all"): boolean {
  if (scopes === "all") return true;
  return scopes.some(
    (s) =>
      (!s.schoolId || s.schoolId === idea.schoolId) &&
      (!s.states || s.states.includes(idea.state)) &&
      (!s.evaluator || idea.evaluators.some((a) => a.subject === s.evaluator)) &&
      (!s.submittedOnce || idea.history.some((h) => h.to === "submitted")),
  );
}

const ideas: Record<string, Idea> = {
  draft: anIdea("draft"),
  submitted: anIdea("submitted"),
  under_review: anIdea("under_review"),
  published: anIdea("published"),
  withdrawnDraft: withdrawIdea(anIdea("draft"), {
    reason: "Ci ripensiamo",
    by: school,
    now: during.submission,
  }).idea,
};

describe("reading ideas", () => {
  it("lists exactly the ideas a viewer may open", () => {
    for (const [who, v] of Object.entries(viewers)) {
      for (const [state, idea] of Object.entries(ideas)) {
        expect(inScopes(idea, ideaScopes(v)), `${who} / ${state}`).toBe(canReadIdea(v, idea));
      }
    }
  });

  it("keeps drafts with their school, shows submitted ideas to overseers and public ones to all", () => {
    const readers = (idea: Idea) => Object.keys(viewers).filter((who) => canReadIdea(viewers[who], idea));
    expect(readers(ideas.draft!)).toEqual(["ownSchool", "admin"]);
    expect(readers(ideas.withdrawnDraft!)).toEqual(["ownSchool", "admin"]);
    expect(readers(ideas.submitted!)).toEqual(["ownSchool", "staff", "programme", "admin", "evaluator"]);
    expect(readers(ideas.under_review!)).toEqual(["ownSchool", "staff", "programme", "admin", "evaluator"]);
    expect(readers(ideas.published!)).toEqual(Object.keys(viewers));
  });
});

describe("views", () => {
  const team = aTeam();

  it("shows companies the public fields only, students by pseudonym", () => {
    const view = ideaView(ideas.published!, viewers.company, team);
    expect(view.team).toMatchObject({ members: [{ pseudonym: "Volpe Blu" }, { pseudonym: "Airone" }] });
    expect(view).not.toHaveProperty("history");
    expect(view).not.toHaveProperty("evaluators");
    expect(view).not.toHaveProperty("overallScore");
    expect(view.answer).toBe("Idea pubblicata: ottimo lavoro");
  });

  it("keeps scores and notes for staff, and an evaluator's own for the evaluator", () => {
    const scored = anIdea("scored");
    expect(ideaView(scored, viewers.staff, team).evaluators).toEqual(scored.evaluators);
    expect(ideaView(scored, viewers.evaluator, team).evaluators).toEqual(scored.evaluators);
    expect(ideaView(scored, viewers.programme, team)).not.toHaveProperty("evaluators");
    expect(ideaView(scored, viewers.ownSchool, team)).not.toHaveProperty("evaluators");
    expect(ideaView(scored, viewers.ownSchool, team)).not.toHaveProperty("answer");
  });

  it("shows the school its whole team and everyone else pseudonyms", () => {
    expect(teamView(team, viewers.ownSchool)).toEqual(team);
    expect(teamView(team, viewers.staff)).not.toHaveProperty("referentTeacher");
  });

  it("shows a call's panel only to staff, programme and admins", () => {
    const call = aCall();
    expect(callView(call, viewers.staff, during.submission)).toHaveProperty("panel");
    expect(callView(call, viewers.company, during.submission)).not.toHaveProperty("panel");
    expect(callView(call, undefined, during.submission)).toMatchObject({
      phase: "submission",
      panelOrganisations: ["provincia-mn", "school-fermi"],
    });
  });
});
