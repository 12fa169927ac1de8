// Builders for what the unit tests use: a realistic company profile, offer, hold and adoption in any
// state, and the projection's view of a published idea, on fixed instants (records may not be dated in
// the future).
import type { IdeaView } from "../src/app/index.js";
import {
  acceptOffer,
  makeOffer,
  placeHold,
  startAdoption,
  type Commitments,
  type CompanyProfile,
  type Offer,
  type OfferInput,
} from "../src/domain/index.js";

export const t0 = new Date("2026-03-01T10:00:00Z");
/** When records are logged: after every delivery date the tests use (dates may not be in the future). */
export const later = new Date("2026-08-01T10:00:00Z");
export const at = (hours: number) => new Date(t0.getTime() + hours * 3_600_000);

export const aCompanyProfile = (overrides: Partial<CompanyProfile> = {}): CompanyProfile => ({
  legalName: "Officine Virgiliane S.r.l.",
  vatNumber: "IT 12345670207",
  atecoCode: "28.41.00",
  areas: ["meccanica", "manifattura"],
  district: "mantova",
  contact: { name: "Giulia Ferri", email: "giulia.ferri@example.it", phone: "+39 0376 123456" },
  ...overrides,
});

export const someCommitments = (overrides: Partial<Commitments> = {}): Commitments => ({
  mentoringHours: 4,
  internships: [{ places: 1, startsOn: "2026-06-08", endsOn: "2026-07-03" }],
  fundingCents: 50_000,
  equipment: [{ item: "Arduino kit", quantity: 3 }],
  ...overrides,
});

export const anOfferInput = (overrides: Partial<OfferInput> = {}): OfferInput => ({
  id: "o1",
  ideaId: "i1",
  callId: "call-1",
  schoolId: "school-1",
  companyId: "c1",
  commitments: someCommitments(),
  message: "Mentoring, a summer internship, some funds and kits.",
  ...overrides,
});

export const anOffer = (overrides: Partial<OfferInput> = {}, now = t0): Offer =>
  makeOffer(anOfferInput(overrides), now);

export const anAcceptedOffer = (overrides: Partial<OfferInput> = {}, now = t0): Offer =>
  acceptOffer(anOffer(overrides, now), now);

export const aHold = (overrides: { id?: string; ideaId?: string; companyId?: string; hours?: number } = {}) =>
  placeHold({ id: "h1", ideaId: "i1", callId: "k", schoolId: "s", companyId: "c1", ...overrides }, t0);

export const aTeam = { title: "Serre smart", teamPseudonyms: ["volpe-rossa", "gufo-blu", "lince-verde"] };

export const anAdoption = (offer = anAcceptedOffer(), now = t0) => startAdoption("a1", offer, aTeam, now);

/** A published idea as the projection of the ideas topic holds it (before any adoption). */
export const anIdeaView = (
  overrides: Partial<Omit<IdeaView, "adoption">> = {},
): Omit<IdeaView, "adoption"> => ({
  id: "i1",
  callId: "call-1",
  callTitle: "LTO Idee",
  schoolYear: "2025/26",
  schoolId: "school-1",
  schoolName: "IIS Fermi",
  title: "Serra intelligente",
  summary: "Sensori e irrigazione automatica",
  problem: "Spreco d'acqua",
  solution: "IoT",
  area: "agroalimentare",
  technologies: ["iot"],
  district: "mantova",
  needs: ["mentoring"],
  teamName: "Team Verde",
  memberPseudonyms: ["volpe-rossa", "gufo-blu"],
  attachments: [],
  challengeCompanyId: "",
  status: "published",
  publishedAt: t0,
  ideaVersion: 3,
  ...overrides,
});
