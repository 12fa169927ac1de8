// The DigComp self-check: a short questionnaire per competence (data/self-check-*.json, Italian first
// with English), each answer on a 0-3 scale, scored to a proficiency level of the framework version the
// questionnaire names. Each statement says which level each answer reaches; a statement counts only when
// the one before it was answered "on my own" or better, so a confident "advanced" answer after a "not
// yet" on the basics does not jump levels. Pure.
import { Issues } from "@lto/errors";
import digcomp22 from "./data/self-check-digcomp-2.2.json" with { type: "json" };
import type { Framework, FrameworkRef, Text } from "./frameworks/index.js";

export interface Statement {
  id: string;
  text: Text;
  /** `levels[answer]`: the proficiency level this answer reaches (0: none). */
  levels: number[];
}

export interface Questionnaire extends FrameworkRef {
  title: Text;
  instructions: Text;
  note: string;
  scale: { value: number; label: Text }[];
  competences: { competence: string; statements: Statement[] }[];
}

export const SHIPPED_QUESTIONNAIRES: readonly Questionnaire[] = [digcomp22 as Questionnaire];

/** An answer of "on my own" (or better) opens the next statement. */
export const OPENS_NEXT = 2;

export function findQuestionnaire(framework: string, version: string): Questionnaire | undefined {
  return SHIPPED_QUESTIONNAIRES.find((q) => q.framework === framework && q.version === version);
}

/** One competence's answers, in the order of its statements. */
export interface CompetenceAnswers {
  competence: string;
  answers: number[];
}

/** The level the answers reach: at least the framework's first level. */
export function scoreCompetence(statements: readonly Statement[], answers: readonly number[]): number {
  let level = 1;
  for (const [i, statement] of statements.entries()) {
    const answer = answers[i]!;
    level = Math.max(level, statement.levels[answer] ?? 0);
    if (answer < OPENS_NEXT) break;
  }
  return level;
}

/** Every problem of the answers, under its field (`answers.0.answers.2`); nothing when they can be scored. */
export function validateAnswers(questionnaire: Questionnaire, list: readonly CompetenceAnswers[]): void {
  const issues = new Issues();
  const values = questionnaire.scale.map((s) => s.value);
  issues.check(list.length > 0, "answers", "answer the statements of at least one competence");
  list.forEach((item, i) => {
    const entry = questionnaire.competences.find((c) => c.competence === item.competence);
    if (!entry) {
      issues.add(
        `answers.${i}.competence`,
        `is not a competence of this questionnaire (${questionnaire.framework} ${questionnaire.version}): ${item.competence}`,
      );
      return;
    }
    if (list.findIndex((other) => other.competence === item.competence) < i)
      issues.add(`answers.${i}.competence`, "is answered twice");
    if (item.answers.length !== entry.statements.length)
      issues.add(
        `answers.${i}.answers`,
        `must have ${entry.statements.length} answers, one per statement in order (you sent ${item.answers.length})`,
      );
    item.answers.forEach((answer, j) => {
      if (!values.includes(answer))
        issues.add(
          `answers.${i}.answers.${j}`,
          `must be one of ${values.join(", ")} (see the questionnaire's scale)`,
        );
    });
  });
  issues.throwIfAny("The self-check answers are not valid");
}

/** The level per competence, in the order answered (validated first). */
export function scoreSelfCheck(
  questionnaire: Questionnaire,
  list: readonly CompetenceAnswers[],
): { competence: string; level: number }[] {
  validateAnswers(questionnaire, list);
  return list.map((item) => {
    const entry = questionnaire.competences.find((c) => c.competence === item.competence)!;
    return { competence: item.competence, level: scoreCompetence(entry.statements, item.answers) };
  });
}

/** The questionnaire's own problems against its framework (the unit tests run it on every data file). */
export function questionnaireIssues(q: Questionnaire, framework: Framework | undefined): string[] {
  if (!framework) return [`${q.framework} ${q.version} is not a loaded framework`];
  const problems: string[] = [];
  const ranks = new Set(framework.levels.map((l) => l.rank));
  const values = q.scale.map((s) => s.value);
  for (const c of framework.competences)
    if (!q.competences.some((e) => e.competence === c.code))
      problems.push(`competence ${c.code} has no statements`);
  const ids = new Set<string>();
  for (const entry of q.competences) {
    if (!framework.competences.some((c) => c.code === entry.competence))
      problems.push(`${entry.competence} is not a competence of ${q.framework} ${q.version}`);
    if (entry.statements.length < 3 || entry.statements.length > 4)
      problems.push(`${entry.competence} must have 3 or 4 statements`);
    for (const s of entry.statements) {
      if (ids.has(s.id)) problems.push(`statement ${s.id} is listed twice`);
      ids.add(s.id);
      if (!s.text.it || !s.text.en) problems.push(`statement ${s.id} needs Italian and English text`);
      if (s.levels.length !== values.length) problems.push(`statement ${s.id} needs a level per scale value`);
      for (const level of s.levels)
        if (level !== 0 && !ranks.has(level)) problems.push(`statement ${s.id}: ${level} is not a level`);
    }
  }
  return problems;
}
