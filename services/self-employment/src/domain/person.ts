// A person the services are booked for: the minimum a site keeps (name, codice fiscale, birth date,
// contact, consent; for 16-17 year olds a guardian's consent and their school referent). Outside this
// service a person is only their pseudonymous id: never the codice fiscale.
import { Issues, ValidationError } from "@lto/errors";
import { isLocalDate, type LocalDate } from "@lto/civil-time";
import { codiceFiscaleProblem, matchesBirthDate, normaliseCodiceFiscale } from "./codice-fiscale.js";
import type { LoginChange } from "./person-login.js";
import { isKnownSite } from "./sites.js";

/** The services are for people aged 16 or more; 16-17 year olds need a guardian's consent first. */
export const MINIMUM_AGE = 16;
export const ADULT_AGE = 18;

export type AgeBand = "16_17" | "18_24" | "25_29" | "30_plus";

export interface Consent {
  /** The day the person (or their guardian) consented to the processing of their data. */
  date: LocalDate;
}

export interface GuardianConsent {
  name: string;
  date: LocalDate;
}

/**
 * The school referent of a 16-17 year old: receives their notices (reminders, changes) and confirms
 * their deliveries, signed in as `subject` (their school account's token subject) when given.
 */
export interface SchoolReferent {
  name: string;
  email: string;
  subject?: string;
}

export interface Person {
  /** Pseudonymous id (a UUID); never the codice fiscale. */
  id: string;
  givenName: string;
  familyName: string;
  /** Normalised (upper case); unique in the store. */
  codiceFiscale: string;
  birthDate: LocalDate;
  email?: string;
  phone?: string;
  consent: Consent;
  guardianConsent?: GuardianConsent;
  /** The school referent of a 16-17 year old (required for them, refused for adults). */
  referent?: SchoolReferent;
  /** The site that registered the person; its staff look after them. */
  site: string;
  /**
   * The person's learner account (the token subject other services know them by, e.g. the catalogue's
   * credentials), when they have one: how the equipment gate asks the catalogue about them.
   */
  learnerSubject?: string;
  /** Every link and unlink of a learner account (person-login.ts). */
  loginHistory?: LoginChange[];
  registeredAt: Date;
  registeredBy: string;
  version: number;
}

/** What staff give to register a person: the record without what the service adds. */
export type PersonInput = Omit<Person, "id" | "registeredAt" | "registeredBy" | "version" | "loginHistory">;

export interface PersonRegistered {
  type: "PersonRegistered";
  person: Person;
  ageBand: AgeBand;
  by: string;
  at: Date;
}

/**
 * Who is told of a change to the person's bookings, by their accounts' token subjects: a 16-17 year old
 * (they have a school referent) through the referent, an adult through their own learner account.
 * Empty when that account is not on record.
 */
export interface ToldOfChanges {
  learnerSubject: string;
  referentSubject: string;
}

export function toldOfChanges(
  person: Pick<Person, "learnerSubject" | "referent"> | undefined,
): ToldOfChanges {
  if (person?.referent) return { learnerSubject: "", referentSubject: person.referent.subject ?? "" };
  return { learnerSubject: person?.learnerSubject ?? "", referentSubject: "" };
}

/** Whole years between a birth date and a day (both YYYY-MM-DD). */
export function ageOn(birthDate: LocalDate, day: LocalDate): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

export function ageBandOf(age: number): AgeBand {
  if (age < ADULT_AGE) return "16_17";
  if (age < 25) return "18_24";
  if (age < 30) return "25_29";
  return "30_plus";
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ]{6,20}$/;

/**
 * Registers a person at a site on `today` (Europe/Rome). Every bad field is named; a person under 16 is
 * refused (the services are for 16 and over), a 16-17 year old needs the guardian's consent recorded.
 */
