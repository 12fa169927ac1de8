// What availability reads from the store: the operators of a site (what their calendars hold is read
// from the slot ledger: booking-repositories.ts).
import type { SiteOperators } from "../app/index.js";
import type { SelfEmploymentCollections } from "./store.js";

/** A site has a handful of operators; more than this is a data error worth seeing. */
const MAX_OPERATORS_PER_SITE = 500;

export function siteOperators(operators: SelfEmploymentCollections["operators"]): SiteOperators {
  return { atSite: (site) => operators.find({ sites: site }, MAX_OPERATORS_PER_SITE, { _id: 1 }) };
}
