// The portal's routes, in code: the layout around every page, the public pages (home, catalogue,
// published ideas, accessibility statement) and the sign-in callback. Later waves add the role pages.
import { createRootRoute, createRoute, createRouter } from "@tanstack/react-router";
import { CoursesPage, courseFilters } from "../pages/courses.js";
import { HomePage } from "../pages/home.js";
import { IdeasPage, ideaFilters } from "../pages/ideas.js";
import { AccessibilityPage, CallbackPage, NotFoundPage } from "../pages/misc.js";
import { Layout } from "./layout.js";
import { companyRoutes } from "./routes/company.js";
import { schoolRoutes } from "./routes/school.js";
import { staffRoutes } from "./routes/staff.js";
import { staffreviewRoutes } from "./routes/staffreview.js";
import { sessionsRoutes } from "./routes/sessions.js";
import { learnerRoutes } from "./routes/learner.js";
import { noticesRoutes } from "./routes/notices.js";
import { partnerRoutes } from "./routes/partner.js";
import { adminRoutes } from "./routes/admin.js";

const rootRoute = createRootRoute({ component: Layout, notFoundComponent: NotFoundPage });

const homeRoute = createRoute({ getParentRoute: () => rootRoute, path: "/", component: HomePage });

const coursesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/courses",
  validateSearch: courseFilters,
  component: function Courses() {
    return <CoursesPage filters={coursesRoute.useSearch()} />;
  },
});

const ideasRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/ideas",
  validateSearch: ideaFilters,
  component: function Ideas() {
    return <IdeasPage filters={ideasRoute.useSearch()} />;
  },
});

const callbackRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/auth/callback",
  component: CallbackPage,
});

const accessibilityRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/accessibility",
  component: AccessibilityPage,
});

const routeTree = rootRoute.addChildren([
  homeRoute,
  coursesRoute,
  ideasRoute,
  callbackRoute,
  accessibilityRoute,
  ...schoolRoutes(rootRoute),
  ...companyRoutes(rootRoute),
  ...staffRoutes(rootRoute),
  ...staffreviewRoutes(rootRoute),
  ...sessionsRoutes(rootRoute),
  ...learnerRoutes(rootRoute),
  ...noticesRoutes(rootRoute),
  ...partnerRoutes(rootRoute),
  ...adminRoutes(rootRoute),
]);

export const router = createRouter({ routeTree, defaultPreload: "intent" });

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
