// Request and response schemas of the REST API; the OpenAPI document is generated from them.
import { pageQuery, singleLineText, z } from "@lto/http-kit";
import { LOCALES, NOTICE_KINDS } from "../../domain/index.js";

export const noticeIdParams = z.object({ id: singleLineText({ min: 1, max: 256 }) });

/** Endpoints that take no query: anything sent is refused by name rather than silently ignored. */
export const noQuery = z.strictObject({});

export const noticeListQuery = z.strictObject({
  unread: z
    .enum(["true", "false"], { error: 'must be "true" or "false"' })
    .optional()
    .transform((v) => v === "true")
    .meta({ description: "true: only the notices the caller has not read" }),
  ...pageQuery.shape,
});

const text = z.object({ title: z.string(), body: z.string() });

export const noticeResponse = z.object({
  id: z.string(),
  kind: z.enum(NOTICE_KINDS),
  title: z
    .string()
    .meta({ description: "In the caller's language (their account's locale; Italian by default)" }),
  body: z.string(),
  locale: z.enum(LOCALES),
  texts: z.object({ it: text, en: text }),
  refs: z.record(z.string(), z.string()).meta({
    description:
      "The ids of what the notice is about (ideaId, offerId, sessionId, bookingId...), to link to it",
  }),
  deadline: z.iso.datetime().optional(),
  needsAction: z
    .boolean()
    .meta({ description: "The notice asks the reader to act (it is also sent by e-mail)" }),
  occurredAt: z.iso.datetime(),
  read: z.boolean().meta({
    description: "Read by the caller (each person reads their organisation's notices for themselves)",
  }),
});

export const unreadCountResponse = z.object({ unread: z.number().int() });
export const readAllResponse = z.object({ marked: z.number().int() });
