// Reference vocabularies shared with the other services through the contracts (stable slugs).

/** The 7 economic-professional areas of Regione Lombardia's Poli Tecnico-Professionali. */
export const ECONOMIC_AREAS = [
  "agrifood", // agroalimentare
  "manufacturing", // manifattura e artigianato
  "mechanics", // meccanica, impianti e costruzioni
  "culture", // cultura, informazione e tecnologie informatiche
  "tourism", // turismo e sport
  "commerce_transport", // servizi commerciali e trasporti
  "personal_services", // servizi alla persona
] as const;
export type EconomicArea = (typeof ECONOMIC_AREAS)[number];

/** The six social-health districts (ambiti distrettuali) of the province of Mantova. */
export const DISTRICTS = ["mantova", "asola", "guidizzolo", "ostiglia", "suzzara", "viadana"] as const;
export type District = (typeof DISTRICTS)[number];

/** Digital and "4.0" technologies: the nine enabling technologies of Piano Impresa 4.0 plus the usual digital ones. */
export const TECHNOLOGIES = [
  "advanced_manufacturing",
  "additive_manufacturing",
  "augmented_reality",
  "simulation",
  "system_integration",
  "iot",
  "cloud",
  "cybersecurity",
  "big_data",
  "artificial_intelligence",
  "robotics",
  "web_mobile_apps",
  "e_commerce",
  "blockchain",
  "drones",
] as const;
export type Technology = (typeof TECHNOLOGIES)[number];

export const NEEDS = ["mentoring", "internships", "funding", "equipment"] as const;
export type Need = (typeof NEEDS)[number];
