// The Mantova demo catalogue: courses from DigComp level 1 to 6 for every audience (students, teachers,
// young people, adults) at the six LTO sites, each with a session this school year, and a partner
// body's course waiting for review; some sessions full with a waiting list, and some completed earlier
// this school year with attendance and credentials. Courses and sessions are written through the domain
// and the app's repositories, enrolments, attendance and completion through the app's use cases on a
// clock the seed moves through those weeks, so events go out through the outbox. Idempotent: ids derive
// from names (an enrolment's from session and person), and whatever exists is left alone.
import { createHash } from "node:crypto";
import { addDays, romeDate, schoolYearDays, schoolYearOf } from "@lto/civil-time";
import { v7 as uuidv7 } from "uuid";
import type { Identity } from "@lto/auth";
import { enrolmentIdOf } from "../app/enrolments.js";
import { createApp, type Ports } from "../app/index.js";
import {
  createCourse,
  DIGCOMP,
  LTO_PROVIDER,
  publishCourse,
  scheduleSession,
  submitCourse,
  type Actor,
  type Audience,
  type CourseInput,
  type EconomicArea,
  type Mode,
  type AttendanceMark,
  type Session,
  type Site,
} from "../domain/index.js";

/** A stable UUIDv7-shaped id for a demo name: the same on every run. */
export function demoId(name: string): string {
  const digest = createHash("sha256").update(`lto-catalogue-demo:${name}`).digest();
  return uuidv7({ msecs: Date.UTC(2026, 0, 1) + digest.readUInt32BE(0), random: digest.subarray(4, 20) });
}

function staffAt(site: Site): Actor {
  return {
    subject: site === "lto-mantova" ? "staff-lto-mantova" : `staff-${site}`,
    organisationId: "provincia-mantova",
  };
}
const PARTNER: Actor = { subject: "cfp-formazione", organisationId: "partner-cfp-for-ma" };

interface DemoCourse {
  key: string;
  title: string;
  description: string;
  audience: Audience;
  area: EconomicArea;
  competences: [string, number][];
  hours: number;
  mode: Mode;
  site: Site;
  syllabus?: [string, number];
  prerequisite?: [string, number];
}

