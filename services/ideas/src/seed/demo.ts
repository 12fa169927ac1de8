// The Mantova demo: schools and CFPs across the six districts, an open call (in its adoption phase on
// the day the demo is loaded) and a challenge call for the current school year (plus last year's,
// closed), teams by pseudonym and ideas in every state.
// Written through the domain and the app's repositories, so every idea has a true history and its
// events go out through the outbox.
// Idempotent: ids derive from names, and whatever already exists is left alone.
import { createHash } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
import type { Ports } from "../app/index.js";
import {
  ADOPTION_SERVICE,
  assignEvaluators,
  createCall,
  createIdea,
  createTeam,
  DEFAULT_RUBRIC,
  publishIdea,
  recordAdoption,
  recordAdoptionCompleted,
  rejectIdea,
  requestChanges,
  romeDate,
  schoolYearOf,
  schoolYearStart,
  scoreIdea,
  startOfRomeDay,
  submitIdea,
  withdrawIdea,
  type Actor,
  type Call,
  type CallInput,
  type Idea,
  type IdeaChange,
  type NewIdea,
  type Site,
  type Team,
} from "../domain/index.js";

/** A stable UUIDv7-shaped id for a demo name: the same on every run. */
export function demoId(name: string): string {
  const digest = createHash("sha256").update(`lto-demo:${name}`).digest();
  return uuidv7({ msecs: Date.UTC(2026, 0, 1) + digest.readUInt32BE(0), random: digest.subarray(4, 20) });
}

export const DEMO_SCHOOLS = {
  fermi: { id: "school-fermi-mantova", name: "IIS E. Fermi Mantova", teacher: "Prof.ssa Laura Bonfanti" },
  galilei: { id: "school-galilei-ostiglia", name: "IIS G. Galilei Ostiglia", teacher: "Prof. Marco Rinaldi" },
  sanfelice: {
    id: "school-sanfelice-viadana",
    name: "IIS E. Sanfelice Viadana",
    teacher: "Prof. Paolo Ghizzi",
  },
  manzoni: {
    id: "school-manzoni-suzzara",
    name: "IIS A. Manzoni Suzzara",
    teacher: "Prof.ssa Elena Corradini",
  },
  forma: { id: "cfp-forma-castiglione", name: "CFP For.Ma Castiglione", teacher: "Prof. Luca Pasini" },
  asola: { id: "cfp-asola", name: "CFP Provinciale Asola", teacher: "Prof.ssa Silvia Mori" },
} as const;
type SchoolKey = keyof typeof DEMO_SCHOOLS;

export const DEMO_STAFF: Actor = { subject: "staff-lto-mantova", organisationId: "provincia-mantova" };
/** The staff of a site run its calls (DEMO_STAFF is Mantova's, the site of `npm run token -- staff`). */
function staffAt(site: Site): Actor {
  return site === "lto-mantova"
    ? DEMO_STAFF
    : { subject: `staff-${site}`, organisationId: "provincia-mantova" };
}
export const DEMO_EVALUATORS: Actor[] = [
  { subject: "eval-bertoli", organisationId: "provincia-mantova" },
  { subject: "eval-ferrari", organisationId: "ust-mantova" },
];
export const DEMO_SPONSOR = { companyId: "company-omv", name: "Officine Meccaniche Virgiliane S.r.l." };
const SPONSOR_EVALUATOR: Actor = { subject: "ing-gatti", organisationId: DEMO_SPONSOR.companyId };

type Step =
  "submitted" | "under_review" | "published" | "rejected" | "changes" | "withdrawn" | "adopted" | "completed";
const PATH: Record<Step | "draft", Step[]> = {
  draft: [],
  submitted: ["submitted"],
  under_review: ["submitted", "under_review"],
  published: ["submitted", "under_review", "published"],
  rejected: ["submitted", "under_review", "rejected"],
  changes: ["submitted", "under_review", "changes"],
  withdrawn: ["submitted", "withdrawn"],
  adopted: ["submitted", "under_review", "published", "adopted"],
  completed: ["submitted", "under_review", "published", "adopted", "completed"],
};

