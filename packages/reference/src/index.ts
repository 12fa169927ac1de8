// Reference vocabularies the services share through the contracts (stable slugs: the contracts'
// enums in lower case). One list each, for every service: a copy would drift.

/** The 7 economic-professional areas of Regione Lombardia's Poli Tecnico-Professionali (the contracts' enum, lower case). */
export const ECONOMIC_AREAS = [
  "agroalimentare",
  "manifattura", // e artigianato
  "meccanica", // impianti e costruzioni
  "cultura", // informazione e tecnologie informatiche
  "turismo", // e sport
  "servizi_commerciali", // e trasporti
  "servizi_persona",
] as const;
export type EconomicArea = (typeof ECONOMIC_AREAS)[number];

export function isEconomicArea(value: string): value is EconomicArea {
  return (ECONOMIC_AREAS as readonly string[]).includes(value);
}

/** The six social-health districts (ambiti distrettuali) of the province of Mantova. */
export const DISTRICTS = ["mantova", "asola", "guidizzolo", "ostiglia", "suzzara", "viadana"] as const;
export type District = (typeof DISTRICTS)[number];

/**
 * The LTO is "diffuso": it works from one site (sede) in each district. A site's id is what staff
 * tokens carry in their `sites` claim; staff act only on the calls and ideas of their sites.
 */
export const SITES = [
  "lto-mantova",
  "lto-asola",
  "lto-guidizzolo",
  "lto-ostiglia",
  "lto-suzzara",
  "lto-viadana",
] as const satisfies readonly `lto-${District}`[];
export type Site = (typeof SITES)[number];

export function isSite(value: string): value is Site {
  return (SITES as readonly string[]).includes(value);
}

/** Digital and "4.0" technologies: the nine enabling technologies of Piano Impresa 4.0 plus the usual digital ones. */
export const TECHNOLOGIES = [
  "advanced-manufacturing",
  "3d-printing",
  "augmented-reality",
  "simulation",
  "system-integration",
  "iot",
  "cloud",
  "cybersecurity",
  "big-data",
  "ai",
  "robotics",
  "web-mobile-apps",
  "e-commerce",
  "blockchain",
  "drones",
] as const;
export type Technology = (typeof TECHNOLOGIES)[number];

/** What a school's team may ask a sponsor company for. */
export const NEEDS = ["mentoring", "internships", "funding", "equipment"] as const;
export type Need = (typeof NEEDS)[number];

export function isNeed(value: string): value is Need {
  return (NEEDS as readonly string[]).includes(value);
}

/**
 * The slug of a contract enum value (`ECONOMIC_AREA_SERVIZI_PERSONA` -> `servizi_persona`) if it is
 * one of `slugs`; undefined for UNSPECIFIED, UNRECOGNIZED or a value this list does not know.
 */
export function slugOf<S extends string>(value: string, prefix: string, slugs: readonly S[]): S | undefined {
  const slug = value.startsWith(prefix) ? value.slice(prefix.length).toLowerCase() : "";
  return (slugs as readonly string[]).includes(slug) ? (slug as S) : undefined;
}
