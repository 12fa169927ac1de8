// The sentence the portal puts before a service's own problem detail: by the type URI's kind, else by
// the status; the fields a validation problem names; when to retry, if the answer said so.
import { describe, expect, it } from "vitest";
import { problemSentence } from "../../src/components/problem-sentence.js";
import { en } from "../../src/i18n/en.js";
import { it as italian } from "../../src/i18n/it.js";

const type = (slug: string) => `https://lto.mantova.it/problems/${slug}`;

describe("problemSentence", () => {
  it("names the kind by the problem's type URI", () => {
    expect(problemSentence(404, { type: type("not-found") })).toEqual({ id: "error.kind.notFound" });
    expect(problemSentence(409, { type: type("conflict") })).toEqual({ id: "error.kind.conflict" });
    expect(problemSentence(409, { type: type("invalid-state") })).toEqual({ id: "error.kind.invalidState" });
    expect(problemSentence(409, { type: type("already-exists") })).toEqual({
      id: "error.kind.alreadyExists",
    });
    expect(problemSentence(403, { type: type("forbidden") })).toEqual({ id: "error.kind.forbidden" });
    expect(problemSentence(401, { type: type("unauthenticated") })).toEqual({
      id: "error.kind.unauthenticated",
    });
    expect(problemSentence(412, { type: type("precondition-failed") })).toEqual({ id: "error.kind.changed" });
    expect(problemSentence(429, { type: type("too-many-requests") })).toEqual({
      id: "error.kind.rateLimited",
    });
    expect(problemSentence(503, { type: type("unavailable") })).toEqual({ id: "error.kind.unavailable" });
  });

  it("prefers the type over the status, and falls back to the status without a known type", () => {
    // A 409 that is about the state, not a clash with another write.
    expect(problemSentence(409, { type: type("invalid-state") }).id).toBe("error.kind.invalidState");
    expect(problemSentence(404, {})).toEqual({ id: "error.kind.notFound" });
    expect(problemSentence(403, { type: "about:blank" })).toEqual({ id: "error.kind.forbidden" });
    expect(problemSentence(409, { type: type("something-new") })).toEqual({ id: "error.kind.conflict" });
    expect(problemSentence(502, {})).toEqual({ id: "error.kind.server" });
    expect(problemSentence(418, {})).toEqual({ id: "error.kind.other" });
    expect(problemSentence(0, {})).toEqual({ id: "error.network" });
  });

  it("names the fields of a validation problem once each, leaving out the request as a whole", () => {
    const problem = {
      type: type("invalid"),
      errors: [
        { path: "title", message: "is required" },
        { path: "members.0.pseudonym", message: "too short" },
        { path: "title", message: "too long" },
        { path: "", message: "body must be an object" },
      ],
    };
    expect(problemSentence(400, problem)).toEqual({
      id: "error.kind.invalidFields",
      values: { fields: "title, members.0.pseudonym" },
    });
    expect(problemSentence(400, { type: type("invalid") })).toEqual({ id: "error.kind.invalid" });
    expect(problemSentence(422, { errors: [{ path: "q", message: "too short" }] })).toEqual({
      id: "error.kind.invalidFields",
      values: { fields: "q" },
    });
  });

  it("says when to retry a rate limit or an unavailable service when Retry-After says so", () => {
    expect(problemSentence(429, { type: type("too-many-requests") }, 30)).toEqual({
      id: "error.kind.rateLimited.retryIn",
      values: { seconds: 30 },
    });
    expect(problemSentence(503, {}, 5)).toEqual({
      id: "error.kind.unavailable.retryIn",
      values: { seconds: 5 },
    });
    // Retry-After on another kind changes nothing.
    expect(problemSentence(404, {}, 5)).toEqual({ id: "error.kind.notFound" });
  });

  it("has an Italian and an English text for every sentence", () => {
    const ids = [
      "error.kind.invalid",
      "error.kind.invalidFields",
      "error.kind.unauthenticated",
      "error.kind.forbidden",
      "error.kind.notFound",
      "error.kind.conflict",
      "error.kind.alreadyExists",
      "error.kind.invalidState",
      "error.kind.changed",
      "error.kind.rateLimited",
      "error.kind.rateLimited.retryIn",
      "error.kind.unavailable",
      "error.kind.unavailable.retryIn",
      "error.kind.server",
      "error.kind.other",
    ] as const;
    for (const id of ids) {
      expect(italian[id]).toBeTruthy();
      expect(en[id]).toBeTruthy();
    }
    expect(italian["error.kind.invalidFields"]).toContain("{fields}");
  });
});