interface DemoIdea extends NewIdea {
  school: SchoolKey;
  team: string;
  call: "open" | "challenge" | "previous";
  state: keyof typeof PATH;
}

const IDEAS: DemoIdea[] = [
  {
    school: "fermi",
    team: "I Rinnovabili",
    call: "open",
    state: "published",
    title: "Serra idroponica connessa",
    summary:
      "Una serra idroponica con sensori IoT che riduce acqua e fertilizzanti per i piccoli orticoltori mantovani.",
    problem:
      "Le piccole aziende orticole irrigano a calendario, senza dati sull'umidità reale del substrato.",
    solution: "Sensori a basso costo e un cruscotto web che suggerisce quando irrigare e concimare.",
    area: "agroalimentare",
    district: "mantova",
    technologies: ["iot", "big-data"],
    needs: ["mentoring", "funding"],
    attachments: [
      { title: "Presentazione del prototipo", url: "https://example.org/lto/serra-idroponica.pdf" },
    ],
  },
  {
    school: "fermi",
    team: "I Rinnovabili",
    call: "open",
    state: "draft",
    title: "Car pooling casa-scuola",
    summary: "Un'app per organizzare passaggi in auto tra famiglie degli stessi comuni.",
    area: "servizi_commerciali",
    district: "mantova",
    technologies: ["web-mobile-apps"],
    needs: ["mentoring"],
  },
  {
    school: "galilei",
    team: "Pompe Smart",
    call: "open",
    state: "under_review",
    title: "Manutenzione predittiva delle pompe irrigue",
    summary:
      "Vibrazioni e consumi delle idrovore del consorzio di bonifica analizzati per prevedere i guasti.",
    problem: "I guasti delle pompe in estate lasciano senz'acqua i campi per giorni.",
    solution: "Accelerometri e un modello di machine learning che segnala le anomalie prima del guasto.",
    area: "meccanica",
    district: "ostiglia",
    technologies: ["iot", "ai"],
    needs: ["internships", "equipment"],
  },
  // Two more published ideas of the open call, in its adoption phase: the adoption demo holds and
  // offers on these, and a newcomer can adopt one end to end.
  {
    school: "manzoni",
    team: "Vicini Digitali",
    call: "open",
    state: "published",
    title: "Sportello digitale di quartiere",
    summary:
      "Studenti che aiutano gli anziani del Suzzarese a usare SPID, fascicolo sanitario e servizi online.",
    problem: "Molti anziani non riescono a prenotare visite o a scaricare documenti senza un aiuto.",
    solution: "Uno sportello settimanale in biblioteca con prenotazione online e schede guida stampabili.",
    area: "servizi_persona",
    district: "suzzara",
    technologies: ["web-mobile-apps"],
    needs: ["mentoring", "equipment"],
  },
  {
    school: "asola",
    team: "Corti Digitali",
    call: "open",
    state: "published",
    title: "Vetrina online delle botteghe asolane",
    summary:
      "Un catalogo web condiviso con cui le botteghe artigiane di Asola vendono anche fuori provincia.",
    problem: "Le botteghe non hanno tempo né competenze per aprire e gestire un negozio online.",
    solution: "Un sito unico con schede prodotto curate dagli studenti e ritiro in negozio o spedizione.",
    area: "servizi_commerciali",
    district: "asola",
    technologies: ["web-mobile-apps", "big-data"],
    needs: ["internships", "funding"],
  },
  {
    school: "galilei",
    team: "Pompe Smart",
    call: "open",
    state: "changes",
    title: "Compostaggio di comunità",
    summary: "Compostiere condivise di quartiere con un sistema di prenotazione dei conferimenti.",
    problem:
      "Lo scarto organico domestico finisce nell'indifferenziato nelle frazioni senza raccolta porta a porta.",
    solution: "Compostiere con sensori di riempimento e un'app per prenotare e monitorare i conferimenti.",
    area: "agroalimentare",
    district: "ostiglia",
    technologies: ["iot", "web-mobile-apps"],
    needs: ["funding"],
  },
  {
    school: "forma",
    team: "Stampatori",
    call: "open",
    state: "submitted",
    title: "Stampa 3D al servizio delle botteghe",
    summary:
      "Un laboratorio di stampa 3D che realizza ricambi e prototipi per gli artigiani dell'Alto Mantovano.",
    problem: "Gli artigiani aspettano settimane un ricambio fuori produzione.",
    solution: "Scansione 3D del pezzo, modellazione e stampa in materiali tecnici nel laboratorio del CFP.",
    area: "manifattura",
    district: "guidizzolo",
    technologies: ["3d-printing", "simulation"],
    needs: ["equipment", "internships"],
  },
  {
    school: "asola",
    team: "Corti Digitali",
    call: "open",
    state: "rejected",
    title: "Le Corti in realtà aumentata",
    summary: "Una guida turistica in realtà aumentata delle corti rurali dell'Asolano.",
    problem: "Le corti rurali sono poco conosciute e prive di pannelli informativi.",
    solution: "Un'app che sovrappone alle corti la loro storia, con percorsi in bicicletta.",
    area: "turismo",
    district: "asola",
    technologies: ["augmented-reality", "web-mobile-apps"],
    needs: ["funding"],
  },
  {
    school: "manzoni",
    team: "Vicini Digitali",
    call: "open",
    state: "withdrawn",
    title: "Assistente digitale per anziani soli",
    summary: "Un assistente vocale che ricorda farmaci e appuntamenti e avvisa i familiari.",
    problem: "Molti anziani del Suzzarese vivono soli e dimenticano terapie e visite.",
    solution: "Un dispositivo vocale semplice collegato a un'app per familiari e volontari.",
    area: "servizi_persona",
    district: "suzzara",
    technologies: ["ai", "iot"],
    needs: ["mentoring", "equipment"],
  },
  {
    school: "asola",
    team: "Nuovi Arrivati",
    call: "open",
    state: "draft",
    title: "Mercato contadino online",
    summary: "Ordini online ai produttori agricoli di Asola con ritiro settimanale in piazza.",
    area: "agroalimentare",
    district: "asola",
    technologies: ["e-commerce"],
    needs: ["mentoring"],
  },
  {
    school: "sanfelice",
    team: "Saldatori 4.0",
    call: "challenge",
    state: "published",
    title: "Cobot per la saldatura di piccoli lotti",
    summary:
      "Un robot collaborativo programmabile dal saldatore, per lotti piccoli e frequenti cambi di produzione.",
    problem: "Per i piccoli lotti la saldatura robotizzata costa troppo da programmare.",
    solution: "Programmazione per dimostrazione: il saldatore guida il braccio, il cobot ripete.",
    area: "meccanica",
    district: "viadana",
    technologies: ["robotics", "advanced-manufacturing"],
    needs: ["internships", "mentoring"],
  },
  {
    school: "forma",
    team: "Stampatori",
    call: "challenge",
    state: "under_review",
    title: "Gemello digitale della linea di verniciatura",
    summary: "Un modello digitale della linea di verniciatura per ridurre scarti e consumi.",
    problem: "Gli scarti di verniciatura si scoprono solo a fine linea.",
    solution: "Sensori in linea e una simulazione che prevede i difetti e corregge i parametri.",
    area: "meccanica",
    district: "guidizzolo",
    technologies: ["simulation", "system-integration", "iot"],
    needs: ["internships"],
  },
  {
    school: "sanfelice",
    team: "Filiera Trasparente",
    call: "previous",
    state: "adopted",
    title: "Tracciabilità del pomodoro da industria",
    summary: "Ogni lotto di passata racconta campo, raccolta e trasformazione con un QR code.",
    problem: "I consumatori non distinguono il pomodoro del Viadanese da quello importato.",
    solution: "Registro condiviso dei lotti e un QR code in etichetta che mostra la filiera.",
    area: "agroalimentare",
    district: "viadana",
    technologies: ["blockchain", "web-mobile-apps"],
    needs: ["mentoring", "funding"],
  },
  {
    school: "fermi",
    team: "Musei per Tutti",
    call: "previous",
    state: "completed",
    title: "Mappa dei musei mantovani accessibili",
    summary:
      "Una mappa digitale dell'accessibilità di musei e palazzi di Mantova, verificata dagli studenti.",
    problem: "Le persone con disabilità non sanno prima della visita quali percorsi sono accessibili.",
    solution: "Rilievi sul posto, una mappa web aperta e schede in linguaggio facile.",
    area: "cultura",
    district: "mantova",
    technologies: ["web-mobile-apps", "big-data"],
    needs: ["mentoring"],
  },
  {
    school: "manzoni",
    team: "Vicini Digitali",
    call: "previous",
    state: "published",
    title: "Bike sharing tra i comuni del Suzzarese",
    summary: "Biciclette a pedalata assistita condivise tra stazione e zone industriali.",
    problem: "Chi lavora nelle zone industriali non ha mezzi pubblici negli orari dei turni.",
    solution: "Stazioni di ricarica solari e un'app di prenotazione integrata con gli orari dei treni.",
    area: "servizi_commerciali",
    district: "suzzara",
    technologies: ["iot", "web-mobile-apps"],
    needs: ["funding", "equipment"],
  },
];