export function registerPerson(
  input: PersonInput,
  id: string,
  today: LocalDate,
  by: string,
  now: Date,
): { person: Person; events: PersonRegistered[] } {
  const issues = new Issues();
  issues.check(input.givenName.trim().length >= 1, "givenName", "is required");
  issues.check(input.familyName.trim().length >= 1, "familyName", "is required");
  const codiceFiscale = normaliseCodiceFiscale(input.codiceFiscale);
  const cfProblem = codiceFiscaleProblem(codiceFiscale);
  issues.check(
    cfProblem !== "format",
    "codiceFiscale",
    "must be 16 characters: 6 letters, 2 digits, month letter, 2 digits, a letter, 3 digits, check letter",
  );
  issues.check(cfProblem !== "check", "codiceFiscale", "has a wrong check character: check it for typos");
  const dateOk = isLocalDate(input.birthDate) && input.birthDate <= today;
  issues.check(dateOk, "birthDate", "must be a past date YYYY-MM-DD");
  if (dateOk && !cfProblem)
    issues.check(
      matchesBirthDate(codiceFiscale, input.birthDate),
      "birthDate",
      "does not match the birth date in the codice fiscale",
    );
  if (input.email !== undefined) issues.check(EMAIL.test(input.email), "email", "must be an e-mail address");
  if (input.phone !== undefined) issues.check(PHONE.test(input.phone), "phone", "must be a phone number");
  issues.check(input.email !== undefined || input.phone !== undefined, "email", "give an e-mail or a phone");
  issues.check(
    isLocalDate(input.consent.date) && input.consent.date <= today,
    "consent.date",
    "must be a date YYYY-MM-DD, not in the future",
  );
  issues.check(isKnownSite(input.site), "site", "is not a site of the LTO");
  if (input.learnerSubject !== undefined)
    issues.check(input.learnerSubject.trim().length >= 1, "learnerSubject", "must not be blank");
  const g = input.guardianConsent;
  if (g) {
    issues.check(g.name.trim().length >= 2, "guardianConsent.name", "must have at least 2 characters");
    issues.check(
      isLocalDate(g.date) && g.date <= today,
      "guardianConsent.date",
      "must be a date YYYY-MM-DD, not in the future",
    );
  }
  const r = input.referent;
  if (r) {
    issues.check(r.name.trim().length >= 2, "referent.name", "must have at least 2 characters");
    issues.check(EMAIL.test(r.email), "referent.email", "must be an e-mail address");
    if (r.subject !== undefined)
      issues.check(r.subject.trim().length >= 1, "referent.subject", "must not be blank");
  }
  issues.throwIfAny("The person has invalid fields");

  const age = ageOn(input.birthDate, today);
  if (age < MINIMUM_AGE)
    throw new ValidationError(
      `The person is ${age}: the labour and self-employment services are for people aged ${MINIMUM_AGE} or more; a younger student is followed by their school`,
      [{ path: "birthDate", message: `the person must be at least ${MINIMUM_AGE}` }],
    );
  if (age < ADULT_AGE && (!g || !r)) {
    const missing = [
      ...(g ? [] : [{ path: "guardianConsent", message: "is required for a person aged 16 or 17" }]),
      ...(r ? [] : [{ path: "referent", message: "is required for a person aged 16 or 17" }]),
    ];
    throw new ValidationError(
      `The person is ${age}: record ${[
        ...(g ? [] : ["a parent's or guardian's consent (name and date)"]),
        ...(r ? [] : ["their school referent (name and e-mail), who receives their notices"]),
      ].join(" and ")} before registering them`,
      missing,
    );
  }
  if (age >= ADULT_AGE && r)
    throw new ValidationError(
      `The person is ${age}: an adult receives their own notices and confirms their own deliveries; leave the school referent out`,
      [{ path: "referent", message: "is only for a person aged 16 or 17" }],
    );

  const { email, phone, guardianConsent, referent, ...rest } = input;
  const person: Person = {
    ...rest,
    givenName: input.givenName.trim(),
    familyName: input.familyName.trim(),
    codiceFiscale,
    ...(email === undefined ? {} : { email }),
    ...(phone === undefined ? {} : { phone }),
    ...(guardianConsent === undefined ? {} : { guardianConsent }),
    ...(referent === undefined
      ? {}
      : {
          referent: {
            name: referent.name.trim(),
            email: referent.email,
            ...(referent.subject === undefined ? {} : { subject: referent.subject }),
          },
        }),
    id,
    registeredAt: now,
    registeredBy: by,
    version: 1,
  };
  return { person, events: [{ type: "PersonRegistered", person, ageBand: ageBandOf(age), by, at: now }] };
}
