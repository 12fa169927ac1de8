// What availability reads from the store: the operators of a site, and what their calendars hold.
import type { BusyCalendar, SiteOperators } from "../app/index.js";
import type { SelfEmploymentCollections } from "./store.js";

/** A site has a handful of operators; more than this is a data error worth seeing. */
const MAX_OPERATORS_PER_SITE = 500;

export function siteOperators(operators: SelfEmploymentCollections["operators"]): SiteOperators {
  return { atSite: (site) => operators.find({ sites: site }, MAX_OPERATORS_PER_SITE, { _id: 1 }) };
}

/**
 * Nothing is booked yet: bookings come with the next wave, which answers both methods from its claims
 * in the store (the busy intervals of the operators meeting the range, bookings per operator and day).
 */
export function busyCalendar(): BusyCalendar {
  return {
    busyIntervals: async () => ({}),
    bookingsPerDay: async () => ({}),
  };
}
