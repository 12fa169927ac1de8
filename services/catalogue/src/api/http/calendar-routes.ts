// Calendars over HTTP: a session's meetings as ICS, and personal feeds behind a secret link that the
// owner creates, rotates and revokes. Calendar apps fetch the feeds without signing in: the token in
// the path is the credential (404 once rotated or revoked), answered only when it is made.
import type { ApiRouter } from "@lto/http-kit";
import { problemResponses as problems, writeProblemResponses as writeProblems, z } from "@lto/http-kit";
import type { CatalogueApp } from "../../app/index.js";
import { isFeedTokenShape } from "../../domain/index.js";
import { sessionIdParams } from "./schemas.js";

const ICS = "text/calendar; charset=utf-8";

const feedParams = z.object({
  token: z
    .string()
    .max(64)
    .refine(isFeedTokenShape, "must be the token of a calendar link (43 letters, digits, - and _)"),
});

const feedLink = z
  .object({
    url: z.string().meta({ description: "The secret link to subscribe to; shown only now" }),
    rotated: z.boolean().meta({ description: "True when it replaces a link, which no longer works" }),
  })
  .meta({ id: "CalendarFeedLink" });

const calendar = (body: string, filename: string) => ({
  status: 200,
  contentType: ICS,
  body,
  // Apps re-fetch on their own schedule (REFRESH-INTERVAL); caches must ask again.
  headers: { "Content-Disposition": `inline; filename="${filename}"`, "Cache-Control": "no-cache" },
});

/** What the HTTP edge needs from the service's settings. */
export interface HttpOptions {
  /** The public base of personal calendar links (default: the address the request came to). */
  calendarFeedBaseUrl?: string;
}

export function calendarRoutes(app: CatalogueApp, options: HttpOptions) {
  return (api: ApiRouter) => {
    api.route({
      method: "get",
      path: "/v1/sessions/{sessionId}/calendar.ics",
      summary: "A session's meetings as an iCalendar file (as visible as the session)",
      description:
        "Every meeting with a stable UID and its SEQUENCE, in Europe/Rome time with its VTIMEZONE; a moved " +
        "meeting has a higher SEQUENCE, a cancelled one (or every one of a cancelled session) STATUS:CANCELLED.",
      tags: ["calendars"],
      auth: "optional",
      request: { params: sessionIdParams },
      responses: {
        200: { description: "The calendar (RFC 5545)", contentType: "text/calendar" },
        ...problems,
      },
      handler: async ({ identity, params }) =>
        calendar(
          await app.calendars.sessionIcs(identity, params.sessionId),
          `session-${params.sessionId}.ics`,
        ),
    });
    api.route({
      method: "post",
      path: "/v1/calendars/mine",
      summary: "Create, or replace, the secret link of your personal calendar (the old link stops working)",
      description:
        "The feed lists the meetings you train (where you are the meeting's trainerId) and those of the " +
        "sessions where you hold or are offered a seat. The link is answered once: only its hash is kept.",
      tags: ["calendars"],
      auth: "required",
      request: { query: z.strictObject({}) },
      responses: { 201: { description: "The new link", schema: feedLink }, ...writeProblems },
      handler: async ({ identity, headers }) => {
        const { token, rotated } = await app.calendars.issueFeed(identity);
        const base = options.calendarFeedBaseUrl ?? `http://${headers.host ?? "localhost"}`;
        return {
          status: 201,
          body: { url: new URL(`/v1/calendars/${token}.ics`, base).href, rotated },
          headers: { "Cache-Control": "no-store" },
        };
      },
    });
    api.route({
      method: "delete",
      path: "/v1/calendars/mine",
      summary: "Revoke the link of your personal calendar",
      tags: ["calendars"],
      auth: "required",
      request: { query: z.strictObject({}) },
      responses: { 204: { description: "Revoked: the link answers 404 from now on" }, ...writeProblems },
      handler: async ({ identity }) => {
        await app.calendars.revokeFeed(identity);
        return { status: 204 };
      },
    });
    api.route({
      method: "get",
      path: "/v1/calendars/{token}.ics",
      summary: "A personal calendar by its secret link (no sign-in: the link is the credential)",
      tags: ["calendars"],
      auth: "none",
      request: { params: feedParams },
      responses: {
        200: { description: "The calendar (RFC 5545)", contentType: "text/calendar" },
        ...problems,
      },
      handler: async ({ params }) => calendar(await app.calendars.personalIcs(params.token), "lto.ics"),
    });
  };
}
