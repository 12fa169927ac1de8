import { ConflictError, ForbiddenError, InvalidStateError, ValidationError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import {
  adoptability,
  ADOPTION_SERVICE,
  assignEvaluators,
  createIdea,
  draftAnswer,
  editIdea,
  eraseMemberFromIdea,
  isAnswerPublic,
  overallScore,
  publishIdea,
  recordAdoption,
  recordAdoptionCompleted,
  recordAdoptionEnded,
  rejectIdea,
  requestChanges,
  scoreIdea,
  startReview,
  submitIdea,
  withdrawIdea,
  type Idea,
} from "../../src/domain/index.js";
import {
  aCall,
  aDraft,
  anIdea,
  aTeam,
  during,
  evaluator,
  school,
  schoolEvaluator,
  staff,
} from "../fixtures.js";

const scores = { innovation: 4, feasibility: 4, digital_content: 5, territorial_impact: 3 };
const adoption = { adoptionId: "adoption-1", companyId: "company-levoni", adoptedAt: during.adoption };

function stateOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidStateError) return String(error.details?.currentState);
    throw error;
  }
  throw new Error("expected an InvalidStateError");
}

describe("drafting", () => {
  it("creates a draft owned by the team's school, with its creation in the history", () => {
    const idea = aDraft();
    expect(idea).toMatchObject({
      state: "draft",
      schoolId: "school-fermi",
      teamId: "team-1",
      callId: "call-1",
    });
    expect(idea.history).toEqual([{ at: during.submission, by: school.subject, from: null, to: "draft" }]);
  });

  it("belongs to the site of its call, whatever district it is about", () => {
    expect(aDraft(aCall({ site: "lto-viadana" })).site).toBe("lto-viadana");
    expect(aDraft(aCall({ site: "lto-asola" }))).toMatchObject({ site: "lto-asola", district: "viadana" });
  });

  it("refuses drafts for a closed call or a team of another school year", () => {
    const call = aCall();
    const context = { id: "i", call, team: aTeam(), by: school, now: during.evaluation };
    expect(() => createIdea({ title: "Idea tardiva" }, context)).toThrow(/evaluation phase/);
    expect(() =>
      createIdea(
        { title: "Idea" },
        { ...context, team: aTeam({ schoolYear: "2025/26" }), now: during.submission },
      ),
    ).toThrow(ConflictError);
  });

  it("validates every field of the content", () => {
    try {
      editIdea(
        aDraft(),
        {
          title: "x",
          area: "fashion" as never,
          district: "milano" as never,
          technologies: ["iot", "teleportation" as never],
          needs: ["money" as never],
          attachments: [{ title: "", url: "javascript:alert(1)" }],
          summary: "s".repeat(601),
        },
        during.submission,
      );
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).issues.map((i) => i.path)).toEqual([
        "title",
        "summary",
        "area",
        "district",
        "technologies.1",
        "needs.0",
        "attachments.0.title",
        "attachments.0.url",
      ]);
    }
  });

  it("edits only drafts", () => {
    expect(editIdea(aDraft(), { title: "Serra idroponica 2.0" }, during.submission).idea.title).toBe(
      "Serra idroponica 2.0",
    );
    expect(stateOf(() => editIdea(anIdea("submitted"), { title: "Nuovo" }, during.submission))).toBe(
      "submitted",
    );
  });
});

