import type { FieldIssue } from "@lto/errors";
import type { z } from "zod";

/** zod issues as field issues with a dotted path prefixed by where the field was (params, query, body). */
export function fieldIssues(location: string, error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [location, ...issue.path.map(String)].join("."),
    // zod says "expected string, received undefined" for a missing field; clients understand "Required".
    message:
      issue.code === "invalid_type" && issue.message.endsWith("received undefined")
        ? "Required"
        : issue.message,
  }));
}
