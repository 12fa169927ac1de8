import { InvalidStateError } from "@lto/errors";
import { checkCommitments, type Commitments } from "./commitments.js";
import { Issues, romeDate } from "./validation.js";

/**
 * open: waiting for the school; accepted: became the adoption; declined: the school said no, or
 * accepted another offer; withdrawn: the company took it back; cancelled: the idea was withdrawn.
 */
export type OfferStatus = "open" | "accepted" | "declined" | "withdrawn" | "cancelled";

export interface Offer {
  id: string;
  ideaId: string;
  callId: string;
  schoolId: string;
  companyId: string;
  commitments: Commitments;
  message: string;
  status: OfferStatus;
  createdAt: Date;
  decidedAt?: Date;
  /** Why it was declined, withdrawn or cancelled. */
  reason?: string;
}

export interface OfferInput {
  id: string;
  ideaId: string;
  callId: string;
  schoolId: string;
  companyId: string;
  commitments: Commitments;
  message: string;
}

export function makeOffer(input: OfferInput, now: Date): Offer {
  const issues = new Issues();
  checkCommitments(input.commitments, issues, romeDate(now));
  const message = input.message.trim();
  issues.check(message.length >= 10 && message.length <= 4000, "message", "must be 10 to 4000 characters");
  issues.throwIfAny("The offer has invalid fields");
  return {
    ...input,
    commitments: {
      ...input.commitments,
      equipment: input.commitments.equipment.map((e) => ({ ...e, item: e.item.trim() })),
    },
    message,
    status: "open",
    createdAt: now,
  };
}

function decide(offer: Offer, to: OfferStatus, attempted: string, now: Date, reason?: string): Offer {
  if (offer.status !== "open") throw new InvalidStateError("offer", offer.status, attempted);
  return { ...offer, status: to, decidedAt: now, ...(reason !== undefined && { reason }) };
}

export const acceptOffer = (o: Offer, now: Date) => decide(o, "accepted", "accept", now);
export const declineOffer = (o: Offer, now: Date, reason: string) =>
  decide(o, "declined", "decline", now, reason);
export const withdrawOffer = (o: Offer, now: Date, reason: string) =>
  decide(o, "withdrawn", "withdraw", now, reason);
export const cancelOffer = (o: Offer, now: Date, reason: string) =>
  decide(o, "cancelled", "cancel", now, reason);