describe("submission", () => {
  it("submits a complete draft during the submission phase and says so in an event", () => {
    const call = aCall();
    const team = aTeam();
    const { idea, events } = submitIdea(aDraft(call, team), {
      call,
      team,
      by: school,
      now: during.submission,
    });
    expect(idea.state).toBe("submitted");
    expect(idea.history.at(-1)).toEqual({
      at: during.submission,
      by: school.subject,
      from: "draft",
      to: "submitted",
    });
    expect(events.map((e) => e.type)).toEqual(["IdeaSubmitted"]);
  });

  it("refuses submission outside the submission phase, naming the phase", () => {
    const call = aCall();
    const team = aTeam();
    for (const now of [during.upcoming, during.evaluation, during.closed]) {
      expect(() => submitIdea(aDraft(call, team), { call, team, by: school, now })).toThrow(
        InvalidStateError,
      );
    }
    expect(() => submitIdea(aDraft(call, team), { call, team, by: school, now: during.evaluation })).toThrow(
      "Cannot submit ideas to the call: it is in its evaluation phase",
    );
  });

  it("refuses an incomplete draft, listing what is missing", () => {
    const call = aCall();
    const team = aTeam();
    const draft = createIdea(
      { title: "Solo un titolo" },
      { id: "i", call, team, by: school, now: during.submission },
    ).idea;
    try {
      submitIdea(draft, { call, team, by: school, now: during.submission });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).issues.map((i) => i.path)).toEqual([
        "summary",
        "problem",
        "solution",
        "area",
        "district",
        "technologies",
      ]);
    }
  });

  it("refuses submission while a minor lacks parental consent", () => {
    const call = aCall();
    const team = aTeam({ members: [{ pseudonym: "Volpe Blu", minor: true }] });
    expect(() => submitIdea(aDraft(call, team), { call, team, by: school, now: during.submission })).toThrow(
      /parental consent is missing for minor member\(s\) Volpe Blu/,
    );
  });
});

describe("evaluation", () => {
  it("assigns evaluators from the panel and moves a submitted idea under review", () => {
    const { idea } = assignEvaluators(
      anIdea("submitted"),
      aCall(),
      [evaluator.subject],
      staff,
      during.evaluation,
    );
    expect(idea.state).toBe("under_review");
    expect(idea.history.at(-1)).toMatchObject({
      from: "submitted",
      to: "under_review",
      reason: "evaluators assigned",
    });
    expect(idea.evaluators).toEqual([
      {
        subject: evaluator.subject,
        organisationId: "provincia-mn",
        assignedAt: during.evaluation,
        assignedBy: staff.subject,
      },
    ]);
  });

  it("refuses evaluators off the panel or from the idea's own organisation", () => {
    try {
      assignEvaluators(
        anIdea("submitted"),
        aCall(),
        ["stranger", schoolEvaluator.subject],
        staff,
        during.evaluation,
      );
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([
        { path: "evaluators.0", message: "is not on the call's evaluation panel" },
        { path: "evaluators.1", message: "belongs to the idea's own organisation" },
      ]);
    }
  });

  it("starts the review explicitly too, only from submitted", () => {
    expect(startReview(anIdea("submitted"), staff, during.evaluation).idea.state).toBe("under_review");
    expect(stateOf(() => startReview(aDraft(), staff, during.evaluation))).toBe("draft");
  });

  it("lets only assigned evaluators score, never on an idea of their own organisation", () => {
    const call = aCall();
    const idea = anIdea("under_review");
    const scored = scoreIdea(idea, { call, evaluator, scores, notes: "Solida", now: during.evaluation }).idea;
    expect(scored.evaluators[0]).toMatchObject({ scores, weightedScore: 4.05, notes: "Solida" });
    expect(overallScore(scored)).toBe(4.05);
    expect(() => scoreIdea(idea, { call, evaluator: staff, scores, now: during.evaluation })).toThrow(
      ForbiddenError,
    );
    expect(() =>
      scoreIdea(idea, { call, evaluator: schoolEvaluator, scores, now: during.evaluation }),
    ).toThrow(/own organisation/);
    expect(() =>
      scoreIdea(idea, { call, evaluator, scores: { innovation: 9 }, now: during.evaluation }),
    ).toThrow(ValidationError);
  });

  it("keeps a re-assigned evaluator's scores", () => {
    const call = aCall();
    const idea = anIdea("scored");
    expect(
      assignEvaluators(idea, call, [evaluator.subject], staff, during.evaluation).idea.evaluators[0]?.scores,
    ).toEqual(idea.evaluators[0]?.scores);
  });
});

