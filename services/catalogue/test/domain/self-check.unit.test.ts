// The DigComp self-check: the questionnaire data, its scoring to a proficiency level, bad answers.
import { ValidationError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import {
  findQuestionnaire,
  frameworks,
  questionnaireIssues,
  scoreCompetence,
  scoreSelfCheck,
  SHIPPED_QUESTIONNAIRES,
  validateAnswers,
} from "../../src/domain/index.js";

const q = findQuestionnaire("digcomp", "2.2")!;
const statements = q.competences[0]!.statements;

function issuesOf(run: () => void) {
  try {
    run();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues.map((i) => i.path);
    throw err;
  }
  return [];
}

describe("the questionnaires (data)", () => {
  it.each(SHIPPED_QUESTIONNAIRES.map((x) => [`${x.framework} ${x.version}`, x] as const))(
    "%s covers every competence of its framework with 3-4 statements in Italian and English",
    (_name, questionnaire) => {
      const framework = frameworks.find(questionnaire.framework, questionnaire.version);
      expect(questionnaireIssues(questionnaire, framework)).toEqual([]);
      expect(questionnaire.competences).toHaveLength(21);
    },
  );

  it("names a questionnaire's problems", () => {
    const broken = {
      ...q,
      competences: [
        { competence: "9.9", statements: [{ ...statements[0]!, levels: [0, 1, 12, 2] }] },
        ...q.competences.slice(1),
      ],
    };
    expect(questionnaireIssues(broken, frameworks.find("digcomp", "2.2"))).toEqual(
      expect.arrayContaining([
        "competence 1.1 has no statements",
        "9.9 is not a competence of digcomp 2.2",
        "9.9 must have 3 or 4 statements",
        "statement 1.1-a: 12 is not a level",
      ]),
    );
    expect(findQuestionnaire("digcomp", "9.9")).toBeUndefined();
  });
});

describe("scoring", () => {
  it.each([
    [[0, 0, 0, 0], 1],
    [[1, 0, 0, 0], 1],
    [[2, 0, 0, 0], 2],
    [[2, 1, 0, 0], 2],
    [[2, 2, 0, 0], 3],
    [[3, 3, 0, 0], 4],
    [[2, 2, 2, 0], 5],
    [[2, 3, 3, 1], 6],
    [[2, 2, 2, 2], 7],
    [[3, 3, 3, 3], 8],
    // a statement counts only after "on my own" on the one before it
    [[1, 3, 3, 3], 1],
    [[2, 1, 3, 3], 2],
    [[3, 3, 1, 3], 4],
  ])("answers %j reach level %i", (answers, level) => {
    expect(scoreCompetence(statements, answers)).toBe(level);
  });

  it("scores each competence answered, in order", () => {
    expect(
      scoreSelfCheck(q, [
        { competence: "3.4", answers: [2, 2, 0, 0] },
        { competence: "1.1", answers: [3, 3, 3, 3] },
      ]),
    ).toEqual([
      { competence: "3.4", level: 3 },
      { competence: "1.1", level: 8 },
    ]);
  });

  it("refuses bad answers naming each field", () => {
    expect(issuesOf(() => validateAnswers(q, []))).toEqual(["answers"]);
    expect(
      issuesOf(() =>
        validateAnswers(q, [
          { competence: "7.7", answers: [0, 0, 0, 0] },
          { competence: "3.4", answers: [0, 0, 0] },
          { competence: "1.1", answers: [0, 4, -1, 2] },
          { competence: "3.4", answers: [0, 0, 0, 0] },
        ]),
      ),
    ).toEqual([
      "answers.0.competence",
      "answers.1.answers",
      "answers.2.answers.1",
      "answers.2.answers.2",
      "answers.3.competence",
    ]);
  });
});
