// The Mantova demo: two operators at each LTO site (one at the Informagiovani desk) with weekly working
// plans, and persons at several points of their path: some only registered, some taken in last month
// (deliveries recorded then, most signed by the person or the school referent), a defined path with
// specialised services booked this week and next, an adult on the self-employment track (counselling,
// then the business plan), a 17-year-old with a guardian's consent and a school referent, a booking
// cancelled and a person on a waitlist.
// Everything goes through the use cases, as staff of the site would do it: deliveries of last month are
// recorded with the clock at that time (the path domain takes a walk-in delivery without a booking; the
// booking use case refuses the past), bookings take free slots the availability use case offers now.
// Idempotent: each step looks at what is stored (an operator by id, a person by name at their site, the
// path's deliveries, plan and bookings by service, a waitlist entry) and does only what is missing.
import { addDays, firstInstantAtOrAfter, romeDate, type LocalDate } from "@lto/civil-time";
import type { Identity } from "@lto/auth";
import { createApp, type Ports } from "../app/index.js";
import {
  checkCharacter,
  closedDaysOf,
  closedReason,
  serviceType,
  siteById,
  SITES,
  WAITLIST_ENTRY_STATUSES,
  type OutcomeCode,
  type Path,
  type Person,
  type WorkingPlanEntry,
} from "../domain/index.js";

/** Where the seed says what it skipped (no free slot this week, a holiday...). */
export type SeedLog = (message: string) => void;

const admin: Identity = {
  subject: "demo-seed",
  role: "admin",
  organisationId: "lto-ops",
  sites: [],
  token: "",
};

/** The reception desk of a site: staff acting there only. */
const staffOf = (site: string): Identity => ({
  subject: `demo-staff-${site}`,
  role: "staff",
  organisationId: "provincia-mantova",
  sites: [site],
  token: "",
});

const weekdays = (site: string, days: number[], mornings: number[]): WorkingPlanEntry[] => [
  ...days.map((weekday) => ({
    weekday: weekday as WorkingPlanEntry["weekday"],
    site,
    hours: { start: "09:00", end: "17:00" },
    breaks: [{ start: "13:00", end: "14:00" }],
  })),
  ...mornings.map((weekday) => ({
    weekday: weekday as WorkingPlanEntry["weekday"],
    site,
    hours: { start: "09:00", end: "13:00" },
    breaks: [],
  })),
];

// Between them every weekday is covered, so a demo loaded late in the week still books some services.
const OPERATORS = [
  { name: "Laura Bianchi", profiles: ["orientatore", "coach"], days: [1, 2, 3], mornings: [5] },
  {
    name: "Paolo Ferrari",
    profiles: ["consulente_autoimpiego", "tutor_lavoro"],
    days: [3, 4, 5],
    mornings: [],
  },
];

const operatorId = (site: string, n: 1 | 2) => `demo-${site}-${n}`;

/** A service given last month without a booking (walk-in), by operator 1 (Laura) or 2 (Paolo). */
interface PastDelivery {
  service: string;
  operator: 1 | 2;
  time: string;
  outcome: OutcomeCode;
  notes: string;
  /** Signed by the person's side (the adult, or the minor's school referent) right after. */
  confirmed: boolean;
}

/** A booking this week (0) or next (1), through availability and the booking use case. */
interface DemoBooking {
  service: string;
  week: 0 | 1;
  mode?: "in_person" | "remote";
  /** Cancelled by staff afterwards, with this reason (in good time: not a late cancellation). */
  cancelled?: string;
}

interface DemoPerson {
  givenName: string;
  familyName: string;
  cf: string;
  sex: "F" | "M";
  age: number;
  site: string;
  /** Their path is opened at reception (otherwise: only registered). */
  path?: {
    delivered: PastDelivery[];
    plan?: Record<string, number>;
    book: DemoBooking[];
  };
  /** The waitlist of this service at their site. */
  waitlist?: string;
}