describe("decision", () => {
  it("keeps the answer internal until the idea is published", () => {
    const call = aCall();
    const team = aTeam();
    const answered = draftAnswer(
      anIdea("scored"),
      "Progetto convincente, pubblicabile.",
      during.evaluation,
    ).idea;
    expect(isAnswerPublic(answered)).toBe(false);
    const { idea, events } = publishIdea(answered, { call, team, by: staff, now: during.evaluation });
    expect(idea.answer).toBe("Progetto convincente, pubblicabile.");
    expect(isAnswerPublic(idea)).toBe(true);
    expect(events.map((e) => e.type)).toEqual(["IdeaPublished"]);
  });

  it("publishes only a scored idea, with an answer, whose minors have consent", () => {
    const call = aCall();
    const team = aTeam();
    expect(
      stateOf(() =>
        publishIdea(anIdea("under_review"), {
          call,
          team,
          answer: "Ok, va bene",
          by: staff,
          now: during.evaluation,
        }),
      ),
    ).toBe("under_review");
    try {
      publishIdea(anIdea("under_review"), {
        call,
        team,
        answer: "Ok, va bene",
        by: staff,
        now: during.evaluation,
      });
    } catch (error) {
      expect((error as InvalidStateError).details).toMatchObject({
        currentState: "under_review",
        reason: "not_scored",
      });
    }
    expect(() => publishIdea(anIdea("scored"), { call, team, by: staff, now: during.evaluation })).toThrow(
      ValidationError,
    );
    const noConsent = aTeam({ members: [{ pseudonym: "Volpe Blu", minor: true }] });
    expect(() =>
      publishIdea(anIdea("scored"), {
        call,
        team: noConsent,
        answer: "Ok, va bene",
        by: staff,
        now: during.evaluation,
      }),
    ).toThrow(ConflictError);
  });

  it("rejects with an answer", () => {
    const { idea, events } = rejectIdea(anIdea("scored"), {
      answer: "Fuori tema rispetto alla call",
      by: staff,
      now: during.evaluation,
    });
    expect(idea.state).toBe("rejected");
    expect(events.map((e) => e.type)).toEqual(["IdeaRejected"]);
    expect(() => rejectIdea(anIdea("scored"), { by: staff, now: during.evaluation })).toThrow(
      ValidationError,
    );
  });

  it("sends an idea back to draft with a change request", () => {
    const { idea, events } = requestChanges(anIdea("under_review"), {
      reason: "Descrivete meglio i costi",
      by: staff,
      now: during.evaluation,
    });
    expect(idea.state).toBe("draft");
    expect(idea.history.at(-1)).toEqual({
      at: during.evaluation,
      by: staff.subject,
      from: "under_review",
      to: "draft",
      reason: "Descrivete meglio i costi",
    });
    expect(events).toMatchObject([{ type: "IdeaChangesRequested", reason: "Descrivete meglio i costi" }]);
  });

  it("refuses every illegal transition with the current state", () => {
    const published = anIdea("published");
    const ctx = { by: staff, now: during.evaluation };
    expect(
      stateOf(() => publishIdea(aDraft(), { ...ctx, call: aCall(), team: aTeam(), answer: "Ok va bene" })),
    ).toBe("draft");
    expect(stateOf(() => rejectIdea(published, { ...ctx, answer: "No davvero" }))).toBe("published");
    expect(stateOf(() => requestChanges(published, { ...ctx, reason: "Cambiate" }))).toBe("published");
    expect(
      stateOf(() => submitIdea(published, { ...ctx, call: aCall(), team: aTeam(), now: during.submission })),
    ).toBe("published");
    expect(
      stateOf(() => assignEvaluators(published, aCall(), [evaluator.subject], staff, during.evaluation)),
    ).toBe("published");
  });
});

describe("withdrawal", () => {
  it("lets the school withdraw with a reason any time before adoption", () => {
    for (const state of ["draft", "submitted", "under_review", "published"] as const) {
      const { idea, events } = withdrawIdea(anIdea(state), {
        reason: "Il team si è sciolto",
        by: school,
        now: during.adoption,
      });
      expect(idea.state).toBe("withdrawn");
      expect(events).toMatchObject([{ type: "IdeaWithdrawn", from: state, reason: "Il team si è sciolto" }]);
    }
    expect(() => withdrawIdea(anIdea("draft"), { reason: " ", by: school, now: during.adoption })).toThrow(
      ValidationError,
    );
    const adopted = recordAdoption(anIdea("published"), adoption, ADOPTION_SERVICE)!;
    expect(
      stateOf(() => withdrawIdea(adopted, { reason: "Ci ripensiamo", by: school, now: during.adoption })),
    ).toBe("adopted");
  });
});

