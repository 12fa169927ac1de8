import type { ProblemDetails } from "@lto/errors";
import { problemType } from "@lto/errors";
import type { Response } from "express";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export function sendProblem(res: Response, body: ProblemDetails, headers: Record<string, string> = {}): void {
  res.status(body.status).set(headers).type(PROBLEM_CONTENT_TYPE).json(body);
}

/** A problem raised by the transport itself (unknown route, bad JSON, too large, ...). */
export function transportProblem(
  status: number,
  slug: string,
  title: string,
  detail: string,
): ProblemDetails {
  return { type: problemType(slug), title, status, detail };
}
