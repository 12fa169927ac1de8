// The adoption part of the Mantova demo: sponsor companies (registered and verified), holds, offers
// and adoptions in every state, on the ideas the projection knows (published by the ideas demo and
// received over Kafka). Built with the domain's own functions, so every record is valid. Idempotent:
// companies are upserted by id; the rest is created once (skipped when any offer exists).
//
// The ideas demo already shows two ideas as adopted and completed by company-omv: their adoptions are
// created here WITHOUT events (the ideas service is in that state already). The other adoptions go
// through the outbox like real ones (IdeaAdopted, AdoptionEnded), so the ideas service follows them.
import { platformIds } from "@lto/service-host";
import {
  acceptOffer,
  cancelOffer,
  confirmRecord,
  declineHold,
  declineOffer,
  endAdoption,
  endInternship,
  logRecord,
  makeOffer,
  placeHold,
  registerCompany,
  releaseHold,
  lapseHold,
  romeDate,
  startAdoption,
  verifyCompany,
  withdrawOffer,
  type Adoption,
  type Commitments,
  type CompanyProfile,
} from "../domain/index.js";
import { events, type CallView, type IdeaView } from "../app/index.js";
import { ideaProjection } from "../infra/projection.js";
import {
  adoptionRepository,
  companyRepository,
  holdRepository,
  offerRepository,
  type AdoptionCollections,
} from "../infra/store.js";

const STAFF = "staff-lto-mantova";

export const DEMO_COMPANIES: Array<{ id: string; verified: boolean; profile: CompanyProfile }> = [
  {
    id: "company-omv",
    verified: true,
    profile: {
      legalName: "Officine Meccaniche Virgiliane S.r.l.",
      vatNumber: "01234560207",
      atecoCode: "28.41.00",
      areas: ["meccanica", "manifattura"],
      district: "mantova",
      contact: { name: "Ing. Andrea Gatti", email: "a.gatti@omv.example.it", phone: "+39 0376 123456" },
    },
  },
  {
    id: "company-caseificio-virgilio",
    verified: true,
    profile: {
      legalName: "Caseificio Virgilio Soc. Coop. Agricola",
      vatNumber: "02744550209",
      atecoCode: "10.51.20",
      areas: ["agroalimentare"],
      district: "suzzara",
      contact: { name: "Dott.ssa Chiara Lodi", email: "c.lodi@caseificio.example.it" },
    },
  },
  {
    id: "company-digitalia",
    verified: true,
    profile: {
      legalName: "Digitalia Mantova S.r.l.",
      vatNumber: "01987650205",
      atecoCode: "62.01.00",
      areas: ["cultura", "servizi_commerciali"],
      district: "mantova",
      contact: { name: "Marta Bellini", email: "m.bellini@digitalia.example.it" },
    },
  },
  {
    id: "company-logistica-padana",
    verified: false,
    profile: {
      legalName: "Nuova Logistica Padana S.r.l.",
      vatNumber: "07654320204",
      atecoCode: "52.29",
      areas: ["servizi_commerciali"],
      district: "viadana",
      contact: { name: "Sergio Anselmi", email: "s.anselmi@nlp.example.it" },
    },
  },
];

const mentoringOnly: Commitments = { mentoringHours: 12, internships: [], fundingCents: 0, equipment: [] };
/** Mentoring, summer-style internships two to three months from `now`, funding and equipment. */
const fullFrom = (now: Date): Commitments => ({
  mentoringHours: 20,
  internships: [
    {
      places: 2,
      startsOn: romeDate(new Date(now.getTime() + 60 * 86_400_000)),
      endsOn: romeDate(new Date(now.getTime() + 85 * 86_400_000)),
    },
  ],
  fundingCents: 250_000,
  equipment: [{ item: "Kit sensori IoT", quantity: 4 }],
});
const small: Commitments = { mentoringHours: 4, internships: [], fundingCents: 50_000, equipment: [] };