const TEAMS: Record<string, { school: SchoolKey; className: string; members: [string, boolean, boolean][] }> =
  {
    // [pseudonym, minor, parental consent recorded]
    "I Rinnovabili": {
      school: "fermi",
      className: "4A",
      members: [
        ["Volpe Blu", true, true],
        ["Airone", true, true],
        ["Quercia", false, false],
      ],
    },
    "Musei per Tutti": {
      school: "fermi",
      className: "5B",
      members: [
        ["Gabbiano", false, false],
        ["Tiglio", false, false],
      ],
    },
    "Pompe Smart": {
      school: "galilei",
      className: "4C",
      members: [
        ["Lince", true, true],
        ["Castoro", true, true],
      ],
    },
    "Filiera Trasparente": {
      school: "sanfelice",
      className: "5A",
      members: [
        ["Pioppo", false, false],
        ["Ghiro", false, false],
      ],
    },
    "Saldatori 4.0": {
      school: "sanfelice",
      className: "4MEC",
      members: [
        ["Falco", true, true],
        ["Riccio", true, true],
        ["Salice", false, false],
      ],
    },
    "Vicini Digitali": {
      school: "manzoni",
      className: "3B",
      members: [
        ["Cervo", true, true],
        ["Betulla", true, true],
      ],
    },
    Stampatori: {
      school: "forma",
      className: "3A",
      members: [
        ["Merlo", true, true],
        ["Abete", false, false],
      ],
    },
    "Corti Digitali": {
      school: "asola",
      className: "4A",
      members: [
        ["Tasso", true, true],
        ["Ontano", true, true],
      ],
    },
    // A minor whose consent is still missing: this team's draft cannot be submitted yet.
    "Nuovi Arrivati": {
      school: "asola",
      className: "2A",
      members: [
        ["Scoiattolo", true, false],
        ["Faggio", true, true],
      ],
    },
  };

