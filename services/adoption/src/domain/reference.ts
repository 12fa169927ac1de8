/** The 7 economic-professional areas of Regione Lombardia (Poli Tecnico-Professionali). */
export const ECONOMIC_AREAS = [
  "agroalimentare",
  "manifattura",
  "meccanica",
  "cultura",
  "turismo",
  "servizi_commerciali",
  "servizi_persona",
] as const;
export type EconomicArea = (typeof ECONOMIC_AREAS)[number];

export function isEconomicArea(value: string): value is EconomicArea {
  return (ECONOMIC_AREAS as readonly string[]).includes(value);
}

/** Districts of the province of Mantova are lower-case slugs, as the ideas service publishes them. */
export const DISTRICT_SLUG = /^[a-z][a-z0-9-]{1,39}$/;

export const NEEDS = ["mentoring", "internships", "funding", "equipment"] as const;
export type Need = (typeof NEEDS)[number];