export async function seedAdoptionDemo(cols: AdoptionCollections, now: Date) {
  const companies = companyRepository(cols.companies);
  const holds = holdRepository(cols.holds);
  const offers = offerRepository(cols.offers);
  const adoptions = adoptionRepository(cols.adoptions);
  const projection = ideaProjection(cols.ideas, cols.calls);
  const created = { companies: 0, holds: 0, offers: 0, adoptions: 0, pendingIdeas: false };
  const at = (days: number) => new Date(now.getTime() + days * 86_400_000);
  const full = fullFrom(now);
  const day = (days: number) => romeDate(at(days));
  const meta = (actor: string, version = 1, when = now) => ({ now: when, actor, version });

  for (const c of DEMO_COMPANIES) {
    if (await companies.get(c.id)) continue;
    const company = registerCompany(c.id, c.profile, at(-60));
    await companies.insert(c.verified ? verifyCompany(company, STAFF, at(-55)) : company);
    created.companies++;
  }
  if ((await cols.offers.count({})) > 0) return created;

  const ideas = (await projection.browse({ includeAdopted: true }, { limit: 100 })).items;
  const byTitle = (t: string) => ideas.find((i) => i.title === t);
  const adoptedIdea = byTitle("Tracciabilità del pomodoro da industria");
  const completedIdea = byTitle("Mappa dei musei mantovani accessibili");
  // Holds and open offers belong in a call's adoption phase (when an accept can follow): ideas of such
  // calls come first (the ideas demo's open call is in its adoption phase on the day it is loaded).
  const calls = new Map<string, CallView | undefined>();
  for (const i of ideas) if (!calls.has(i.callId)) calls.set(i.callId, await projection.getCall(i.callId));
  const phaseEnd = (i: IdeaView) => {
    const c = calls.get(i.callId);
    return c?.adoptionStartsAt && c.adoptionEndsAt && c.adoptionStartsAt <= at(-25) && now < c.adoptionEndsAt
      ? c.adoptionEndsAt
      : undefined;
  };
  const open = ideas
    .filter((i) => i !== adoptedIdea && i !== completedIdea && !i.adoption)
    .sort((a, b) => Number(!!phaseEnd(b)) - Number(!!phaseEnd(a)) || a.title.localeCompare(b.title));
  if (open.length < 3 || !adoptedIdea || !completedIdea) {
    created.pendingIdeas = true; // the ideas demo has not reached this service yet: run again later
    return created;
  }
  const [p1, p2, p3] = open as [IdeaView, IdeaView, IdeaView];

  const offer = (idea: IdeaView, companyId: string, commitments: Commitments, message: string, when: Date) =>
    makeOffer(
      {
        id: platformIds.newId(),
        ideaId: idea.id,
        callId: idea.callId,
        schoolId: idea.schoolId,
        companyId,
        commitments,
        message,
      },
      when,
    );
  const hold = (idea: IdeaView, companyId: string, hours: number, when: Date) =>
    placeHold(
      {
        id: platformIds.newId(),
        ideaId: idea.id,
        callId: idea.callId,
        schoolId: idea.schoolId,
        companyId,
        hours,
        until: phaseEnd(idea),
      },
      when,
    );
  const name = (id: string) => DEMO_COMPANIES.find((c) => c.id === id)!.profile.legalName;
  const referent = (idea: IdeaView) => `referent-${idea.schoolId}`;

  // p1: an active hold by Digitalia, an open offer by the Caseificio made before the hold, a
  // withdrawn offer, and a lapsed hold of the Caseificio's from earlier.
  const lapsed = hold(p1, "company-caseificio-virgilio", 48, at(-10));
  await holds.insertActive(lapseHold(lapsed, at(-8)), []);
  const o1 = offer(
    p1,
    "company-caseificio-virgilio",
    small,
    "Mettiamo a disposizione i nostri tecnici e un contributo.",
    at(-3),
  );
  await offers.insert(o1, [events.adoptionOffered(o1, name(o1.companyId), meta("seed", 1, at(-3)))]);
  const withdrawn = offer(
    p1,
    "company-omv",
    mentoringOnly,
    "Possiamo affiancare il team con il nostro ufficio tecnico.",
    at(-6),
  );
  await offers.insert(
    withdrawOffer(withdrawn, at(-4), "Abbiamo già impegnato il personale su un'altra idea"),
    [],
  );
  const active = hold(p1, "company-digitalia", 120, at(-1));
  await holds.insertActive(active, [
    events.ideaHeld(active, name(active.companyId), meta("seed", 1, at(-1))),
  ]);
  created.holds += 2;
  created.offers += 2;

  // p2: an offer declined by the school, a released hold and an open offer by OMV.
  const released = hold(p2, "company-digitalia", 72, at(-9));
  await holds.insertActive(releaseHold(released, at(-8)), []);
  const declined = offer(
    p2,
    "company-digitalia",
    mentoringOnly,
    "Un percorso di mentoring sul design dell'app.",
    at(-8),
  );
  await offers.insert(declineOffer(declined, at(-7), "Il team cerca soprattutto un tirocinio"), []);
  const o2 = offer(
    p2,
    "company-omv",
    full,
    "Tirocini estivi in reparto e un kit di sensori per il prototipo.",
    at(-2),
  );
  await offers.insert(o2, [events.adoptionOffered(o2, name(o2.companyId), meta("seed", 1, at(-2)))]);
  created.holds += 1;
  created.offers += 2;

  // p3: adopted by the Caseificio and then ended early by the company (the idea is back in the pool);
  // the competing offer was declined, a hold declined, and an offer cancelled (a withdrawn-idea style close).
  const h3 = hold(p3, "company-digitalia", 24, at(-20));
  await holds.insertActive(declineHold(h3, at(-19)), []);
  const lost = offer(
    p3,
    "company-digitalia",
    small,
    "Un contributo per le attrezzature del laboratorio.",
    at(-21),
  );
  await offers.insert(declineOffer(lost, at(-19), "The school accepted another offer for this idea"), []);
  const cancelled = offer(
    p3,
    "company-omv",
    small,
    "Offerta preparata prima di una modifica dell'idea.",
    at(-25),
  );
  await offers.insert(
    cancelOffer(cancelled, at(-24), "Offerta annullata durante la revisione dell'idea"),
    [],
  );
  const won = acceptOffer(
    offer(p3, "company-caseificio-virgilio", full, "Vi accompagniamo fino al prototipo.", at(-22)),
    at(-19),
  );
  await offers.insert(won, []);
  let ended: Adoption = startAdoption(
    platformIds.newId(),
    won,
    { title: p3.title, teamPseudonyms: p3.memberPseudonyms },
    at(-19),
  );
  ended = logRecord(
    ended,
    platformIds.newId(),
    { kind: "kickoff", date: day(-18) },
    "caseificio-user",
    at(-18),
  );
  ended = confirmRecord(ended, ended.records[0]!.id, referent(p3), at(-17)).adoption;
  ended = endAdoption(
    ended,
    "company",
    "Il caseificio ha sospeso il progetto per la stagione produttiva",
    at(-5),
  );
  await adoptions.insertClaiming(ended, [
    events.ideaAdopted(ended, name(ended.companyId), meta(referent(p3), 1, at(-19))),
    events.adoptionEnded(ended, name(ended.companyId), meta("caseificio-user", 3, at(-5))),
  ]);
  created.holds += 1;
  created.offers += 4;
  created.adoptions += 1;

  // the ideas demo's adopted and completed ideas: OMV's adoptions (no events: the ideas side is there already)
  for (const [idea, complete] of [
    [adoptedIdea, false],
    [completedIdea, true],
  ] as const) {
    const o = acceptOffer(
      offer(idea, "company-omv", complete ? small : full, "Offerta di adozione OMV.", at(-40)),
      at(-35),
    );
    await offers.insert(o, []);
    let a = startAdoption(
      platformIds.newId(),
      o,
      { title: idea.title, teamPseudonyms: idea.memberPseudonyms },
      at(-35),
    );
    const pseudonyms = idea.memberPseudonyms.slice(0, 2);
    const steps: Array<Parameters<typeof logRecord>[2]> = [
      { kind: "kickoff", date: day(-34) },
      { kind: "mentoring", date: day(-30), hours: 2, pseudonyms },
      { kind: "mentoring", date: day(-20), hours: 2, pseudonyms },
      { kind: "funding", date: day(-15), amountCents: complete ? 50_000 : 100_000 },
    ];
    for (const s of steps) {
      a = logRecord(a, platformIds.newId(), s, "omv-user", at(-10));
      if (complete || s.kind !== "funding")
        a = confirmRecord(a, a.records[a.records.length - 1]!.id, referent(idea), at(-10)).adoption;
    }
    if (!complete && pseudonyms[0]) {
      a = logRecord(
        a,
        platformIds.newId(),
        { kind: "internship", pseudonym: pseudonyms[0], startedOn: day(-25) },
        "omv-user",
        at(-5),
      );
      a = endInternship(a, a.records[a.records.length - 1]!.id, day(-6), 120, at(-5));
    }
    await adoptions.insertClaiming(a, []);
    await projection.setAdoption(idea.id, { id: a.id, companyId: a.companyId });
    created.offers++;
    created.adoptions++;
  }
  return created;
}