const COURSES: DemoCourse[] = [
  {
    key: "primi-passi",
    title: "Primi passi nel digitale",
    description:
      "Accendere, navigare, cercare informazioni affidabili e usare la posta elettronica in sicurezza.",
    audience: "adults",
    area: "servizi_persona",
    competences: [
      ["1.1", 1],
      ["2.1", 1],
    ],
    hours: 12,
    mode: "in_person",
    site: "lto-ostiglia",
  },
  {
    key: "spid-servizi",
    title: "SPID e servizi pubblici online",
    description:
      "Identità digitale, fascicolo sanitario, pagamenti PagoPA: usare i servizi della pubblica amministrazione.",
    audience: "adults",
    area: "servizi_commerciali",
    competences: [
      ["2.3", 2],
      ["2.6", 2],
    ],
    hours: 8,
    mode: "in_person",
    site: "lto-viadana",
  },
  {
    key: "sicuri-in-rete",
    title: "Sicuri in rete",
    description:
      "Password, truffe online, privacy sui social: proteggere dispositivi e dati personali ogni giorno.",
    audience: "young_people",
    area: "cultura",
    competences: [
      ["4.1", 2],
      ["4.2", 2],
    ],
    hours: 10,
    mode: "blended",
    site: "lto-suzzara",
  },
  {
    key: "fogli-calcolo",
    title: "Fogli di calcolo per il lavoro",
    description:
      "Tabelle, formule e grafici per gestire dati di magazzino, vendite e presenze in una piccola impresa.",
    audience: "adults",
    area: "servizi_commerciali",
    competences: [
      ["1.3", 3],
      ["3.2", 3],
    ],
    hours: 20,
    mode: "in_person",
    site: "lto-asola",
  },
  {
    key: "social-turismo",
    title: "Comunicare il territorio sui social",
    description:
      "Raccontare agriturismi, cantine e borghi del Mantovano con foto, video brevi e calendari editoriali.",
    audience: "young_people",
    area: "turismo",
    competences: [
      ["2.2", 3],
      ["3.1", 3],
    ],
    hours: 24,
    mode: "blended",
    site: "lto-mantova",
  },
  {
    key: "didattica-digitale",
    title: "Didattica digitale integrata",
    description:
      "Ambienti di apprendimento online, contenuti interattivi e valutazione con strumenti digitali in classe.",
    audience: "teachers",
    area: "cultura",
    competences: [
      ["2.4", 4],
      ["3.1", 4],
    ],
    hours: 25,
    mode: "blended",
    site: "lto-mantova",
    syllabus: ["2.1", 2],
  },
  {
    key: "coding-scuola",
    title: "Coding e pensiero computazionale",
    description:
      "Dal blocco al testo: programmare piccoli progetti con Scratch e Python per la scuola secondaria.",
    audience: "students",
    area: "cultura",
    competences: [
      ["3.4", 3],
      ["5.3", 3],
    ],
    hours: 30,
    mode: "in_person",
    site: "lto-guidizzolo",
  },
  {
    key: "iot-serre",
    title: "Sensori e IoT per l'agricoltura",
    description:
      "Misurare umidità e temperatura in serra con schede programmabili e leggere i dati su un cruscotto.",
    audience: "students",
    area: "agroalimentare",
    competences: [
      ["3.4", 4],
      ["5.2", 4],
    ],
    hours: 36,
    mode: "in_person",
    site: "lto-viadana",
    prerequisite: ["3.4", 3],
  },
  {
    key: "dati-imprese",
    title: "Analisi dati per le imprese",
    description:
      "Raccogliere, pulire e visualizzare dati aziendali per decidere: dal foglio di calcolo al cruscotto.",
    audience: "adults",
    area: "manifattura",
    competences: [
      ["1.2", 5],
      ["1.3", 5],
    ],
    hours: 40,
    mode: "online",
    site: "lto-suzzara",
    prerequisite: ["1.3", 3],
  },
  {
    key: "cyber-pmi",
    title: "Sicurezza informatica nelle PMI",
    description:
      "Analisi dei rischi, backup, aggiornamenti e risposta agli incidenti per le piccole e medie imprese.",
    audience: "adults",
    area: "meccanica",
    competences: [
      ["4.1", 5],
      ["4.2", 5],
    ],
    hours: 32,
    mode: "blended",
    site: "lto-guidizzolo",
  },
  {
    key: "robotica-its",
    title: "Robotica collaborativa",
    description:
      "Programmare un cobot per operazioni di assemblaggio: sicurezza, traiettorie, integrazione con la linea.",
    audience: "young_people",
    area: "meccanica",
    competences: [
      ["3.4", 6],
      ["5.1", 6],
    ],
    hours: 60,
    mode: "in_person",
    site: "lto-asola",
    prerequisite: ["3.4", 4],
  },
  {
    key: "ia-docenti",
    title: "Intelligenza artificiale a scuola",
    description:
      "Usare l'IA generativa in modo critico e responsabile: progettare attività, valutare, proteggere i dati.",
    audience: "teachers",
    area: "cultura",
    competences: [
      ["5.3", 5],
      ["1.2", 5],
    ],
    hours: 20,
    mode: "online",
    site: "lto-ostiglia",
    syllabus: ["5.2", 3],
  },
  {
    key: "app-web",
    title: "Creare un sito e un'app",
    description:
      "Progettare e pubblicare un sito per un'attività del territorio, con moduli, mappe e pagamenti.",
    audience: "students",
    area: "servizi_commerciali",
    competences: [
      ["3.1", 5],
      ["3.4", 5],
    ],
    hours: 40,
    mode: "blended",
    site: "lto-mantova",
  },
  {
    key: "stampa-3d",
    title: "Stampa 3D e prototipazione",
    description: "Dal disegno CAD al pezzo stampato: prototipi per artigianato e manifattura in laboratorio.",
    audience: "young_people",
    area: "manifattura",
    competences: [
      ["3.2", 4],
      ["5.3", 4],
    ],
    hours: 28,
    mode: "in_person",
    site: "lto-suzzara",
  },
  {
    key: "cittadinanza-digitale",
    title: "Cittadinanza digitale",
    description:
      "Informazione, disinformazione e partecipazione: riconoscere le fonti e costruire l'identità digitale.",
    audience: "students",
    area: "cultura",
    competences: [
      ["1.2", 2],
      ["2.5", 2],
    ],
    hours: 10,
    mode: "in_person",
    site: "lto-asola",
  },
  {
    key: "benessere-digitale",
    title: "Benessere e ambiente digitale",
    description:
      "Tempo di schermo, salute, consumo energetico dei dispositivi: usare la tecnologia in modo sostenibile.",
    audience: "young_people",
    area: "servizi_persona",
    competences: [
      ["4.3", 1],
      ["4.4", 1],
    ],
    hours: 8,
    mode: "online",
    site: "lto-viadana",
  },
  {
    key: "registro-docenti",
    title: "Strumenti digitali per la segreteria didattica",
    description:
      "Registro elettronico, documenti condivisi, firma digitale e conservazione: il lavoro quotidiano del docente.",
    audience: "teachers",
    area: "servizi_persona",
    competences: [
      ["1.3", 2],
      ["2.4", 2],
    ],
    hours: 12,
    mode: "in_person",
    site: "lto-guidizzolo",
    syllabus: ["1.2", 1],
  },
];

