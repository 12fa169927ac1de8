// Builders for domain objects used by the unit tests: a realistic call, team and idea in any state.
import {
  assignEvaluators,
  createCall,
  createIdea,
  createTeam,
  DEFAULT_RUBRIC,
  publishIdea,
  scoreIdea,
  submitIdea,
  type Actor,
  type Call,
  type CallInput,
  type Idea,
  type IdeaContent,
  type Team,
  type TeamInput,
} from "../src/domain/index.js";

export const school: Actor = { subject: "teacher-rossi", organisationId: "school-fermi" };
export const otherSchool: Actor = { subject: "teacher-bianchi", organisationId: "school-strozzi" };
export const staff: Actor = { subject: "staff-verdi", organisationId: "provincia-mn" };
export const evaluator: Actor = { subject: "eval-neri", organisationId: "provincia-mn" };
export const schoolEvaluator: Actor = { subject: "eval-fermi", organisationId: "school-fermi" };

/** Phases of the 2026/27 call; "during" gives an instant inside each one. */
export const during = {
  upcoming: new Date("2026-09-15T10:00:00Z"),
  submission: new Date("2026-11-20T10:00:00Z"),
  evaluation: new Date("2027-02-10T10:00:00Z"),
  adoption: new Date("2027-04-10T10:00:00Z"),
  closed: new Date("2027-07-10T10:00:00Z"),
};

export function callInput(overrides: Partial<CallInput> = {}): CallInput {
  return {
    site: "lto-mantova",
    title: "Idee per il territorio 2026/27",
    description: "Call annuale del Laboratorio diffuso per l'occupabilità",
    model: "open",
    schoolYear: "2026/27",
    phaseStarts: {
      submission: "2026-10-01",
      evaluation: "2027-02-01",
      adoption: "2027-03-29",
      closed: "2027-07-01",
    },
    panel: [
      { subject: evaluator.subject, organisationId: evaluator.organisationId, kind: "staff" },
      { subject: schoolEvaluator.subject, organisationId: schoolEvaluator.organisationId, kind: "staff" },
    ],
    rubric: DEFAULT_RUBRIC,
    ...overrides,
  };
}

export function aCall(overrides: Partial<CallInput> = {}): Call {
  return createCall(callInput(overrides), "call-1", staff, during.upcoming);
}

export function teamInput(overrides: Partial<TeamInput> = {}): TeamInput {
  return {
    name: "I Rinnovabili",
    schoolName: "IIS E. Fermi Mantova",
    className: "4A",
    schoolYear: "2026/27",
    referentTeacher: "Prof.ssa Rossi",
    members: [
      { pseudonym: "Volpe Blu", minor: true, parentalConsentOn: "2026-10-05" },
      { pseudonym: "Airone", minor: false },
    ],
    ...overrides,
  };
}

let memberSeq = 0;
export function aTeam(overrides: Partial<TeamInput> = {}): Team {
  return createTeam(
    teamInput(overrides),
    { team: "team-1", newMemberId: () => `m-${++memberSeq}` },
    school,
    during.submission,
  );
}

/** A complete idea's content; the integration tests send it too (as ideaContent). */
export const completeContent: IdeaContent = {
  title: "Serra idroponica connessa",
  summary: "Una serra idroponica con sensori IoT per le aziende agricole del Viadanese.",
  problem: "Le piccole aziende agricole sprecano acqua e fertilizzanti senza dati sul suolo.",
  solution: "Sensori a basso costo e un cruscotto web che suggerisce quando irrigare.",
  area: "agroalimentare",
  district: "viadana",
  technologies: ["iot", "big-data"],
  needs: ["mentoring", "funding"],
  attachments: [{ title: "Presentazione", url: "https://example.org/serra.pdf" }],
};

export function aDraft(call = aCall(), team = aTeam()): Idea {
  return createIdea(
    {
      ...completeContent,
      technologies: [...completeContent.technologies],
      needs: [...completeContent.needs],
      attachments: [...completeContent.attachments],
    },
    { id: "idea-1", call, team, by: school, now: during.submission },
  ).idea;
}

/** Walks an idea through the real transitions up to the wanted state. */
export function anIdea(state: "draft" | "submitted" | "under_review" | "scored" | "published"): Idea {
  const call = aCall();
  const team = aTeam();
  let idea = aDraft(call, team);
  if (state === "draft") return idea;
  idea = submitIdea(idea, { call, team, by: school, now: during.submission }).idea;
  if (state === "submitted") return idea;
  idea = assignEvaluators(idea, call, [evaluator.subject], staff, during.evaluation).idea;
  if (state === "under_review") return idea;
  const scores = { innovation: 5, feasibility: 4, digital_content: 4, territorial_impact: 3 };
  idea = scoreIdea(idea, { call, evaluator, scores, notes: "Buona idea", now: during.evaluation }).idea;
  if (state === "scored") return idea;
  return publishIdea(idea, {
    call,
    team,
    answer: "Idea pubblicata: ottimo lavoro",
    by: staff,
    now: during.evaluation,
  }).idea;
}
