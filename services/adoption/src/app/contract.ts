// Domain -> contract (protobuf) mapping for the events this service publishes and its gRPC API.
import {
  AdoptionCompletedEvent,
  AdoptionEndedEvent,
  AdoptionOfferedEvent,
  CommitmentDeliveredEvent,
  HoldLapsedEvent,
  IdeaAdoptedEvent,
  IdeaHeldEvent,
  OfferDeclinedEvent,
  type adoptionEventsV1,
  type adoptionV1,
} from "@lto/contracts";
import {
  internshipPlaces,
  progress,
  type Adoption,
  type CommitmentRecord,
  type Commitments,
  type Hold,
  type Offer,
  type Party,
} from "../domain/index.js";
import { outEvent, type OutEvent } from "./ports.js";

type Kind = adoptionV1.CommitmentKind;
type HoldEndReason = adoptionEventsV1.HoldEndReason;
type DeclineReason = adoptionEventsV1.OfferDeclineReason;

const iso = (d: Date | undefined) => d?.toISOString();

/** Commitments as the contract lists them: one per kind (equipment one per item), quantities in contract units. */
export function commitmentList(promised: Commitments, a?: Adoption): adoptionV1.Commitment[] {
  const p = a ? progress(a) : undefined;
  const list: adoptionV1.Commitment[] = [];
  const add = (
    id: string,
    kind: Kind,
    description: string,
    prom: number,
    del = 0,
    conf = 0,
    period = ["", ""],
  ) =>
    list.push({
      id,
      kind,
      description,
      promised: prom,
      delivered: del,
      confirmed: conf,
      periodStart: period[0]!,
      periodEnd: period[1]!,
    });
  add(
    "kickoff",
    "COMMITMENT_KIND_KICK_OFF",
    "Kick-off meeting with the team",
    1,
    p?.kickoff.logged ? 1 : 0,
    p?.kickoff.confirmed ? 1 : 0,
  );
  if (promised.mentoringHours > 0)
    add(
      "mentoring",
      "COMMITMENT_KIND_MENTORING",
      `${promised.mentoringHours} hours of mentoring`,
      promised.mentoringHours * 60,
      Math.round((p?.mentoringHours.logged ?? 0) * 60),
      Math.round((p?.mentoringHours.confirmed ?? 0) * 60),
    );
  const places = internshipPlaces(promised);
  if (places > 0) {
    const starts = promised.internships.map((i) => i.startsOn).sort();
    const ends = promised.internships.map((i) => i.endsOn).sort();
    add(
      "internships",
      "COMMITMENT_KIND_INTERNSHIP",
      `${places} internship places`,
      places,
      p?.internshipPlaces.logged,
      p?.internshipPlaces.confirmed,
      [starts[0]!, ends[ends.length - 1]!],
    );
  }
  if (promised.fundingCents > 0)
    add(
      "funding",
      "COMMITMENT_KIND_FUNDING",
      `Funding of EUR ${(promised.fundingCents / 100).toFixed(2)}`,
      promised.fundingCents,
      p?.fundingCents.logged,
      p?.fundingCents.confirmed,
    );
  promised.equipment.forEach((e, i) => {
    const ep = p?.equipment[i];
    add(`equipment-${i}`, "COMMITMENT_KIND_EQUIPMENT", e.item, e.quantity, ep?.logged, ep?.confirmed);
  });
  return list;
}

/** Confirmed against promised, each commitment weighing the same: 0..100. */
export function progressPercent(a: Adoption): number {
  const list = commitmentList(a.promised, a);
  const share = list.reduce((s, c) => s + Math.min(1, c.promised ? c.confirmed / c.promised : 1), 0);
  return Math.floor((share / list.length) * 100);
}

const ADOPTION_STATE = {
  active: "ADOPTION_STATE_ACTIVE",
  ended: "ADOPTION_STATE_ENDED",
  completed: "ADOPTION_STATE_COMPLETED",
} as const;
const PARTY = { company: "PARTY_COMPANY", school: "PARTY_SCHOOL" } as const;

export function adoptionMessage(a: Adoption & { version: number }, companyName: string): adoptionV1.Adoption {
  return {
    id: a.id,
    ideaId: a.ideaId,
    ideaTitle: a.ideaTitle,
    callId: a.callId,
    schoolId: a.schoolId,
    companyId: a.companyId,
    companyName,
    offerId: a.offerId,
    state: ADOPTION_STATE[a.status],
    commitments: commitmentList(a.promised, a),
    progressPercent: progressPercent(a),
    adoptedAt: iso(a.startedAt),
    endedAt: iso(a.endedAt),
    endedBy: a.endedBy ? PARTY[a.endedBy] : "PARTY_UNSPECIFIED",
    endReason: a.endReason ?? "",
    completedAt: iso(a.completedAt),
    version: a.version,
  };
}