const PEOPLE: DemoPerson[] = [
  {
    // Just arrived: the path opened, reception booked this week.
    givenName: "Giulia",
    familyName: "Rossi",
    cf: "RSSGLI",
    sex: "F",
    age: 19,
    site: "lto-mantova",
    path: { delivered: [], book: [{ service: "accoglienza", week: 0 }] },
  },
  {
    // A defined path: coaching and job placement booked.
    givenName: "Luca",
    familyName: "Gatti",
    cf: "GTTLCU",
    sex: "M",
    age: 24,
    site: "lto-mantova",
    path: {
      delivered: [
        {
          service: "accoglienza",
          operator: 1,
          time: "10:00",
          outcome: "servizio_svolto",
          notes: "Primo colloquio, iscritto a Garanzia Giovani",
          confirmed: true,
        },
        {
          service: "definizione_percorso",
          operator: 1,
          time: "14:30",
          outcome: "pip_sottoscritto",
          notes: "Obiettivo: impiego nella logistica",
          confirmed: true,
        },
      ],
      plan: { coaching: 4, inserimento_lavoro: 6 },
      book: [
        { service: "coaching", week: 0 },
        { service: "inserimento_lavoro", week: 1, mode: "remote" },
      ],
    },
  },
  {
    // The minor: her school referent signs; a specialised interview booked, then cancelled by the family.
    givenName: "Sara",
    familyName: "Conti",
    cf: "CNTSRA",
    sex: "F",
    age: 17,
    site: "lto-suzzara",
    path: {
      delivered: [
        {
          service: "accoglienza",
          operator: 1,
          time: "15:00",
          outcome: "servizio_svolto",
          notes: "Accompagnata dalla referente scolastica",
          confirmed: true,
        },
      ],
      book: [
        { service: "definizione_percorso", week: 0 },
        {
          service: "colloquio_specialistico",
          week: 1,
          cancelled: "La famiglia chiede di rinviare dopo le verifiche di fine quadrimestre",
        },
      ],
    },
  },
  {
    // The self-employment track: counselling delivered, more counselling and the business plan booked.
    givenName: "Ahmed",
    familyName: "Bennani",
    cf: "BNNHMD",
    sex: "M",
    age: 27,
    site: "lto-viadana",
    path: {
      delivered: [
        {
          service: "accoglienza",
          operator: 1,
          time: "09:30",
          outcome: "servizio_svolto",
          notes: "Vuole aprire un laboratorio di riparazione biciclette",
          confirmed: true,
        },
        {
          service: "definizione_percorso",
          operator: 1,
          time: "11:00",
          outcome: "progetto_professionale",
          notes: "Percorso di autoimpiego (misura 7.1)",
          confirmed: true,
        },
        {
          service: "consulenza_autoimpiego",
          operator: 2,
          time: "14:00",
          outcome: "servizio_svolto",
          notes: "Analisi dell'idea e del mercato locale",
          confirmed: false,
        },
      ],
      plan: { consulenza_autoimpiego: 4.5, business_plan: 10 },
      book: [
        { service: "consulenza_autoimpiego", week: 0, mode: "remote" },
        { service: "business_plan", week: 1 },
      ],
    },
  },
  {
    // Taken in last month, waiting for a freed specialised interview at Suzzara.
    givenName: "Davide",
    familyName: "Moretti",
    cf: "MRTDVD",
    sex: "M",
    age: 22,
    site: "lto-suzzara",
    path: {
      delivered: [
        {
          service: "accoglienza",
          operator: 1,
          time: "11:30",
          outcome: "servizio_svolto",
          notes: "Diplomato da un anno, cerca lavoro nel commercio",
          confirmed: true,
        },
      ],
      book: [],
    },
    waitlist: "colloquio_specialistico",
  },
  // Only registered.
  { givenName: "Marta", familyName: "Villa", cf: "VLLMRT", sex: "F", age: 35, site: "lto-asola" },
  { givenName: "Matteo", familyName: "Sarti", cf: "SRTMTT", sex: "M", age: 20, site: "lto-ostiglia" },
];

