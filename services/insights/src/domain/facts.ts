// What the figures learn from the other services' events, in the model's own words (the contract
// room maps each wire message to one of these), and where each fact lands: the record it changes and
// how (`effectOf`). Pure: no store, no clock.
import type {
  AdoptionRecord,
  BookingRecord,
  CallRecord,
  CommitmentKind,
  CommitmentPromise,
  CourseRecord,
  CredentialRecord,
  DeliveryRecord,
  EnrolmentRecord,
  IdeaRecord,
  IdeaState,
  Kind,
  Records,
} from "./records.js";

export type Fact =
  | { type: "call"; callId: string; schoolYear: string; site: string; title: string; version: number }
  | {
      type: "idea";
      ideaId: string;
      state: IdeaState;
      version: number;
      /** Given by submission and publication; absent in the other idea events. */
      attributes?: { callId: string; area: string; district: string };
      publishedAt?: string;
    }
  | {
      type: "adopted";
      adoptionId: string;
      ideaId: string;
      at: string;
      commitments: CommitmentPromise[];
      version: number;
    }
  | {
      type: "adoptionClosed";
      adoptionId: string;
      ideaId: string;
      status: "ended" | "completed";
      version: number;
    }
  | {
      type: "delivered";
      deliveryId: string;
      adoptionId: string;
      ideaId: string;
      kind: CommitmentKind;
      quantity: number;
      students: number;
      pctoHours: number;
      deliveredOn: string;
    }
  | { type: "course"; courseId: string; audiences: string[]; version: number }
  | {
      type: "enrolment";
      enrolmentId: string;
      courseId: string;
      site: string;
      status: "confirmed" | "withdrawn";
      level?: string;
      at: string;
      version: number;
    }
  | {
      type: "completion";
      enrolmentId: string;
      courseId: string;
      site: string;
      level: string;
      completed: boolean;
      at: string;
    }
  | { type: "credential"; credentialId: string; courseId: string; site: string; level: string; at: string }
  | { type: "credentialRevoked"; credentialId: string; courseId: string }
  | {
      type: "booking";
      bookingId: string;
      serviceType: string;
      site: string;
      startsAt: string;
      status: "booked" | "cancelled" | "no_show";
      /** Hours of the slot; booked and rescheduled bookings carry them. */
      hours?: number;
      version: number;
    }
  | {
      type: "serviceDelivered";
      bookingId: string;
      serviceType: string;
      site: string;
      startedAt: string;
      hours: number;
      revision: number;
    };

