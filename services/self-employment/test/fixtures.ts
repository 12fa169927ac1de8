// Test data builders: valid inputs a test changes one field of.
import { addDays, type LocalDate } from "@lto/civil-time";
import type { ReceivedEvent } from "@lto/messaging";
import { checkCharacter, type OperatorInput, type PersonInput } from "../src/domain/index.js";

export function anOperator(overrides: Partial<OperatorInput> = {}): OperatorInput {
  return {
    name: "Laura Bianchi",
    sites: ["lto-mantova"],
    profiles: ["orientatore"],
    plan: [
      {
        weekday: 1,
        site: "lto-mantova",
        hours: { start: "09:00", end: "17:00" },
        breaks: [{ start: "13:00", end: "14:00" }],
      },
    ],
    exceptions: [],
    ...overrides,
  };
}

const MONTHS = "ABCDEHLMPRST";

/** A codice fiscale valid for a person born on `birthDate` (a woman when `female`). */
export function codiceFiscaleFor(birthDate: LocalDate, prefix = "RSSGLI", female = true): string {
  const [y, m, d] = birthDate.split("-").map(Number) as [number, number, number];
  const first15 = `${prefix}${String(y % 100).padStart(2, "0")}${MONTHS[m - 1]}${String(female ? d + 40 : d).padStart(2, "0")}E897`;
  return first15 + checkCharacter(first15);
}

/** Someone exactly `age` years old on `today` (their birthday a month ago). */
export function birthDateFor(age: number, today: LocalDate): LocalDate {
  const [y, m, d] = today.split("-").map(Number) as [number, number, number];
  const sameDayThen = `${y - age}-${String(m).padStart(2, "0")}-${String(Math.min(d, 28)).padStart(2, "0")}`;
  return addDays(sameDayThen, -31);
}

export function aPerson(
  today: LocalDate,
  overrides: Partial<PersonInput> = {},
  age = 20,
  prefix = "RSSGLI",
): PersonInput {
  const birthDate = birthDateFor(age, today);
  return {
    givenName: "Giulia",
    familyName: "Rossi",
    codiceFiscale: codiceFiscaleFor(birthDate, prefix),
    birthDate,
    email: "giulia.rossi@example.it",
    consent: { date: today },
    site: "lto-mantova",
    ...overrides,
  };
}

/** The school referent a 16-17 year old is registered with (their notices go to them). */
export const SCHOOL_REFERENT = {
  name: "Prof.ssa Elena Ferrari",
  email: "elena.ferrari@scuola.example.it",
  subject: "referent-fermi",
};

/** An event as the consumer hands it to a contract mapping: this type and message, a fixed envelope. */
export function received<T>(type: string, data: T): ReceivedEvent<T> {
  return {
    id: "event-1",
    type,
    source: "/lto/selfemployment",
    subject: "p-1",
    time: new Date("2026-11-25T10:00:00Z"),
    data,
    key: "p-1",
    topic: "lto.selfemployment.events.v1",
    partition: 0,
    offset: "1",
    headers: {},
  };
}
