import { courseUseCases } from "./courses.js";
import { enrolmentUseCases } from "./enrolments.js";
import { credentialQueries } from "./credentials.js";
import { frameworkUseCases } from "./frameworks.js";
import type { Ports } from "./ports.js";
import { sessionUseCases } from "./sessions.js";

export function createApp(ports: Ports) {
  return {
    frameworks: frameworkUseCases(),
    courses: courseUseCases(ports),
    sessions: sessionUseCases(ports),
    credentials: credentialQueries(ports),
    enrolments: enrolmentUseCases(ports),
  };
}

export type CatalogueApp = ReturnType<typeof createApp>;
export type { CourseListQuery } from "./courses.js";
export type * from "./ports.js";
export type { Viewer } from "./access.js";
export type { EnrolBody } from "./enrolments.js";
