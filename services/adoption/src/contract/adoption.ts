// Domain -> contract (protobuf): the events this service publishes and its gRPC API's adoption shape.
// The only room that knows the wire; app and domain speak in domain terms.
import {
  AdoptionCompletedEvent,
  AdoptionEndedEvent,
  AdoptionOfferedEvent,
  CommitmentDeliveredEvent,
  DeliveryLoggedEvent,
  HoldLapsedEvent,
  IdeaAdoptedEvent,
  IdeaHeldEvent,
  OfferDeclinedEvent,
  type adoptionEventsV1,
  type adoptionV1,
  type RegisteredEventCodec,
} from "@lto/contracts";
import {
  internshipPlaces,
  progress,
  type Adoption,
  type CommitmentRecord,
  type Commitments,
  type Party,
  type AdoptionEvent,
} from "../domain/index.js";
import { pendingEvent, type PendingEvent } from "@lto/messaging";

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

const RECORD_KINDS: Record<CommitmentRecord["kind"], Kind> = {
  kickoff: "COMMITMENT_KIND_KICK_OFF",
  mentoring: "COMMITMENT_KIND_MENTORING",
  internship: "COMMITMENT_KIND_INTERNSHIP",
  funding: "COMMITMENT_KIND_FUNDING",
  equipment: "COMMITMENT_KIND_EQUIPMENT",
};

const pending = <T>(codec: RegisteredEventCodec<T>, message: T): PendingEvent =>
  pendingEvent(codec, codec.key(message), message);
const holdReason = (r: string) => `HOLD_END_REASON_${r.toUpperCase()}` as HoldEndReason;
const declineReason = (r: string) => `OFFER_DECLINE_REASON_${r.toUpperCase()}` as DeclineReason;
const stamp = (m: { now: Date; actor: string; version: number }) => ({
  occurredAt: iso(m.now),
  actorSubject: m.actor,
  version: m.version,
});

/** Who and what an adoption event is about (every adoption event carries them). */
const adoptionParties = (a: Adoption, companyName: string) => ({
  adoptionId: a.id,
  ideaId: a.ideaId,
  callId: a.callId,
  schoolId: a.schoolId,
  companyId: a.companyId,
  companyName,
});

/** One domain event as the protobuf event the outbox publishes. */
export function toPendingEvent(e: AdoptionEvent): PendingEvent {
  switch (e.type) {
    case "IdeaHeld": {
      const h = e.hold;
      return pending(IdeaHeldEvent, {
        holdId: h.id,
        ideaId: h.ideaId,
        callId: h.callId,
        companyId: h.companyId,
        companyName: e.companyName,
        expiresAt: iso(h.expiresAt),
        ...stamp(e.meta),
      });
    }
    case "HoldLapsed": {
      const h = e.hold;
      return pending(HoldLapsedEvent, {
        holdId: h.id,
        ideaId: h.ideaId,
        companyId: h.companyId,
        reason: holdReason(e.reason),
        ...stamp(e.meta),
      });
    }
    case "AdoptionOffered": {
      const o = e.offer;
      return pending(AdoptionOfferedEvent, {
        offerId: o.id,
        ideaId: o.ideaId,
        callId: o.callId,
        schoolId: o.schoolId,
        companyId: o.companyId,
        companyName: e.companyName,
        commitments: commitmentList(o.commitments),
        message: o.message,
        ...stamp(e.meta),
      });
    }
    case "OfferDeclined": {
      const o = e.offer;
      return pending(OfferDeclinedEvent, {
        offerId: o.id,
        ideaId: o.ideaId,
        schoolId: o.schoolId,
        companyId: o.companyId,
        reason: declineReason(e.reason),
        reasonDetail: o.reason ?? "",
        ...stamp(e.meta),
      });
    }
    case "IdeaAdopted": {
      const a = e.adoption;
      return pending(IdeaAdoptedEvent, {
        ...adoptionParties(a, e.companyName),
        offerId: a.offerId,
        commitments: commitmentList(a.promised),
        ...stamp(e.meta),
      });
    }
    case "CommitmentDelivered":
      return commitmentDelivered(e.adoption, e.record, e.meta);
    case "DeliveryLogged":
      return pending(DeliveryLoggedEvent, {
        adoptionId: e.adoption.id,
        ideaId: e.adoption.ideaId,
        schoolId: e.adoption.schoolId,
        companyId: e.adoption.companyId,
        deliveryId: e.record.id,
        kind: RECORD_KINDS[e.record.kind],
        deliveredOn: e.record.date ?? e.record.startedOn ?? "",
        ...stamp(e.meta),
      });
    case "AdoptionEnded": {
      const a = e.adoption;
      return pending(AdoptionEndedEvent, {
        ...adoptionParties(a, e.companyName),
        endedBy: PARTY[a.endedBy as Party],
        reason: a.endReason ?? "",
        ...stamp(e.meta),
      });
    }
    case "AdoptionCompleted": {
      const a = e.adoption;
      return pending(AdoptionCompletedEvent, {
        ...adoptionParties(a, e.companyName),
        commitments: commitmentList(a.promised, a),
        ...stamp(e.meta),
      });
    }
  }
}

export const toPendingEvents = (events: readonly AdoptionEvent[]): PendingEvent[] =>
  events.map(toPendingEvent);

function commitmentDelivered(
  a: Adoption,
  r: CommitmentRecord,
  m: { now: Date; actor: string; version: number },
): PendingEvent {
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
  return pending(CommitmentDeliveredEvent, {
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
    pctoHours: r.kind === "mentoring" || r.kind === "internship" ? (r.hours ?? 0) : 0,
    ...stamp(m),
  });
}