describe("adoption", () => {
  it("moves a published idea to adopted, once per adoption", () => {
    const adopted = recordAdoption(anIdea("published"), adoption, ADOPTION_SERVICE)!;
    expect(adopted.state).toBe("adopted");
    expect(adopted.adoption).toEqual(adoption);
    expect(adopted.history.at(-1)).toMatchObject({
      by: "service:adoption",
      from: "published",
      to: "adopted",
    });
    expect(recordAdoption(adopted, adoption, ADOPTION_SERVICE)).toBeUndefined();
    expect(
      stateOf(() => recordAdoption(adopted, { ...adoption, adoptionId: "adoption-2" }, ADOPTION_SERVICE)),
    ).toBe("adopted");
    expect(stateOf(() => recordAdoption(anIdea("scored"), adoption, ADOPTION_SERVICE))).toBe("under_review");
  });

  it("returns an idea to the published pool when its adoption ends early", () => {
    const adopted = recordAdoption(anIdea("published"), adoption, ADOPTION_SERVICE)!;
    const ended = { adoptionId: "adoption-1", reason: "Azienda in difficoltà", at: during.adoption };
    const back = recordAdoptionEnded(adopted, ended, ADOPTION_SERVICE)!;
    expect(back.state).toBe("published");
    expect(back.adoption).toBeUndefined();
    expect(back.history.at(-1)).toMatchObject({
      from: "adopted",
      to: "published",
      reason: "Azienda in difficoltà",
    });
    expect(recordAdoptionEnded(back, ended, ADOPTION_SERVICE)).toBeUndefined();
  });

  it("completes an adopted idea, idempotently", () => {
    const adopted = recordAdoption(anIdea("published"), adoption, ADOPTION_SERVICE)!;
    const done = recordAdoptionCompleted(
      adopted,
      { adoptionId: "adoption-1", at: during.closed },
      ADOPTION_SERVICE,
    )!;
    expect(done.state).toBe("completed");
    expect(
      recordAdoptionCompleted(done, { adoptionId: "adoption-1", at: during.closed }, ADOPTION_SERVICE),
    ).toBeUndefined();
    expect(() =>
      recordAdoptionCompleted(anIdea("published"), { adoptionId: "x", at: during.closed }, ADOPTION_SERVICE),
    ).toThrow(InvalidStateError);
  });

  it("is adoptable only when published and in the call's adoption phase", () => {
    const call = aCall();
    const published: Idea = anIdea("published");
    expect(adoptability(published, call, during.adoption)).toEqual({ adoptable: true, reason: "" });
    expect(adoptability(published, call, during.evaluation)).toEqual({
      adoptable: false,
      reason: "the call is in its evaluation phase",
    });
    expect(adoptability(anIdea("draft"), call, during.adoption)).toEqual({
      adoptable: false,
      reason: "the idea is draft",
    });
  });
});

describe("erasure of a team member", () => {
  it("is announced once per idea that was ever published, and never for one that was not", () => {
    const team = aTeam();
    const erasure = {
      memberId: team.members[1]!.id,
      previousPseudonym: "Airone",
      pseudonym: "anonimo-1",
      at: during.adoption,
      by: "referent-fermi",
    };
    const context = { team, call: aCall(), erasure, now: during.adoption };
    expect(eraseMemberFromIdea(anIdea("draft"), context)).toBeUndefined();
    const change = eraseMemberFromIdea(anIdea("published"), context)!;
    expect(change.events.map((e) => e.type)).toEqual(["TeamMemberErased", "IdeaPublished"]);
    expect(eraseMemberFromIdea(change.idea, context)).toBeUndefined();
  });
});