function input(c: DemoCourse): CourseInput {
  return {
    titleIt: c.title,
    descriptionIt: c.description,
    audiences: [c.audience],
    areas: [c.area],
    competences: c.competences.map(([competence, level]) => ({ ...DIGCOMP, competence, level })),
    secondFramework: c.syllabus
      ? [{ framework: "syllabus-pa", version: "2024", competence: c.syllabus[0], level: c.syllabus[1] }]
      : [],
    hours: c.hours,
    mode: c.mode,
    prerequisites: c.prerequisite
      ? [{ ...DIGCOMP, competence: c.prerequisite[0], level: c.prerequisite[1] }]
      : [],
    sites: [c.site],
  };
}

/** Weekly meetings of three hours from `first`, as many as the course's hours need. */
function meetingsFor(c: DemoCourse, first: string) {
  const count = Math.max(1, Math.ceil(c.hours / 3));
  return Array.from({ length: count }, (_, i) => ({
    date: addDays(first, 7 * i),
    start: "15:00",
    end: "18:00",
    room: c.mode === "online" ? "Aula virtuale" : `Laboratorio ${1 + (i % 3)}`,
    trainer: c.audience === "teachers" ? "Prof.ssa Anna Ferri" : "Marco Neri",
  }));
}

/** Loads the demo catalogue; says how many courses and sessions it created (0 when all were there). */
export async function seedCatalogueDemo(ports: Ports, now: Date) {
  const created = { courses: 0, sessions: 0, enrolments: 0, credentials: 0 };
  const today = romeDate(now);
  const { last } = schoolYearDays(schoolYearOf(now));
  for (const [i, c] of COURSES.entries()) {
    const staff = staffAt(c.site);
    const id = demoId(`course:${c.key}`);
    let course = await ports.courses.get(id);
    if (!course) {
      const draft = createCourse(input(c), id, LTO_PROVIDER, staff, now);
      course = publishCourse(draft, staff, now);
      await ports.courses.insert(course, [{ type: "CoursePublished", course, by: staff.subject, at: now }]);
      created.courses++;
    }
    const sessionId = demoId(`session:${c.key}`);
    if (await ports.sessions.get(sessionId)) continue;
    // Starts in 2 to 9 weeks, and ends within the school year when it can.
    let first = addDays(today, 14 + 7 * (i % 8));
    const weeks = Math.ceil(c.hours / 3);
    if (addDays(first, 7 * weeks) > last) first = addDays(today, 14);
    let n = 0;
    const session = scheduleSession(
      {
        courseId: id,
        site: c.site,
        meetings: meetingsFor(c, first),
        capacity: [8, 12, 15, 20][i % 4]!,
        enrolment: { opensOn: today, closesOn: addDays(first, -1) },
        completionRule: {
          minimumAttendanceShare: 0.75,
          mandatoryMeetings: [0],
          finalAssessment: c.hours >= 30,
        },
      },
      course,
      sessionId,
      () => demoId(`meeting:${c.key}:${n++}`),
      staff,
      now,
    );
    await ports.sessions.insert(session, [
      { type: "SessionScheduled", session, course, by: staff.subject, at: now },
    ]);
    created.sessions++;
  }
  // A partner body's course submitted for review: staff of Mantova publish or return it.
  const partnerId = demoId("course:partner-its-cloud");
  if (!(await ports.courses.get(partnerId))) {
    const draft = createCourse(
      {
        titleIt: "Tecnico dei servizi cloud",
        descriptionIt:
          "Percorso ITS: virtualizzazione, servizi cloud, sicurezza e assistenza agli utenti aziendali.",
        audiences: ["young_people", "adults"],
        areas: ["cultura"],
        competences: [{ ...DIGCOMP, competence: "5.1", level: 6 }],
        secondFramework: [{ framework: "qrsp-lombardia", version: "2025", competence: "ict.2", level: 4 }],
        hours: 120,
        mode: "blended",
        prerequisites: [{ ...DIGCOMP, competence: "5.1", level: 4 }],
        sites: ["lto-mantova"],
      },
      partnerId,
      PARTNER.organisationId,
      PARTNER,
      now,
    );
    await ports.courses.insert(submitCourse(draft, PARTNER, now), []);
    created.courses++;
  }
  await seedRuns(ports, now, created);
  return created;
}

