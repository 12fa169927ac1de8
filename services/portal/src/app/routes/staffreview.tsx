// The staff's review pages: ideas to review and publish, companies to verify, invitations.
import { createRoute, type AnyRoute } from "@tanstack/react-router";
import { StaffCompaniesPage } from "../../pages/staffreview/companies.js";
import { reviewFilters, StaffReviewListPage } from "../../pages/staffreview/ideas.js";
import { StaffInvitePage } from "../../pages/staffreview/invite.js";
import { StaffReviewPage } from "../../pages/staffreview/review.js";

export function staffreviewRoutes<P extends AnyRoute>(parent: P) {
  const list = createRoute({
    getParentRoute: () => parent,
    path: "/staff/review",
    validateSearch: reviewFilters,
    component: function ReviewList() {
      return <StaffReviewListPage filters={list.useSearch() as ReturnType<typeof reviewFilters>} />;
    },
  });
  const review = createRoute({
    getParentRoute: () => parent,
    path: "/staff/review/$ideaId",
    component: function Review() {
      return <StaffReviewPage ideaId={(review.useParams() as { ideaId: string }).ideaId} />;
    },
  });
  const companies = createRoute({
    getParentRoute: () => parent,
    path: "/staff/companies",
    component: StaffCompaniesPage,
  });
  const invite = createRoute({
    getParentRoute: () => parent,
    path: "/staff/invite",
    component: StaffInvitePage,
  });
  return [list, review, companies, invite] as const;
}
