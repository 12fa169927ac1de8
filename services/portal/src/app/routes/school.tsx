// The school referent's pages (the home itself is the role's home at /).
import { createRoute, type AnyRoute } from "@tanstack/react-router";
import { NewIdeaPage } from "../../pages/school/idea-new.js";
import { NewTeamPage } from "../../pages/school/team-new.js";

export function schoolRoutes<R extends AnyRoute>(rootRoute: R) {
  return [
    createRoute({ getParentRoute: () => rootRoute, path: "/school/teams/new", component: NewTeamPage }),
    createRoute({ getParentRoute: () => rootRoute, path: "/school/ideas/new", component: NewIdeaPage }),
  ] as const;
}