/** Second runs of a few courses: full with people waiting, and completed with credentials issued. */
const FULL = ["spid-servizi", "primi-passi", "cittadinanza-digitale"];
const COMPLETED = ["primi-passi", "sicuri-in-rete", "registro-docenti"];
const FULL_CAPACITY = 6;
const WAITING = 3;

function staffIdentity(site: Site): Identity {
  return { ...staffAt(site), role: "staff", sites: [site], token: "" };
}

function demoPeople(c: DemoCourse, run: string, count: number): string[] {
  const who = c.audience === "teachers" ? "docente" : "corsista";
  return Array.from({ length: count }, (_, i) => `${who}-demo-${c.key}-${run}-${i + 1}`);
}

async function seedRuns(ports: Ports, now: Date, created: Record<string, number>) {
  // The use cases read the time from this clock: the seed sets it to when each step happened.
  let at = now;
  const app = createApp({ ...ports, clock: { now: () => at } });
  const today = romeDate(now);
  const { first: yearStarts } = schoolYearDays(schoolYearOf(now));

  /** The session `key` of course `c`, scheduled on its first run with meetings from `firstDay`. */
  async function session(c: DemoCourse, run: string, firstDay: string, capacity: number) {
    const id = demoId(`session:${c.key}:${run}`);
    const existing = await ports.sessions.get(id);
    if (existing) return existing;
    const course = (await ports.courses.get(demoId(`course:${c.key}`)))!;
    const opensOn = addDays(firstDay, -28);
    at = new Date(`${opensOn}T09:00:00Z`);
    let n = 0;
    const scheduled = scheduleSession(
      {
        courseId: course.id,
        site: c.site,
        meetings: meetingsFor(c, firstDay),
        capacity,
        enrolment: { opensOn, closesOn: addDays(firstDay, -1) },
        completionRule: { minimumAttendanceShare: 0.75, mandatoryMeetings: [0], finalAssessment: false },
      },
      course,
      id,
      () => demoId(`meeting:${c.key}:${run}:${n++}`),
      staffAt(c.site),
      at,
    );
    await ports.sessions.insert(scheduled, [
      { type: "SessionScheduled", session: scheduled, course, by: staffAt(c.site).subject, at },
    ]);
    created.sessions!++;
    return scheduled;
  }

  /** Staff enrol each person not enrolled yet, on the day the window opened (first come, first served). */
  async function enrol(s: Session, people: string[]) {
    at = new Date(`${s.enrolment.opensOn}T09:00:00Z`);
    for (const personId of people) {
      if (await ports.enrolments.get(enrolmentIdOf(s.id, personId))) continue;
      await app.enrolments.enrol(staffIdentity(s.site), s.id, { personId });
      created.enrolments!++;
    }
  }

  const byKey = (key: string) => COURSES.find((c) => c.key === key)!;

  // Full: every seat taken and people waiting, starting in five to seven weeks.
  for (const [i, key] of FULL.entries()) {
    const c = byKey(key);
    const s = await session(c, "piena", addDays(today, 35 + 7 * i), FULL_CAPACITY);
    if (s.state === "scheduled") await enrol(s, demoPeople(c, "piena", FULL_CAPACITY + WAITING));
  }

  // Completed this school year: weekly meetings ending last week. In the first weeks of September the
  // school year has no room for them yet: they are then last school year's, ending in early June.
  for (const key of COMPLETED) {
    const c = byKey(key);
    const weeks = meetingsFor(c, today).length;
    let firstDay = addDays(today, -7 * (weeks + 1));
    if (firstDay < yearStarts) firstDay = addDays(yearStarts, -7 * weeks - 84);
    const s = await session(c, "conclusa", firstDay, 12);
    if (s.state === "completed") continue;
    const people = demoPeople(c, "conclusa", 6);
    await enrol(s, people);
    const staff = staffIdentity(s.site);
    // Most attend everything; one comes late once; the last misses half the course (not completed).
    for (const [m, meeting] of s.meetings.entries()) {
      at = meeting.endsAt;
      const marks: AttendanceMark[] = people.map((personId, p) => {
        if (p === people.length - 1 && m % 2 === 1) return { personId, status: "absent" };
        if (p === people.length - 2 && m === 1) return { personId, status: "late", lateMinutes: 30 };
        return { personId, status: "present" };
      });
      await app.completion.record(staff, s.id, meeting.id, marks);
    }
    at = new Date(s.meetings.at(-1)!.endsAt.getTime() + 24 * 3600_000);
    const done = await app.completion.complete(staff, s.id, []);
    created.credentials! += done.outcomes.filter((o) => o.outcome === "completed").length;
  }
  at = now;
}
