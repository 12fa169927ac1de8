// The notices page (signed-in people; the service answers 401 to anyone else, shown in its own words).
import { createRoute, type AnyRoute } from "@tanstack/react-router";
import { NoticesPage } from "../../pages/notices/notices.js";

export function noticesRoutes<R extends AnyRoute>(root: R) {
  return [createRoute({ getParentRoute: () => root, path: "/notices", component: NoticesPage })] as const;
}
