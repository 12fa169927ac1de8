import type { CredentialInput } from "../../src/domain/credential.js";

export const ISSUER = {
  id: "https://lto.example.it/v1/issuer",
  type: ["Profile"] as ["Profile"],
  name: "LTO Mantova",
  url: "https://lto.example.it",
};
export const JWKS_URL = "https://lto.example.it/v1/issuer/jwks.json";
export const LIST_URL = "https://lto.example.it/v1/status-lists/1";

/** A valid credential input; override what a test is about. */
export function aCredentialInput(overrides: Partial<CredentialInput> = {}): CredentialInput {
  return {
    credentialId: "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e",
    learnerId: "urn:uuid:7c9e6679-7425-40de-944b-e07fc1f90ae7",
    course: {
      id: "https://lto.example.it/v1/courses/c-101",
      title: "Cittadinanza digitale: identità e servizi pubblici",
      description: "SPID, CIE, PagoPA e i servizi della pubblica amministrazione, in laboratorio.",
      criteria: "Frequenza di almeno l'80% delle ore e prova finale superata.",
      hours: 20,
    },
    alignments: [
      {
        frameworkId: "digcomp",
        frameworkName: "DigComp",
        frameworkVersion: "2.2",
        competenceCode: "2.3",
        competenceName: "Esercitare la cittadinanza attraverso le tecnologie digitali",
        level: "4",
        levelName: "Intermedio",
        targetUrl: "https://lto.example.it/v1/frameworks/digcomp/2.2/competences/2.3",
        targetType: "ext:DigCompCompetence",
      },
    ],
    issuedAt: new Date("2026-03-29T08:30:00Z"),
    site: { id: "https://lto.example.it/v1/sites/mn-centro", name: "LTO Mantova Centro" },
    status: { listUrl: LIST_URL, index: 42 },
    issuer: ISSUER,
    ...overrides,
  };
}
