// Which fact makes which notices for whom: the one place that decides who is told what.
import type { DeclineReason, Fact } from "./facts.js";
import {
  ACTION_KINDS,
  recipientKey,
  type Locale,
  type Notice,
  type NoticeKind,
  type NoticeText,
  type Recipient,
} from "./notice.js";
import { texts } from "./texts.js";

/** A notice before it is stored: what the rules decide. */
export type NewNotice = Omit<Notice, "version" | "readBy">;

/**
 * The learner a catalogue person id names: a learner signs in with their own subject; a school's student
 * (`<school>/<pseudonym>`, usually a minor, who never has an account) is told through the school.
 */
export function catalogueRecipient(personId: string): { recipient: Recipient; pseudonym?: string } {
  const slash = personId.indexOf("/");
  if (slash > 0)
    return {
      recipient: { kind: "organisation", role: "school", organisationId: personId.slice(0, slash) },
      pseudonym: personId.slice(slash + 1),
    };
  return { recipient: { kind: "person", subject: personId } };
}

/** A booking's person: their learner account, or for a 16-17 year old their school referent's. */
function bookingRecipient(f: { learnerSubject: string; referentSubject: string }): Recipient | undefined {
  if (f.learnerSubject) return { kind: "person", subject: f.learnerSubject };
  if (f.referentSubject) return { kind: "person", subject: f.referentSubject };
  return undefined;
}

const school = (organisationId: string): Recipient => ({
  kind: "organisation",
  role: "school",
  organisationId,
});
const company = (organisationId: string): Recipient => ({
  kind: "organisation",
  role: "company",
  organisationId,
});

/** Reasons a company is told of: its own withdrawal is told to the school instead. */
const TOLD_TO_COMPANY: ReadonlySet<DeclineReason> = new Set([
  "declined_by_school",
  "another_offer_accepted",
  "idea_withdrawn",
  "idea_not_adoptable",
  "unspecified",
]);

interface Draft {
  kind: NoticeKind;
  recipient: Recipient;
  texts: Record<Locale, NoticeText>;
  refs: Record<string, string>;
  deadline?: Date;
}

/** A short, stable hash (cyrb53: 53 bits as base 36) of what tells one notice of a fact from another. */
function shortHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * The notices `fact` makes. `sourceId` names the fact (the event id, or the sweep's key for a hold
 * about to lapse): each notice's id is derived from it and from its recipient and refs (not from its
 * place in a list), so the same fact seen again makes the same notices even if the list changed.
 */
export function noticesFor(fact: Fact, sourceId: string): NewNotice[] {
  const drafts = draftsFor(fact);
  const seen = new Set<string>();
  const out: NewNotice[] = [];
  drafts.forEach((d) => {
    const key = `${d.kind}|${recipientKey(d.recipient)}|${JSON.stringify(d.refs)}`;
    if (seen.has(key)) return; // a person listed twice is told once
    seen.add(key);
    out.push({
      id: `${sourceId}.${shortHash(key)}`,
      kind: d.kind,
      recipient: d.recipient,
      recipientKey: recipientKey(d.recipient),
      texts: d.texts,
      refs: d.refs,
      ...(d.deadline ? { deadline: d.deadline } : {}),
      needsAction: ACTION_KINDS.has(d.kind),
      at: fact.at,
    });
  });
  return out;
}

function draftsFor(fact: Fact): Draft[] {
  switch (fact.type) {
    case "AdoptionOffered":
      return [
        {
          kind: "offer_received",
          recipient: school(fact.schoolId),
          texts: texts.offerReceived(fact.companyName || fact.companyId),
          refs: { offerId: fact.offerId, ideaId: fact.ideaId, companyId: fact.companyId },
        },
      ];
    case "IdeaAdopted":
      return [
        {
          kind: "offer_accepted",
          recipient: company(fact.companyId),
          texts: texts.offerAccepted(),
          refs: { offerId: fact.offerId, ideaId: fact.ideaId, adoptionId: fact.adoptionId },
        },
      ];
    case "OfferDeclined": {
      const refs = { offerId: fact.offerId, ideaId: fact.ideaId, companyId: fact.companyId };
      if (TOLD_TO_COMPANY.has(fact.reason))
        return [
          {
            kind: "offer_declined",
            recipient: company(fact.companyId),
            texts: texts.offerDeclined(fact.reason, fact.detail),
            refs,
          },
        ];
      return [
        {
          kind: "offer_withdrawn",
          recipient: school(fact.schoolId),
          texts: texts.offerWithdrawn(fact.detail),
          refs,
        },
      ];
    }
    case "DeliveryLogged":
      return [
        {
          kind: "delivery_to_confirm",
          recipient: school(fact.schoolId),
          texts: texts.deliveryToConfirm(fact.kind, fact.deliveredOn),
          refs: {
            adoptionId: fact.adoptionId,
            ideaId: fact.ideaId,
            deliveryId: fact.deliveryId,
            companyId: fact.companyId,
          },
        },
      ];
    case "HoldExpiring":
      return [
        {
          kind: "hold_expiring",
          recipient: company(fact.companyId),
          texts: texts.holdExpiring(fact.expiresAt),
          refs: { holdId: fact.holdId, ideaId: fact.ideaId },
          deadline: fact.expiresAt,
        },
      ];
    case "SeatOffered": {
      const { recipient, pseudonym } = catalogueRecipient(fact.personId);
      return [
        {
          kind: "seat_offered",
          recipient,
          texts: texts.seatOffered(fact.expiresAt, pseudonym),
          refs: {
            enrolmentId: fact.enrolmentId,
            sessionId: fact.sessionId,
            courseId: fact.courseId,
            ...(pseudonym ? { pseudonym } : {}),
          },
          deadline: fact.expiresAt,
        },
      ];
    }
    case "SessionCancelled":
      return fact.personIds.map((personId) => {
        const { recipient, pseudonym } = catalogueRecipient(personId);
        return {
          kind: "session_cancelled" as const,
          recipient,
          texts: texts.sessionCancelled(fact.reason, pseudonym),
          refs: { sessionId: fact.sessionId, courseId: fact.courseId, ...(pseudonym ? { pseudonym } : {}) },
        };
      });
    case "BookingRescheduled": {
      const recipient = bookingRecipient(fact);
      if (!recipient) return [];
      return [
        {
          kind: "booking_rescheduled",
          recipient,
          texts: texts.bookingRescheduled(fact.previousStartsAt, fact.startsAt),
          refs: { bookingId: fact.bookingId, serviceType: fact.serviceType, site: fact.site },
        },
      ];
    }
    case "BookingCancelled": {
      const recipient = bookingRecipient(fact);
      if (!recipient) return [];
      return [
        {
          kind: "booking_cancelled",
          recipient,
          texts: texts.bookingCancelled(fact.startsAt, fact.reason),
          refs: { bookingId: fact.bookingId, serviceType: fact.serviceType, site: fact.site },
        },
      ];
    }
  }
}

/** When a hold's "about to lapse" notice is due: `hoursBefore` its expiry. */
export function holdNoticeDue(expiresAt: Date, hoursBefore: number): Date {
  return new Date(expiresAt.getTime() - hoursBefore * 3_600_000);
}
