import type { Adoption, CommitmentRecord } from "./adoption.js";
import type { Hold } from "./hold.js";
import type { Offer } from "./offer.js";

// Facts this service states, as the domain sees them; src/contract maps them to the protobuf contracts.
export type HoldEndReason = "expired" | "released" | "idea_adopted" | "idea_withdrawn";
export type OfferDeclineReason =
  | "another_offer_accepted"
  | "idea_withdrawn"
  | "withdrawn_by_company"
  | "declined_by_school"
  | "idea_not_adoptable";

/** When, by whom, and the aggregate's version after the change. */
export interface EventMeta {
  now: Date;
  actor: string;
  version: number;
}

export type AdoptionEvent =
  | { type: "IdeaHeld"; hold: Hold; companyName: string; meta: EventMeta }
  | { type: "HoldLapsed"; hold: Hold; reason: HoldEndReason; meta: EventMeta }
  | { type: "AdoptionOffered"; offer: Offer; companyName: string; meta: EventMeta }
  | { type: "OfferDeclined"; offer: Offer; reason: OfferDeclineReason; meta: EventMeta }
  | { type: "IdeaAdopted"; adoption: Adoption; companyName: string; meta: EventMeta }
  | { type: "CommitmentDelivered"; adoption: Adoption; record: CommitmentRecord; meta: EventMeta }
  | { type: "DeliveryLogged"; adoption: Adoption; record: CommitmentRecord; meta: EventMeta }
  | { type: "AdoptionEnded"; adoption: Adoption; companyName: string; meta: EventMeta }
  | { type: "AdoptionCompleted"; adoption: Adoption; companyName: string; meta: EventMeta };
