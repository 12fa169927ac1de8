// The company's pages: browsing published ideas (filters in the address), an offer, an adoption.
import { createRoute, type AnyRoute } from "@tanstack/react-router";
import { CompanyAdoptionPage } from "../../pages/company/adoption.js";
import { CompanyBrowsePage, browseFilters } from "../../pages/company/browse.js";
import { OfferPage } from "../../pages/company/offer.js";

export function companyRoutes<R extends AnyRoute>(rootRoute: R) {
  const browse = createRoute({
    getParentRoute: () => rootRoute,
    path: "/company/ideas",
    validateSearch: browseFilters,
    component: function Browse() {
      return <CompanyBrowsePage filters={browse.useSearch()} />;
    },
  });
  const offer = createRoute({
    getParentRoute: () => rootRoute,
    path: "/company/ideas/$ideaId/offer",
    component: function Offer() {
      return <OfferPage ideaId={(offer.useParams() as { ideaId: string }).ideaId} />;
    },
  });
  const adoption = createRoute({
    getParentRoute: () => rootRoute,
    path: "/company/adoptions/$adoptionId",
    component: function Adoption() {
      return <CompanyAdoptionPage adoptionId={(adoption.useParams() as { adoptionId: string }).adoptionId} />;
    },
  });
  return [browse, offer, adoption] as const;
}