function year(start: number): string {
  return `${start}/${String((start + 1) % 100).padStart(2, "0")}`;
}

function callInputs(start: number, now: Date): Record<DemoIdea["call"], CallInput> {
  const panel = DEMO_EVALUATORS.map((e) => ({ ...e, kind: "staff" as const }));
  // The open call is in its adoption phase on the day the demo is loaded (relative to `now`), so a
  // company can hold, offer and a school accept at once; the challenge call keeps the school year's
  // dates (in its submission phase for most of the year).
  const day = (days: number) => romeDate(new Date(now.getTime() + days * 86_400_000));
  return {
    // The province-wide yearly call is run by the Mantova site; the challenge by Viadana's, so the demo
    // shows staff acting only at their site (`npm run token -- staff --sites lto-viadana` reviews it).
    open: {
      site: "lto-mantova",
      title: `LTO Idee ${year(start)}`,
      description:
        "Call aperta del Laboratorio diffuso per l'occupabilità: idee delle scuole e dei CFP per il territorio mantovano.",
      model: "open",
      schoolYear: year(start),
      phaseStarts: {
        submission: day(-200),
        evaluation: day(-90),
        adoption: day(-30),
        closed: day(90),
      },
      panel,
      rubric: DEFAULT_RUBRIC,
    },
    challenge: {
      site: "lto-viadana",
      title: `Sfida OMV ${year(start)}: la saldatura dei piccoli lotti`,
      description:
        "Officine Meccaniche Virgiliane chiede idee per automatizzare produzioni in piccoli lotti.",
      model: "challenge",
      schoolYear: year(start),
      sponsor: DEMO_SPONSOR,
      phaseStarts: {
        submission: `${start}-09-01`,
        evaluation: `${start + 1}-01-15`,
        adoption: `${start + 1}-03-01`,
        closed: `${start + 1}-06-30`,
      },
      panel: [...panel, { ...SPONSOR_EVALUATOR, kind: "company", name: "Ing. Chiara Gatti" }],
      rubric: [
        { key: "innovation", label: "Innovazione", weight: 25 },
        { key: "feasibility", label: "Fattibilità in azienda", weight: 35 },
        { key: "digital_content", label: "Contenuto digitale e 4.0", weight: 25 },
        { key: "territorial_impact", label: "Impatto sul territorio", weight: 15 },
      ],
    },
    previous: {
      site: "lto-mantova",
      title: `LTO Idee ${year(start - 1)}`,
      description: "Edizione precedente della call aperta.",
      model: "open",
      schoolYear: year(start - 1),
      phaseStarts: {
        submission: `${start - 1}-09-01`,
        evaluation: `${start}-02-01`,
        adoption: `${start}-03-15`,
        closed: `${start}-07-01`,
      },
      panel,
      rubric: DEFAULT_RUBRIC,
    },
  };
}

