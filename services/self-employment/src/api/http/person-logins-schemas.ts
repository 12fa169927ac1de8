// Request and response schemas of persons linked to their learner accounts, and of GET /v1/me.
import { singleLineText, z } from "@lto/http-kit";
import { MAX_LEARNER_SUBJECT } from "../../domain/index.js";
import { pathResponse } from "./paths-schemas.js";
import { personResponse } from "./schemas.js";

export const loginBody = z.strictObject({
  learnerSubject: singleLineText({ min: 1, max: MAX_LEARNER_SUBJECT }).meta({
    description: "The person's learner account: the subject of the token they sign in to the portal with",
  }),
});

export const linkedPersonResponse = personResponse.extend({
  loginHistory: z
    .array(
      z.object({
        at: z.iso.datetime(),
        by: z.string(),
        what: z.enum(["linked", "unlinked"]),
        learnerSubject: z.string(),
      }),
    )
    .optional()
    .meta({ description: "Every link and unlink of a learner account, oldest first" }),
});

export const meResponse = z.object({
  person: linkedPersonResponse,
  path: pathResponse.nullable().meta({ description: "Your open path, null when none is open" }),
});
