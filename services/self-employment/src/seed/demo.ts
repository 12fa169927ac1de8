// The Mantova demo: two operators at each LTO site (one at the Informagiovani desk) with weekly working
// plans, and persons registered at several sites (adults; a 17-year-old with a guardian's consent and
// a school referent).
// Idempotent: an existing operator (by id) or person (by codice fiscale) is left alone.
import { addDays, romeDate } from "@lto/civil-time";
import type { Identity } from "@lto/auth";
import { createApp, type Ports } from "../app/index.js";
import { checkCharacter, SITES, type WorkingPlanEntry } from "../domain/index.js";

const admin: Identity = {
  subject: "demo-seed",
  role: "admin",
  organisationId: "lto-ops",
  sites: [],
  token: "",
};

const weekdays = (site: string, days: number[]): WorkingPlanEntry[] =>
  days.map((weekday) => ({
    weekday: weekday as WorkingPlanEntry["weekday"],
    site,
    hours: { start: "09:00", end: "17:00" },
    breaks: [{ start: "13:00", end: "14:00" }],
  }));

const OPERATORS = [
  { name: "Laura Bianchi", profiles: ["orientatore", "coach"], days: [1, 2, 3] },
  { name: "Paolo Ferrari", profiles: ["consulente_autoimpiego", "tutor_lavoro"], days: [3, 4, 5] },
];

const PEOPLE = [
  { givenName: "Giulia", familyName: "Rossi", cf: "RSSGLI", sex: "F", age: 19, site: "lto-mantova" },
  { givenName: "Luca", familyName: "Gatti", cf: "GTTLCU", sex: "M", age: 24, site: "lto-mantova" },
  { givenName: "Sara", familyName: "Conti", cf: "CNTSRA", sex: "F", age: 17, site: "lto-suzzara" },
  { givenName: "Ahmed", familyName: "Bennani", cf: "BNNHMD", sex: "M", age: 27, site: "lto-viadana" },
  { givenName: "Marta", familyName: "Villa", cf: "VLLMRT", sex: "F", age: 35, site: "lto-asola" },
];

const MONTHS = "ABCDEHLMPRST";

/** A codice fiscale that passes the checks for a demo person born on `birthDate` (municipality E897: Mantova). */
export function demoCodiceFiscale(prefix: string, sex: string, birthDate: string): string {
  const [y, m, d] = birthDate.split("-").map(Number) as [number, number, number];
  const day = String(sex === "F" ? d + 40 : d).padStart(2, "0");
  const first15 = `${prefix}${String(y % 100).padStart(2, "0")}${MONTHS[m - 1]}${day}E897`;
  return first15 + checkCharacter(first15);
}

export async function seedSelfEmploymentDemo(ports: Ports, now: Date) {
  const app = createApp(ports);
  const created = { operators: 0, persons: 0 };
  for (const site of SITES) {
    const staff = site.kind === "lto" ? OPERATORS : OPERATORS.slice(0, 1);
    for (const [i, o] of staff.entries()) {
      const id = `demo-${site.id}-${i + 1}`;
      if (await ports.operators.get(id)) continue;
      const input = {
        name: o.name,
        sites: [site.id],
        profiles: o.profiles,
        plan: weekdays(site.id, o.days),
        exceptions: [],
        dailyCap: 6,
      };
      // Fixed ids keep the demo idempotent across runs.
      await createApp({ ...ports, ids: { newId: () => id } }).operators.create(admin, input);
      created.operators++;
    }
  }
  const today = romeDate(now);
  for (const p of PEOPLE) {
    // A month past their last birthday: exactly `age` years old today.
    const birthDate = addDays(today, -Math.round(p.age * 365.25) - 30);
    const codiceFiscale = demoCodiceFiscale(p.cf, p.sex, birthDate);
    if (await ports.persons.byCodiceFiscale(codiceFiscale)) continue;
    await app.persons.register(admin, {
      givenName: p.givenName,
      familyName: p.familyName,
      codiceFiscale,
      birthDate,
      email: `${p.givenName.toLowerCase()}.${p.familyName.toLowerCase()}@example.it`,
      consent: { date: addDays(today, -7) },
      ...(p.age < 18
        ? {
            guardianConsent: { name: `Genitore di ${p.givenName}`, date: addDays(today, -7) },
            // The school referent who receives a minor's reminders and confirms their deliveries.
            referent: {
              name: "Prof.ssa Elena Ferrari",
              email: "elena.ferrari@scuola.example.it",
              subject: "referent-fermi",
            },
          }
        : {}),
      site: p.site,
    });
    created.persons++;
  }
  return created;
}
