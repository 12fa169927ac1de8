// What happened elsewhere, as this service needs to know it: the other services' events turned into
// plain facts by the contract room (no protobuf here).

export type DeclineReason =
  | "declined_by_school"
  | "another_offer_accepted"
  | "idea_withdrawn"
  | "withdrawn_by_company"
  | "idea_not_adoptable"
  | "unspecified";

export type DeliveryKind = "kickoff" | "mentoring" | "internship" | "funding" | "equipment" | "unspecified";

export type Fact =
  | {
      type: "AdoptionOffered";
      offerId: string;
      ideaId: string;
      schoolId: string;
      companyId: string;
      companyName: string;
      at: Date;
    }
  | {
      type: "OfferDeclined";
      offerId: string;
      ideaId: string;
      schoolId: string;
      companyId: string;
      reason: DeclineReason;
      detail: string;
      at: Date;
    }
  | {
      type: "IdeaAdopted";
      adoptionId: string;
      offerId: string;
      ideaId: string;
      schoolId: string;
      companyId: string;
      at: Date;
    }
  | {
      /** The company logged a delivery of its commitments: the school confirms or disputes it. */
      type: "DeliveryLogged";
      adoptionId: string;
      ideaId: string;
      schoolId: string;
      companyId: string;
      deliveryId: string;
      kind: DeliveryKind;
      deliveredOn: string;
      at: Date;
    }
  | {
      /** Raised by this service's sweep some hours before an IdeaHeld's expiry (not an event). */
      type: "HoldExpiring";
      holdId: string;
      ideaId: string;
      companyId: string;
      expiresAt: Date;
      at: Date;
    }
  | {
      type: "SeatOffered";
      enrolmentId: string;
      sessionId: string;
      courseId: string;
      personId: string;
      expiresAt: Date;
      at: Date;
    }
  | {
      type: "SessionCancelled";
      sessionId: string;
      courseId: string;
      reason: string;
      /** Enrolled and waiting learners (the catalogue's person ids). */
      personIds: string[];
      at: Date;
    }
  | {
      type: "BookingRescheduled";
      bookingId: string;
      serviceType: string;
      site: string;
      startsAt: Date;
      previousStartsAt: Date;
      learnerSubject: string;
      referentSubject: string;
      at: Date;
    }
  | {
      type: "BookingCancelled";
      bookingId: string;
      serviceType: string;
      site: string;
      startsAt: Date;
      reason: string;
      learnerSubject: string;
      referentSubject: string;
      at: Date;
    };
