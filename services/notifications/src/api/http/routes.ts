// The REST API under /v1/notifications: the caller's own notices, read per person. Handlers only
// translate HTTP to use cases.
import type { ApiRouter } from "@lto/http-kit";
import { pageOf, problemResponses as problems, writeProblemResponses as writeProblems } from "@lto/http-kit";
import type { NotificationsApp } from "../../app/index.js";
import {
  noticeIdParams,
  noticeListQuery,
  noticeResponse,
  noQuery,
  readAllResponse,
  unreadCountResponse,
} from "./schemas.js";

const ok = (body: unknown) => ({ status: 200, body });

export function routes(app: NotificationsApp) {
  const n = app.notifications;
  return (api: ApiRouter) => {
    api.route({
      method: "get",
      path: "/v1/notifications",
      summary: "My notifications, newest first: mine and my organisation's for my role",
      tags: ["notifications"],
      auth: "required",
      request: { query: noticeListQuery },
      responses: { 200: { description: "Notifications", schema: pageOf(noticeResponse) }, ...problems },
      handler: async ({ identity, query }) =>
        ok(
          await n.list(identity, {
            unread: query.unread,
            limit: query.limit,
            ...(query.cursor ? { cursor: query.cursor } : {}),
          }),
        ),
    });
    api.route({
      method: "get",
      path: "/v1/notifications/unread-count",
      summary: "How many of my notifications I have not read",
      tags: ["notifications"],
      auth: "required",
      request: { query: noQuery },
      responses: { 200: { description: "The count", schema: unreadCountResponse }, ...problems },
      handler: async ({ identity }) => ok(await n.unreadCount(identity)),
    });
    api.route({
      method: "post",
      path: "/v1/notifications/read-all",
      summary: "Mark all my notifications read (for me only)",
      tags: ["notifications"],
      auth: "required",
      request: { query: noQuery },
      responses: { 200: { description: "How many were marked", schema: readAllResponse }, ...writeProblems },
      handler: async ({ identity }) => ok(await n.markAllRead(identity)),
    });
    api.route({
      method: "post",
      path: "/v1/notifications/{id}/read",
      summary: "Mark one of my notifications read (for me only)",
      tags: ["notifications"],
      auth: "required",
      request: { params: noticeIdParams },
      responses: { 200: { description: "The notification", schema: noticeResponse }, ...writeProblems },
      handler: async ({ identity, params }) => ok(await n.markRead(identity, params.id)),
    });
  };
}
