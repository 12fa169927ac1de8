// Services import `z` from here so that the OpenAPI extension of zod is in place before their schemas.
export { z } from "zod";
export { createHttpApp, parseIfMatch } from "./app.js";
export type { HttpApp, HttpAppOptions, RunningHttpServer } from "./app.js";
export type {
  ApiRouter,
  AuthMode,
  HandlerContext,
  HandlerResult,
  HttpMethod,
  ResponseDefinition,
  RouteDefinition,
  RouteRequest,
} from "./routes.js";
export { InMemoryIdempotencyStore, requestHash } from "./idempotency.js";
export type { IdempotencyClaim, IdempotencyStore, StoredResponse } from "./idempotency.js";
export {
  currentIdempotentRequest,
  idempotentRequestToken,
  platformIds,
  runIdempotentRequest,
} from "./ids.js";
export type { IdempotentRequest, IdGenerator } from "./ids.js";
export { decodeCursor, encodeCursor, idPosition, pageOf, pageQuery } from "./pagination.js";
export type { Page, PageQuery } from "./pagination.js";
export { problemSchema } from "./openapi.js";
export { PROBLEM_CONTENT_TYPE, transportProblem } from "./problem.js";
export { labelProcessMetrics } from "./metrics.js";
export { isEntryPoint, runService, ShutdownStack } from "./run.js";
export type { RunServiceOptions } from "./run.js";
export { problemResponses, versionedResult, writeProblemResponses } from "./responses.js";
export { hostileTextIssues, multiLineText, singleLine, singleLineText, textProblem } from "./text.js";
export type { TextOptions } from "./text.js";
