import { calendarUseCases } from "./calendars.js";
import { completionUseCases } from "./completion.js";
import { credentialWalletUseCases } from "./credential-wallet.js";
import { courseUseCases } from "./courses.js";
import { enrolmentUseCases } from "./enrolments.js";
import { credentialQueries } from "./credentials.js";
import { frameworkUseCases } from "./frameworks.js";
import type { Ports } from "./ports.js";
import { sessionsOnTheClock } from "./session-state.js";
import { selfCheckUseCases } from "./self-checks.js";
import { sessionUseCases } from "./sessions.js";
import { suggestionUseCases } from "./suggestions.js";
import { talentUseCases } from "./talent.js";

export function createApp(raw: Ports) {
  const ports: Ports = { ...raw, sessions: sessionsOnTheClock(raw.sessions, raw.clock) };
  return {
    frameworks: frameworkUseCases(),
    courses: courseUseCases(ports),
    sessions: sessionUseCases(ports),
    credentials: credentialQueries(ports),
    suggestions: suggestionUseCases(ports),
    selfChecks: selfCheckUseCases(ports),
    calendars: calendarUseCases(ports),
    completion: completionUseCases(ports),
    wallet: credentialWalletUseCases(ports),
    enrolments: enrolmentUseCases(ports),
    talent: talentUseCases(ports),
  };
}

export type CatalogueApp = ReturnType<typeof createApp>;
export type { CourseListQuery } from "./courses.js";
export type * from "./ports.js";
export type { Viewer } from "./access.js";
export type * from "./suggestions.js";
export { teamIdeaEvents } from "./suggestions.js";
export type { SelfCheckInput } from "./self-checks.js";
export type { EnrolBody } from "./enrolments.js";
export type { TalentOptIn, TalentSearchQuery } from "./talent.js";
