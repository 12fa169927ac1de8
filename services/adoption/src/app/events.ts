// The domain events the use cases publish (the contract room turns them into protobuf).
import type {
  Adoption,
  AdoptionEvent,
  CommitmentRecord,
  EventMeta,
  Hold,
  HoldEndReason,
  Offer,
  OfferDeclineReason,
} from "../domain/index.js";

export const events = {
  ideaHeld: (hold: Hold, companyName: string, meta: EventMeta): AdoptionEvent => ({
    type: "IdeaHeld",
    hold,
    companyName,
    meta,
  }),
  holdLapsed: (hold: Hold, reason: HoldEndReason, meta: EventMeta): AdoptionEvent => ({
    type: "HoldLapsed",
    hold,
    reason,
    meta,
  }),
  adoptionOffered: (offer: Offer, companyName: string, meta: EventMeta): AdoptionEvent => ({
    type: "AdoptionOffered",
    offer,
    companyName,
    meta,
  }),
  offerDeclined: (offer: Offer, reason: OfferDeclineReason, meta: EventMeta): AdoptionEvent => ({
    type: "OfferDeclined",
    offer,
    reason,
    meta,
  }),
  ideaAdopted: (adoption: Adoption, companyName: string, meta: EventMeta): AdoptionEvent => ({
    type: "IdeaAdopted",
    adoption,
    companyName,
    meta,
  }),
  commitmentDelivered: (adoption: Adoption, record: CommitmentRecord, meta: EventMeta): AdoptionEvent => ({
    type: "CommitmentDelivered",
    adoption,
    record,
    meta,
  }),
  /** A delivery the company logged, for the school to confirm. */
  deliveryLogged: (adoption: Adoption, record: CommitmentRecord, meta: EventMeta): AdoptionEvent => ({
    type: "DeliveryLogged",
    adoption,
    record,
    meta,
  }),
  adoptionEnded: (adoption: Adoption, companyName: string, meta: EventMeta): AdoptionEvent => ({
    type: "AdoptionEnded",
    adoption,
    companyName,
    meta,
  }),
  adoptionCompleted: (adoption: Adoption, companyName: string, meta: EventMeta): AdoptionEvent => ({
    type: "AdoptionCompleted",
    adoption,
    companyName,
    meta,
  }),
};