/** The record a fact changes, and the change: undefined when the record already says it all. */
export interface Effect<K extends Kind = Kind> {
  kind: K;
  key: string;
  apply(prev: Records[K] | undefined): Records[K] | undefined;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** The next record, or undefined when it equals the previous one (nothing to write). */
function changed<R>(prev: R | undefined, next: R): R | undefined {
  return prev !== undefined && same(prev, next) ? undefined : next;
}
const minIso = (a: string | undefined, b: string | undefined): string | undefined =>
  a === undefined ? b : b === undefined ? a : a < b ? a : b;

function effect<K extends Kind>(kind: K, key: string, apply: Effect<K>["apply"]): Effect {
  return { kind, key, apply } as unknown as Effect;
}

export function effectOf(fact: Fact): Effect {
  switch (fact.type) {
    case "call":
      return effect("calls", fact.callId, (prev: CallRecord | undefined) => {
        if (prev && prev.sourceVersion >= fact.version) return undefined;
        return {
          schoolYear: fact.schoolYear,
          site: fact.site,
          title: fact.title,
          sourceVersion: fact.version,
        };
      });
    case "idea":
      return effect("ideas", fact.ideaId, (prev: IdeaRecord | undefined) => {
        const base: IdeaRecord = prev ?? { attrVersion: 0, stateVersion: 0 };
        const next: IdeaRecord = { ...base };
        if (fact.attributes && fact.version >= base.attrVersion) {
          Object.assign(next, fact.attributes, { attrVersion: fact.version });
        }
        if (fact.version > base.stateVersion)
          Object.assign(next, { state: fact.state, stateVersion: fact.version });
        const first = minIso(base.firstPublishedAt, fact.publishedAt);
        if (first !== undefined) next.firstPublishedAt = first;
        return changed(prev, next);
      });
    case "adopted":
      return effect("adoptions", fact.adoptionId, (prev: AdoptionRecord | undefined) => {
        const base: AdoptionRecord = prev ?? { statusVersion: 0, commitments: [] };
        const next: AdoptionRecord = {
          ...base,
          ideaId: fact.ideaId,
          adoptedAt: fact.at,
          commitments: fact.commitments,
        };
        if (fact.version > base.statusVersion)
          Object.assign(next, { status: "active", statusVersion: fact.version });
        return changed(prev, next);
      });
    case "adoptionClosed":
      return effect("adoptions", fact.adoptionId, (prev: AdoptionRecord | undefined) => {
        const base: AdoptionRecord = prev ?? { statusVersion: 0, commitments: [] };
        if (fact.version <= base.statusVersion) return undefined;
        return changed(prev, {
          ...base,
          ideaId: fact.ideaId,
          status: fact.status,
          statusVersion: fact.version,
        });
      });
    case "delivered":
      return effect("deliveries", fact.deliveryId, (prev: DeliveryRecord | undefined) => {
        const { type: _t, deliveryId: _d, ...record } = fact;
        return changed(prev, record);
      });
    case "course":
      return effect("courses", fact.courseId, (prev: CourseRecord | undefined) => {
        if (prev && prev.sourceVersion >= fact.version) return undefined;
        return { audiences: [...fact.audiences].sort(), sourceVersion: fact.version };
      });
    case "enrolment":
      return effect("enrolments", fact.enrolmentId, (prev: EnrolmentRecord | undefined) => {
        const base: EnrolmentRecord = prev ?? { statusVersion: 0 };
        const next: EnrolmentRecord = { ...base, courseId: fact.courseId, site: fact.site };
        if (fact.level !== undefined) next.level = fact.level;
        if (fact.status === "confirmed") next.confirmedAt = minIso(base.confirmedAt, fact.at)!;
        if (fact.version > base.statusVersion)
          Object.assign(next, { status: fact.status, statusVersion: fact.version });
        return changed(prev, next);
      });
    case "completion":
      return effect("enrolments", fact.enrolmentId, (prev: EnrolmentRecord | undefined) => {
        const base: EnrolmentRecord = prev ?? { statusVersion: 0 };
        return changed(prev, {
          ...base,
          courseId: fact.courseId,
          site: fact.site,
          level: base.level ?? fact.level,
          completedAt: fact.at,
          completed: fact.completed,
        });
      });
    case "credential":
      return effect("credentials", fact.credentialId, (prev: CredentialRecord | undefined) =>
        changed(prev, {
          revoked: prev?.revoked ?? false,
          courseId: fact.courseId,
          site: fact.site,
          level: fact.level,
          issuedAt: fact.at,
        }),
      );
    case "credentialRevoked":
      return effect("credentials", fact.credentialId, (prev: CredentialRecord | undefined) =>
        changed(prev, { courseId: fact.courseId, ...prev, revoked: true }),
      );
    case "booking":
      return effect("bookings", fact.bookingId, (prev: BookingRecord | undefined) => {
        const base: BookingRecord = prev ?? { slotVersion: 0, statusVersion: 0 };
        const next: BookingRecord = { ...base };
        // The slot (site, month, hours) is the latest one told; a cancellation repeats it.
        if (fact.version >= base.slotVersion) {
          Object.assign(next, {
            serviceType: fact.serviceType,
            site: fact.site,
            startsAt: fact.startsAt,
            slotVersion: fact.version,
          });
          if (fact.hours !== undefined) next.hours = fact.hours;
        }
        if (fact.version > base.statusVersion)
          Object.assign(next, { status: fact.status, statusVersion: fact.version });
        return changed(prev, next);
      });
    case "serviceDelivered":
      return effect("bookings", fact.bookingId, (prev: BookingRecord | undefined) => {
        const base: BookingRecord = prev ?? { slotVersion: 0, statusVersion: 0 };
        // A correction is a new revision: the latest revision is what was delivered.
        if (base.delivered && base.delivered.revision >= fact.revision) return undefined;
        return {
          ...base,
          delivered: {
            hours: fact.hours,
            revision: fact.revision,
            site: fact.site,
            startedAt: fact.startedAt,
            serviceType: fact.serviceType,
          },
        };
      });
  }
}