interface Meta {
  now: Date;
  actor: string;
  version: number;
}

export const events = {
  ideaHeld: (h: Hold, companyName: string, m: Meta): OutEvent =>
    outEvent(IdeaHeldEvent, {
      holdId: h.id,
      ideaId: h.ideaId,
      callId: h.callId,
      companyId: h.companyId,
      companyName,
      expiresAt: iso(h.expiresAt),
      occurredAt: iso(m.now),
      actorSubject: m.actor,
      version: m.version,
    }),
  holdLapsed: (h: Hold, reason: HoldEndReason, m: Meta): OutEvent =>
    outEvent(HoldLapsedEvent, {
      holdId: h.id,
      ideaId: h.ideaId,
      companyId: h.companyId,
      reason,
      occurredAt: iso(m.now),
      actorSubject: m.actor,
      version: m.version,
    }),
  adoptionOffered: (o: Offer, companyName: string, m: Meta): OutEvent =>
    outEvent(AdoptionOfferedEvent, {
      offerId: o.id,
      ideaId: o.ideaId,
      callId: o.callId,
      schoolId: o.schoolId,
      companyId: o.companyId,
      companyName,
      commitments: commitmentList(o.commitments),
      message: o.message,
      occurredAt: iso(m.now),
      actorSubject: m.actor,
      version: m.version,
    }),
  offerDeclined: (o: Offer, reason: DeclineReason, m: Meta): OutEvent =>
    outEvent(OfferDeclinedEvent, {
      offerId: o.id,
      ideaId: o.ideaId,
      schoolId: o.schoolId,
      companyId: o.companyId,
      reason,
      reasonDetail: o.reason ?? "",
      occurredAt: iso(m.now),
      actorSubject: m.actor,
      version: m.version,
    }),
  ideaAdopted: (a: Adoption, companyName: string, m: Meta): OutEvent =>
    outEvent(IdeaAdoptedEvent, {
      adoptionId: a.id,
      ideaId: a.ideaId,
      callId: a.callId,
      schoolId: a.schoolId,
      companyId: a.companyId,
      companyName,
      offerId: a.offerId,
      commitments: commitmentList(a.promised),
      occurredAt: iso(m.now),
      actorSubject: m.actor,
      version: m.version,
    }),
  commitmentDelivered: (a: Adoption, r: CommitmentRecord, m: Meta): OutEvent => {
    const list = commitmentList(a.promised, a);
    const id =
      r.kind === "equipment"
        ? `equipment-${a.promised.equipment.findIndex((e) => e.item.toLowerCase() === r.item?.toLowerCase())}`
        : r.kind === "internship"
          ? "internships"
          : r.kind;
    const c = list.find((x) => x.id === id);
    const quantity: Record<CommitmentRecord["kind"], number> = {
      kickoff: 1,
      mentoring: Math.round((r.hours ?? 0) * 60),
      internship: 1,
      funding: r.amountCents ?? 0,
      equipment: r.quantity ?? 0,
    };
    return outEvent(CommitmentDeliveredEvent, {
      adoptionId: a.id,
      ideaId: a.ideaId,
      schoolId: a.schoolId,
      companyId: a.companyId,
      commitmentId: c?.id ?? "",
      kind: c?.kind ?? "COMMITMENT_KIND_UNSPECIFIED",
      deliveryId: r.id,
      quantity: quantity[r.kind],
      promised: c?.promised ?? 0,
      confirmed: c?.confirmed ?? 0,
      studentPseudonyms: r.pseudonyms ?? (r.pseudonym ? [r.pseudonym] : []),
      deliveredOn: r.date ?? r.endedOn ?? "",
      occurredAt: iso(m.now),
      actorSubject: m.actor,
      version: m.version,
    });
  },
  adoptionEnded: (a: Adoption, companyName: string, m: Meta): OutEvent =>
    outEvent(AdoptionEndedEvent, {
      adoptionId: a.id,
      ideaId: a.ideaId,
      callId: a.callId,
      schoolId: a.schoolId,
      companyId: a.companyId,
      companyName,
      endedBy: PARTY[a.endedBy as Party],
      reason: a.endReason ?? "",
      occurredAt: iso(m.now),
      actorSubject: m.actor,
      version: m.version,
    }),
  adoptionCompleted: (a: Adoption, companyName: string, m: Meta): OutEvent =>
    outEvent(AdoptionCompletedEvent, {
      adoptionId: a.id,
      ideaId: a.ideaId,
      callId: a.callId,
      schoolId: a.schoolId,
      companyId: a.companyId,
      companyName,
      commitments: commitmentList(a.promised, a),
      occurredAt: iso(m.now),
      actorSubject: m.actor,
      version: m.version,
    }),
};
