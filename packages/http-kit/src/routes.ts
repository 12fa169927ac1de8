// The route-definition API: one object per endpoint gives express its handler and OpenAPI its path.
import type { IncomingHttpHeaders } from "node:http";
import type { Identity } from "@lto/auth";
import type { Logger } from "@lto/telemetry";
import type { z } from "zod";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";
export type AuthMode = "required" | "optional" | "none";

export interface RouteRequest {
  params?: z.ZodObject;
  /** Query values arrive as strings (or string[] when repeated): use z.coerce for numbers. */
  query?: z.ZodObject;
  /** JSON body. */
  body?: z.ZodType;
}

type Parsed<R, K extends keyof RouteRequest> = R extends { [P in K]: infer T extends z.ZodType }
  ? z.output<T>
  : undefined;

export interface HandlerContext<R extends RouteRequest = RouteRequest, A extends AuthMode = AuthMode> {
  params: Parsed<R, "params">;
  query: Parsed<R, "query">;
  body: Parsed<R, "body">;
  identity: A extends "required" ? Identity : Identity | undefined;
  /** Version from If-Match, when sent. */
  ifMatch: number | undefined;
  /** The If-Match version; throws PreconditionRequiredError (428) when the client sent none. */
  requireIfMatch(): number;
  requestId: string;
  log: Logger;
  headers: IncomingHttpHeaders;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** The resource's version: sent as `ETag: "<version>"`, to come back in If-Match. */
  etag?: number;
  /** A body that is not JSON (a calendar, a PDF): `body` is sent as it is, with this media type. */
  contentType?: string;
}

export interface ResponseDefinition {
  description: string;
  schema?: z.ZodType;
  /**
   * A body that is not JSON (a signed token, a PDF, a calendar): the handler returns it as a string or
   * bytes with this content-type header, and it is sent as it is.
   */
  contentType?: string;
  /**
   * The same answer in other media types the client may ask for (a CSV export of a JSON table): each
   * documented beside the main one; the handler picks one and names it in HandlerResult.contentType.
   */
  alternatives?: ReadonlyArray<{ contentType: string; schema?: z.ZodType }>;
}

export interface RouteDefinition<R extends RouteRequest = RouteRequest, A extends AuthMode = AuthMode> {
  method: HttpMethod;
  /** OpenAPI style: "/v1/ideas/{id}". */
  path: `/${string}`;
  summary: string;
  description?: string;
  tags?: string[];
  operationId?: string;
  auth: A;
  request?: R;
  /** Honour Idempotency-Key (create endpoints). Needs idempotencyStore on the app. */
  idempotent?: boolean;
  /**
   * The route reads If-Match: "required" refuses a request without it (428, versioned updates);
   * "optional" checks it when sent (transitions). Documented either way; other routes ignore it.
   */
  ifMatch?: "required" | "optional";
  responses: Record<number, ResponseDefinition>;
  handler(ctx: HandlerContext<R, A>): Promise<HandlerResult>;
}

export interface ApiRouter {
  route<R extends RouteRequest = Record<never, never>, A extends AuthMode = AuthMode>(
    definition: RouteDefinition<R, A>,
  ): void;
}

/**
 * "/v1/ideas/{id}" -> "/v1/ideas/:id"; a literal colon (a custom method, "/v1/accounts/{id}:disable")
 * is escaped so that express does not read it as a parameter.
 */
export function toExpressPath(path: string): string {
  return path.replaceAll(":", "\\:").replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ":$1");
}
