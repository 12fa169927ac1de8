import { ConflictError, ForbiddenError, InvalidStateError } from "@lto/errors";
import { DISTRICT_SLUG, isEconomicArea, type EconomicArea } from "./reference.js";
import { Issues } from "./validation.js";
import { ATECO_CODE, normaliseVat, vatProblem } from "./vat.js";

export type CompanyStatus = "registered" | "verified";

export interface ContactPerson {
  name: string;
  email: string;
  phone?: string;
}

/** A sponsor company (impresa madrina). Its id is the organisation id its people sign in with. */
export interface Company {
  id: string;
  legalName: string;
  vatNumber: string;
  atecoCode: string;
  areas: EconomicArea[];
  district: string;
  contact: ContactPerson;
  status: CompanyStatus;
  registeredAt: Date;
  verifiedAt?: Date;
  verifiedBy?: string;
}

export interface CompanyProfile {
  legalName: string;
  vatNumber: string;
  atecoCode: string;
  areas: string[];
  district: string;
  contact: ContactPerson;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const VAT_MESSAGES = {
  format: "must be 11 digits (an optional IT prefix is allowed)",
  office: "digits 8-10 must be a provincial office code (001-100, 120, 121, 888 or 999)",
  check_digit: "the check digit (the 11th) does not match: check for a typing mistake",
} as const;

function checkProfile(p: Partial<CompanyProfile>, issues: Issues): void {
  if (p.legalName !== undefined) {
    const n = p.legalName.trim();
    issues.check(n.length >= 2 && n.length <= 200, "legalName", "must be 2 to 200 characters");
  }
  if (p.vatNumber !== undefined) {
    const problem = vatProblem(normaliseVat(p.vatNumber));
    if (problem) issues.add("vatNumber", VAT_MESSAGES[problem]);
  }
  if (p.atecoCode !== undefined)
    issues.check(
      ATECO_CODE.test(p.atecoCode),
      "atecoCode",
      "must be an ATECO code like 62 or 62.01 or 62.01.00",
    );
  if (p.areas !== undefined) {
    issues.check(p.areas.length > 0, "areas", "name at least one of the 7 economic areas");
    p.areas.forEach((a, i) =>
      issues.check(isEconomicArea(a), `areas.${i}`, "is not one of the 7 economic areas"),
    );
    issues.check(new Set(p.areas).size === p.areas.length, "areas", "must not repeat an area");
  }
  if (p.district !== undefined)
    issues.check(
      DISTRICT_SLUG.test(p.district),
      "district",
      "must be a district slug like mantova or suzzara",
    );
  if (p.contact !== undefined) {
    const c = p.contact;
    issues.check(
      c.name.trim().length >= 2 && c.name.length <= 120,
      "contact.name",
      "must be 2 to 120 characters",
    );
    issues.check(EMAIL.test(c.email) && c.email.length <= 200, "contact.email", "must be an e-mail address");
    if (c.phone !== undefined)
      issues.check(/^\+?[0-9 ]{6,20}$/.test(c.phone), "contact.phone", "must be a phone number");
  }
}

export function registerCompany(id: string, profile: CompanyProfile, now: Date): Company {
  const issues = new Issues();
  checkProfile(profile, issues);
  issues.throwIfAny("The company's registration has invalid fields");
  return {
    id,
    legalName: profile.legalName.trim(),
    vatNumber: normaliseVat(profile.vatNumber),
    atecoCode: profile.atecoCode,
    areas: profile.areas as EconomicArea[],
    district: profile.district,
    contact: { ...profile.contact, name: profile.contact.name.trim() },
    status: "registered",
    registeredAt: now,
  };
}

/** Fields a company may change itself; its legal name and VAT number are fixed once registered. */
export type CompanyChanges = Partial<Pick<CompanyProfile, "atecoCode" | "areas" | "district" | "contact">>;

export function updateCompany(company: Company, changes: CompanyChanges): Company {
  const issues = new Issues();
  checkProfile(changes, issues);
  issues.throwIfAny("The company's changes have invalid fields");
  return {
    ...company,
    ...(changes.atecoCode !== undefined && { atecoCode: changes.atecoCode }),
    ...(changes.areas !== undefined && { areas: changes.areas as EconomicArea[] }),
    ...(changes.district !== undefined && { district: changes.district }),
    ...(changes.contact !== undefined && { contact: changes.contact }),
  };
}

export function verifyCompany(company: Company, staffSubject: string, now: Date): Company {
  if (company.status !== "registered") throw new InvalidStateError("company", company.status, "verify");
  return { ...company, status: "verified", verifiedAt: now, verifiedBy: staffSubject };
}

/** Only companies verified by staff may hold ideas or make offers. */
export function assertVerified(company: Company): void {
  if (company.status !== "verified")
    throw new ForbiddenError(
      `Company ${company.id} is ${company.status}: only companies verified by LTO staff can hold ideas or make offers`,
      { details: { companyId: company.id, status: company.status } },
    );
}

/** Conflict of interest: a company whose people sit on a call's evaluation panel cannot adopt in it. */
export function hasConflictOfInterest(companyId: string, panelOrganisationIds: readonly string[]): boolean {
  return panelOrganisationIds.includes(companyId);
}

export function assertNoConflictOfInterest(
  companyId: string,
  call: { id: string; panelOrganisationIds: readonly string[] } | undefined,
): void {
  if (call && hasConflictOfInterest(companyId, call.panelOrganisationIds))
    throw new ConflictError(
      `Company ${companyId} sits on the evaluation panel of call ${call.id} and cannot adopt its ideas (conflict of interest)`,
      { details: { companyId, callId: call.id, reason: "conflict_of_interest" } },
    );
}