/** Loads the demo; returns how many calls, teams and ideas it created (0s when all were there). */
export async function seedIdeasDemo(ports: Pick<Ports, "calls" | "teams" | "ideas">, now: Date) {
  const start = schoolYearStart(schoolYearOf(now));
  const created = { calls: 0, teams: 0, ideas: 0 };
  const calls = {} as Record<DemoIdea["call"], Call>;
  for (const [key, input] of Object.entries(callInputs(start, now)) as [DemoIdea["call"], CallInput][]) {
    const id = demoId(`call:${input.title}`);
    const existing = await ports.calls.get(id);
    if (existing) {
      calls[key] = existing;
      continue;
    }
    const at = startOfRomeDay(`${schoolYearStart(input.schoolYear)}-08-25`);
    const by = staffAt(input.site);
    calls[key] = createCall(input, id, by, at);
    await ports.calls.insert(calls[key], [{ type: "CallCreated", call: calls[key], by: by.subject, at }]);
    created.calls++;
  }

  const teams = new Map<string, Team>();
  const teamFor = async (name: string, schoolYear: string): Promise<Team> => {
    const key = `${name}:${schoolYear}`;
    if (teams.has(key)) return teams.get(key)!;
    const spec = TEAMS[name]!;
    const school = DEMO_SCHOOLS[spec.school];
    const id = demoId(`team:${key}`);
    let team = await ports.teams.get(id);
    if (!team) {
      const at = startOfRomeDay(`${schoolYearStart(schoolYear)}-09-20`);
      const consentOn = `${schoolYearStart(schoolYear)}-09-18`;
      const memberIds = spec.members.map(([pseudonym]) => demoId(`member:${key}:${pseudonym}`));
      team = createTeam(
        {
          name,
          schoolName: school.name,
          className: spec.className,
          schoolYear,
          referentTeacher: school.teacher,
          members: spec.members.map(([pseudonym, minor, consent]) => ({
            pseudonym,
            minor,
            ...(consent ? { parentalConsentOn: consentOn } : {}),
          })),
        },
        { team: id, newMemberId: () => memberIds.shift()! },
        { subject: `referent-${spec.school}`, organisationId: school.id },
        at,
      );
      await ports.teams.insert(team);
      created.teams++;
    }
    teams.set(key, team);
    return team;
  };

  for (const demo of IDEAS) {
    const id = demoId(`idea:${demo.call}:${demo.title}`);
    if (await ports.ideas.get(id)) continue;
    const call = calls[demo.call];
    const team = await teamFor(demo.team, call.schoolYear);
    await writeIdea(ports, demo, id, call, team, now);
    created.ideas++;
  }
  return created;
}

