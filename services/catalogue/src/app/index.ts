import { completionUseCases } from "./completion.js";
import { credentialWalletUseCases } from "./credential-wallet.js";
import { courseUseCases } from "./courses.js";
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
    completion: completionUseCases(ports),
    wallet: credentialWalletUseCases(ports),
  };
}

export type CatalogueApp = ReturnType<typeof createApp>;
export type { CourseListQuery } from "./courses.js";
export type * from "./ports.js";
export type { Viewer } from "./access.js";
