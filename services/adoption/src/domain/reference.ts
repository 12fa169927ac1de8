// The shared vocabularies (one list for every service) and what only this service adds.
export { ECONOMIC_AREAS, NEEDS, isEconomicArea, type EconomicArea, type Need } from "@lto/reference";

/** Districts of the province of Mantova are lower-case slugs, as the ideas service publishes them. */
export const DISTRICT_SLUG = /^[a-z][a-z0-9-]{1,39}$/;