/** Walks one idea through its path, each step at a plausible moment of its call (never after `now`). */
async function writeIdea(
  ports: Pick<Ports, "ideas">,
  demo: DemoIdea,
  id: string,
  call: Call,
  team: Team,
  now: Date,
) {
  const school = DEMO_SCHOOLS[demo.school];
  const referent: Actor = { subject: `referent-${demo.school}`, organisationId: school.id };
  const steps = PATH[demo.state];
  const day = (phase: keyof Call["phaseStarts"], days: number) =>
    new Date(startOfRomeDay(call.phaseStarts[phase]).getTime() + days * 86_400_000 + 10 * 3_600_000);
  const planned: Record<Step, Date> = {
    submitted: day("submission", 30),
    under_review: day("evaluation", 3),
    published: day("evaluation", 20),
    rejected: day("evaluation", 20),
    changes: day("evaluation", 10),
    withdrawn: day("submission", 45),
    adopted: day("adoption", 10),
    completed: day("closed", -5),
  };
  const total = steps.length + 1;
  const when = (i: number, at: Date) =>
    new Date(Math.min(at.getTime(), now.getTime() - (total - i) * 60_000));
  const { school: _s, team: _t, call: _c, state: _state, ...content } = demo;
  const draft = createIdea(content, { id, call, team, by: referent, now: when(0, day("submission", 20)) });
  await ports.ideas.insert(draft.idea, draft.events);
  let idea: Idea = draft.idea;
  const evaluators = call.panel
    .filter((m) => m.organisationId !== school.id)
    .map((m) => m.subject)
    .slice(0, 2);
  for (const [index, step] of steps.entries()) {
    const at = when(index + 1, planned[step]);
    const by = step === "submitted" || step === "withdrawn" ? referent : staffAt(call.site);
    let change: IdeaChange;
    switch (step) {
      case "submitted":
        change = submitIdea(idea, { call, team, by, now: at });
        break;
      case "under_review": {
        change = assignEvaluators(idea, call, evaluators, by, at);
        const scores = Object.fromEntries(
          call.rubric.map((c, i) => [c.key, 3 + ((i + demo.title.length) % 3)]),
        );
        const evaluator = call.panel.find((m) => m.subject === evaluators[0])!;
        change = scoreIdea(change.idea, { call, evaluator, scores, notes: "Valutazione demo", now: at });
        break;
      }
      case "published":
        change = publishIdea(idea, {
          call,
          team,
          by,
          now: at,
          answer: "Idea chiara e fattibile: pubblicata per le imprese madrine.",
        });
        break;
      case "rejected":
        change = rejectIdea(idea, {
          by,
          now: at,
          answer: "Idea interessante ma già coperta da un servizio esistente.",
        });
        break;
      case "changes":
        change = requestChanges(idea, {
          by,
          now: at,
          reason: "Stimate i costi delle compostiere e indicate un comune pilota.",
        });
        break;
      case "withdrawn":
        change = withdrawIdea(idea, {
          by,
          now: at,
          reason: "Il team si è ridotto e non riesce a seguire il progetto.",
        });
        break;
      case "adopted":
        change = {
          idea: recordAdoption(
            idea,
            { adoptionId: demoId(`adoption:${id}`), companyId: DEMO_SPONSOR.companyId, adoptedAt: at },
            ADOPTION_SERVICE,
          )!,
          events: [],
        };
        break;
      case "completed":
        change = {
          idea: recordAdoptionCompleted(
            idea,
            { adoptionId: demoId(`adoption:${id}`), at },
            ADOPTION_SERVICE,
          )!,
          events: [],
        };
        break;
    }
    idea = await ports.ideas.update(change.idea, change.events);
  }
}
