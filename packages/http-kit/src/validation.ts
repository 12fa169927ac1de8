import type { FieldIssue } from "@lto/errors";
import type { z } from "zod";

/**
 * zod issues as field issues. One convention for the whole platform, the same as the domain's own
 * ValidationErrors: a field is named as the client knows it, with no transport prefix: a body field by
 * its dotted place in the resource ("summary", "members.0.pseudonym"), a query or path parameter by its
 * name ("limit", "ideaId"); "" is the body as a whole.
 */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String).join(".");
    // A field the schema does not know: name each one, so the client can remove it.
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: path ? `${path}.${key}` : key,
        message: "is not a field of this request; remove it",
      }));
    }
    // zod says "expected string, received undefined" for a missing field; clients understand "Required".
    const message =
      issue.code === "invalid_type" && issue.message.endsWith("received undefined")
        ? path
          ? "Required"
          : "Required: send a JSON body"
        : issue.message;
    return [{ path, message }];
  });
}

const TRANSPORT_PREFIX = /^(?:body|query|params|headers)(?:\.|$)/;

/**
 * The same convention for issues thrown by handlers and lists (e.g. a cursor named "query.cursor"):
 * the location prefix goes, so every 400 of every service names fields one way.
 */
export function withFieldNames(issues: FieldIssue[]): FieldIssue[] {
  return issues.map((issue) =>
    TRANSPORT_PREFIX.test(issue.path) ? { ...issue, path: issue.path.replace(TRANSPORT_PREFIX, "") } : issue,
  );
}