const MONTHS = "ABCDEHLMPRST";

/** A codice fiscale that passes the checks for a demo person born on `birthDate` (municipality E897: Mantova). */
export function demoCodiceFiscale(prefix: string, sex: string, birthDate: string): string {
  const [y, m, d] = birthDate.split("-").map(Number) as [number, number, number];
  const day = String(sex === "F" ? d + 40 : d).padStart(2, "0");
  const first15 = `${prefix}${String(y % 100).padStart(2, "0")}${MONTHS[m - 1]}${day}E897`;
  return first15 + checkCharacter(first15);
}

/** 1 = Monday ... 7 = Sunday, as the working plans count. */
const weekdayOf = (day: LocalDate) => ((new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;

const at = (instant: Date) => ({ now: () => new Date(instant) });
const minutes = (n: number) => n * 60_000;

export async function seedSelfEmploymentDemo(ports: Ports, now: Date, log: SeedLog = () => {}) {
  const created = {
    operators: 0,
    persons: 0,
    paths: 0,
    deliveries: 0,
    confirmations: 0,
    plannedHours: 0,
    bookings: 0,
    cancellations: 0,
    waitlist: 0,
  };
  /** The use cases with the clock at `instant` (a record made last month is made as it was then). */
  const appAt = (instant: Date) => createApp({ ...ports, clock: at(instant) });
  const app = appAt(now);
  const today = romeDate(now);

  for (const site of SITES) {
    const staff = site.kind === "lto" ? OPERATORS : OPERATORS.slice(0, 1);
    for (const [i, o] of staff.entries()) {
      const id = operatorId(site.id, (i + 1) as 1 | 2);
      if (await ports.operators.get(id)) continue;
      const input = {
        name: o.name,
        sites: [site.id],
        profiles: o.profiles,
        plan: weekdays(site.id, o.days, o.mornings),
        exceptions: [],
        dailyCap: 6,
      };
      // Fixed ids keep the demo idempotent across runs.
      await createApp({ ...ports, ids: { newId: () => id } }).operators.create(admin, input);
      created.operators++;
    }
  }

  /** The working days of an operator last month at the site (open days only), in order. */
  const lastMonthDays = (site: string, operator: 1 | 2): LocalDate[] => {
    const first = `${addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7)}-01`;
    const closed = closedDaysOf(siteById(site)!, ports.calendar.extraClosedDays, [Number(first.slice(0, 4))]);
    const days: LocalDate[] = [];
    for (let d = first; d.slice(0, 7) === first.slice(0, 7); d = addDays(d, 1))
      if (OPERATORS[operator - 1]!.days.includes(weekdayOf(d)) && !closedReason(d, closed)) days.push(d);
    return days;
  };

  for (const [index, p] of PEOPLE.entries()) {
    const staff = staffOf(p.site);
    // When each past delivery happened: a few working days apart, in order, from early last month.
    const schedule: { step: PastDelivery; start: Date; end: Date }[] = [];
    let after: LocalDate = addDays(`${addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7)}-01`, index % 4);
    for (const step of p.path?.delivered ?? []) {
      const day = lastMonthDays(p.site, step.operator).find((d) => d >= after);
      if (!day) {
        log(`demo: no working day left last month for ${step.service} of ${p.givenName}: not recorded`);
        break;
      }
      const start = firstInstantAtOrAfter({ date: day, time: step.time });
      schedule.push({
        step,
        start,
        end: new Date(start.getTime() + minutes(serviceType(step.service)!.durationMinutes)),
      });
      after = addDays(day, 3);
    }
    // Registered when they first came (the reception desk), or a week ago.
    const since = schedule[0]
      ? new Date(schedule[0].start.getTime() - minutes(15))
      : new Date(now.getTime() - minutes(7 * 24 * 60));

    let person = await findPerson(ports, p);
    if (!person) {
      // Their last birthday was about four months ago: the same age last month as today.
      const birthDate = addDays(today, -Math.round(p.age * 365.25) - 120);
      const consentDay = romeDate(since);
      await appAt(since).persons.register(staff, {
        givenName: p.givenName,
        familyName: p.familyName,
        codiceFiscale: demoCodiceFiscale(p.cf, p.sex, birthDate),
        birthDate,
        email: `${p.givenName.toLowerCase()}.${p.familyName.toLowerCase()}@example.it`,
        consent: { date: consentDay },
        // An adult's learner account: how they sign their own deliveries (a minor has none).
        ...(p.age >= 18 ? { learnerSubject: demoLearner(p.givenName, p.familyName) } : {}),
        ...(p.age < 18
          ? {
              guardianConsent: { name: `Genitore di ${p.givenName}`, date: consentDay },
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
      person = (await findPerson(ports, p))!;
    }
    if (!p.path) continue;

    let path = await ports.paths.byHolder(person.id);
    if (!path) {
      await appAt(since).paths.openForPerson(staff, person.id, {});
      created.paths++;
      path = (await ports.paths.byHolder(person.id))!;
    }

    // Last month: walk-in deliveries recorded by the operator's site when they ended, signed after.
    let last = since;
    for (const { step, start, end } of schedule) {
      last = new Date(end.getTime() + minutes(30));
      let delivery = path.deliveries.find((d) => d.serviceCode === step.service);
      if (!delivery) {
        const recorded = await appAt(new Date(end.getTime() + minutes(10))).paths.recordDelivery(
          staff,
          path.id,
          {
            serviceCode: step.service,
            operatorId: operatorId(p.site, step.operator),
            start,
            end,
            outcome: step.outcome,
            notes: step.notes,
          },
        );
        created.deliveries++;
        path = (await ports.paths.get(path.id))!;
        delivery = path.deliveries.find((d) => d.id === recorded.delivery.id)!;
      }
      const signed = delivery.revisions.at(-1)!.confirmation !== undefined;
      const who = signer(person, path);
      if (step.confirmed && !signed && !delivery.voided && !who)
        log(`demo: ${p.givenName} has no learner account to sign with: delivery left unsigned`);
      if (step.confirmed && !signed && !delivery.voided && who) {
        await appAt(new Date(end.getTime() + minutes(20))).paths.confirmDelivery(who, path.id, delivery.id);
        created.confirmations++;
        path = (await ports.paths.get(path.id))!;
      }
    }

    // The personal plan, set once the path was defined.
    for (const [code, hours] of Object.entries(p.path.plan ?? {})) {
      if (path.plan.some((x) => x.serviceCode === code)) continue;
      await appAt(last).paths.setPlannedHours(staff, path.id, code, { hours }, path.version);
      created.plannedHours++;
      path = (await ports.paths.get(path.id))!;
    }

    // This week and next: free slots the availability use case offers now, booked as staff would.
    for (const plan of p.path.book) {
      const onPath = path.bookings.find((b) => b.serviceCode === plan.service);
      let bookingId = onPath?.bookingId;
      if (!onPath) {
        const when = plan.week === 0 ? "this week" : "next week";
        try {
          const slot = await freeSlot(app, staff, p.site, plan, path, today);
          if (!slot) {
            log(`demo: no free ${plan.service} slot at ${p.site} ${when} for ${p.givenName}: not booked`);
            continue;
          }
          const booked = await app.bookings.book(staff, {
            person: person.id,
            serviceType: plan.service,
            site: p.site,
            start: new Date(slot.start),
            operatorId: slot.operatorId,
            mode: plan.mode ?? "in_person",
          });
          bookingId = booked.id;
          created.bookings++;
        } catch (e) {
          // Taken meanwhile (the service is running), or a rule of the day: the demo goes on without it.
          log(
            `demo: ${plan.service} at ${p.site} ${when} for ${p.givenName} not booked: ${(e as Error).message}`,
          );
          continue;
        }
      }
      if (plan.cancelled && bookingId && (await ports.bookings.get(bookingId))?.status === "confirmed") {
        try {
          await app.bookingChanges.cancel(staff, bookingId, { reason: plan.cancelled });
          created.cancellations++;
        } catch (e) {
          log(`demo: booking ${bookingId} of ${p.givenName} not cancelled: ${(e as Error).message}`);
        }
      }
      path = (await ports.paths.get(path.id))!;
    }

    if (p.waitlist && !(await onWaitlist(ports, person.id, p.waitlist, p.site))) {
      await app.waitlist.join(staff, { personId: person.id, serviceCode: p.waitlist, site: p.site });
      created.waitlist++;
    }
  }
  return created;
}

/** The demo person at their site, by name (their codice fiscale follows today's date). */
async function findPerson(ports: Ports, p: DemoPerson): Promise<Person | undefined> {
  let cursor: string | undefined;
  do {
    const page = await ports.persons.listBySite(p.site, { limit: 200, ...(cursor ? { cursor } : {}) });
    const found = page.items.find((x) => x.givenName === p.givenName && x.familyName === p.familyName);
    if (found) return found;
    cursor = page.nextCursor;
  } while (cursor);
  return undefined;
}

/** A demo adult's learner account (the token subject they sign in with). */
function demoLearner(givenName: string, familyName: string): string {
  return `demo-learner-${givenName}-${familyName}`.toLowerCase();
}

/**
 * Who signs for the person's side: the adult themself (their learner account), or the minor's school
 * referent; nobody when an adult seeded by an earlier demo has no account.
 */
function signer(person: Person, path: Path): Identity | undefined {
  if (path.holder.kind === "person" && path.holder.minor) {
    // A minor seeded by an earlier demo may have no referent account: nobody signs then.
    const referent = person.referent?.subject;
    if (!referent) return undefined;
    return {
      subject: referent,
      role: "school",
      organisationId: "school-fermi-mantova",
      sites: [],
      token: "",
    };
  }
  if (!person.learnerSubject) return undefined;
  const sub = person.learnerSubject;
  return { subject: sub, role: "learner", organisationId: sub, sites: [], token: "" };
}

/**
 * The first free slot of the service at the site in the week asked for (this week: from today to
 * Sunday; next: Monday to Sunday), on a day the person has nothing else booked.
 */
async function freeSlot(
  app: ReturnType<typeof createApp>,
  staff: Identity,
  site: string,
  plan: DemoBooking,
  path: Path,
  today: LocalDate,
): Promise<{ start: string; operatorId: string } | undefined> {
  const sunday = addDays(today, 7 - weekdayOf(today));
  const from = plan.week === 0 ? today : addDays(sunday, 1);
  const to = plan.week === 0 ? sunday : addDays(sunday, 7);
  const busyDays = new Set(path.bookings.filter((b) => b.status === "booked").map((b) => romeDate(b.start)));
  const view = await app.availability.slots(staff, { service: plan.service, site, from, to });
  for (const day of view.days) {
    if (busyDays.has(day.date) || !day.slots.length) continue;
    // Mid-morning rather than the first minute of the day, when there is a choice.
    const slot = day.slots[Math.min(2, day.slots.length - 1)]!;
    return { start: slot.start, operatorId: slot.operators[0]!.id };
  }
  return undefined;
}

async function onWaitlist(ports: Ports, personId: string, serviceCode: string, site: string) {
  for (const status of WAITLIST_ENTRY_STATUSES) {
    const page = await ports.waitlist.page({ serviceCode, site, status }, { limit: 500 });
    if (page.items.some((e) => e.personId === personId)) return true;
  }
  return false;
}
