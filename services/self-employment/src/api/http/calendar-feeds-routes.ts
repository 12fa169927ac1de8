// Calendar feeds over HTTP: an operator's calendar and a person's bookings as ICS behind secret links
// (no sign-in: the token in the link is the credential, 404 once rotated), and the links themselves
// for whoever looks after the calendar (made on first ask, rotated on request).
import { ICS_CONTENT_TYPE, icsMessageContentType } from "@lto/calendar/ics";
import type { ApiRouter, HandlerResult } from "@lto/http-kit";
import { problemResponses as problems, writeProblemResponses as writeProblems, z } from "@lto/http-kit";
import type { SelfEmploymentApp } from "../../app/index.js";
import type { FeedLinkView } from "../../app/calendar-feeds.js";
import {
  bookingInvitationParams,
  feedLinkResponse,
  feedQuery,
  operatorFeedParams,
  personFeedParams,
} from "./calendar-feeds-schemas.js";

function calendar(body: string, filename: string): HandlerResult {
  return {
    status: 200,
    contentType: ICS_CONTENT_TYPE,
    body,
    // Apps fetch again on their own schedule (REFRESH-INTERVAL); caches must ask every time.
    headers: { "Content-Disposition": `inline; filename="${filename}"`, "Cache-Control": "no-cache" },
  };
}

export function calendarFeedRoutes(app: SelfEmploymentApp) {
  const feeds = app.calendarFeeds;
  const link = (view: FeedLinkView, host: string | undefined): HandlerResult => {
    const { path, ...rest } = view;
    const base = feeds.baseUrl ?? `http://${host ?? "localhost"}`;
    return {
      status: 200,
      body: { url: new URL(path, base).href, ...rest },
      headers: { "Cache-Control": "no-store" },
    };
  };
  const ics = { 200: { description: "The calendar (RFC 5545)", contentType: "text/calendar" }, ...problems };
  const icsDescription =
    "Every booking with a stable UID (the booking's) and its SEQUENCE (0 when booked, one more on every " +
    "reschedule and on the cancellation), in Europe/Rome time with its VTIMEZONE; a cancelled booking stays " +
    "for CALENDAR_FEED_CANCELLED_DAYS with STATUS:CANCELLED so apps remove it. A wrong or rotated token: 404.";

  return (api: ApiRouter) => {
    api.route({
      method: "get",
      path: "/v1/calendar/operators/{operatorId}.ics",
      summary: "An operator's calendar by its secret link (no sign-in: the link is the credential)",
      description: `${icsDescription} Whom the operator meets is named (given and family name), nothing more.`,
      tags: ["calendar feeds"],
      auth: "none",
      request: { params: operatorFeedParams, query: feedQuery },
      responses: ics,
      handler: async ({ params, query }) =>
        calendar(await feeds.operatorFeed(params.operatorId, query.token), "agenda-operatore.ics"),
    });
    api.route({
      method: "get",
      path: "/v1/calendar/persons/{personId}.ics",
      summary: "A person's bookings by their secret link (no sign-in: the link is the credential)",
      description: icsDescription,
      tags: ["calendar feeds"],
      auth: "none",
      request: { params: personFeedParams, query: feedQuery },
      responses: ics,
      handler: async ({ params, query }) =>
        calendar(await feeds.personFeed(params.personId, query.token), "appuntamenti.ics"),
    });
    api.route({
      method: "get",
      path: "/v1/calendar/operators/{operatorId}/feed",
      summary: "The secret link of an operator's calendar, made on first ask (staff of its sites, admin)",
      tags: ["calendar feeds"],
      auth: "required",
      request: { params: operatorFeedParams, query: z.strictObject({}) },
      responses: { 200: { description: "The link", schema: feedLinkResponse }, ...problems },
      handler: async ({ identity, params, headers }) =>
        link(await feeds.operatorFeedLink(identity, params.operatorId), headers.host),
    });
    api.route({
      method: "post",
      path: "/v1/calendar/operators/{operatorId}/feed/rotate",
      summary:
        "A new secret link for an operator's calendar; the old one stops working (staff of its sites, admin)",
      tags: ["calendar feeds"],
      auth: "required",
      request: { params: operatorFeedParams, query: z.strictObject({}) },
      responses: { 200: { description: "The new link", schema: feedLinkResponse }, ...writeProblems },
      handler: async ({ identity, params, headers }) =>
        link(await feeds.operatorFeedLink(identity, params.operatorId, true), headers.host),
    });
    api.route({
      method: "get",
      path: "/v1/calendar/persons/{personId}/feed",
      summary:
        "The secret link of a person's bookings, made on first ask (staff of their site, admin, the person)",
      tags: ["calendar feeds"],
      auth: "required",
      request: { params: personFeedParams, query: z.strictObject({}) },
      responses: { 200: { description: "The link", schema: feedLinkResponse }, ...problems },
      handler: async ({ identity, params, headers }) =>
        link(await feeds.personFeedLink(identity, params.personId), headers.host),
    });
    api.route({
      method: "post",
      path: "/v1/calendar/persons/{personId}/feed/rotate",
      summary:
        "A new secret link for a person's bookings; the old one stops working (staff of their site, admin, the person)",
      tags: ["calendar feeds"],
      auth: "required",
      request: { params: personFeedParams, query: z.strictObject({}) },
      responses: { 200: { description: "The new link", schema: feedLinkResponse }, ...writeProblems },
      handler: async ({ identity, params, headers }) =>
        link(await feeds.personFeedLink(identity, params.personId, true), headers.host),
    });
    api.route({
      method: "get",
      path: "/v1/calendar/bookings/{bookingId}.ics",
      summary: "A booking as an invitation to the person (iTIP: REQUEST, or CANCEL once cancelled)",
      description:
        "One event with the booking's UID and SEQUENCE, from its operator (or CALENDAR_ORGANIZER_EMAIL) to the " +
        "person, to attach to an e-mail or open in a calendar app. Staff of the booking's site, admin, the " +
        "person themself. 409 when the person has no e-mail on record.",
      tags: ["calendar feeds"],
      auth: "required",
      request: { params: bookingInvitationParams, query: z.strictObject({}) },
      responses: {
        200: { description: "The iTIP message (RFC 5546)", contentType: "text/calendar" },
        ...problems,
      },
      handler: async ({ identity, params }) => {
        const { method, text } = await feeds.bookingInvitation(identity, params.bookingId);
        return {
          ...calendar(text, "invito.ics"),
          contentType: icsMessageContentType(method),
          headers: {
            "Content-Disposition": 'attachment; filename="invito.ics"',
            "Cache-Control": "no-store",
          },
        };
      },
    });
  };
}
