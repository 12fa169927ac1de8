// The service's domain events as the protobuf events of its contract, ready for the outbox: every
// event keyed by the person's pseudonymous id, carrying the version it is stored at. No personal data
// crosses here: a person is their id, their site and their age band.
import { PersonRegisteredEvent, selfEmploymentEventsV1 } from "@lto/contracts";
import { pendingEvent, type PendingEvent } from "@lto/messaging";
import type { AgeBand, PersonRegistered } from "../domain/index.js";

const AGE_BANDS: Record<AgeBand, selfEmploymentEventsV1.AgeBand> = {
  "16_17": selfEmploymentEventsV1.AgeBand.AGE_BAND_16_17,
  "18_24": selfEmploymentEventsV1.AgeBand.AGE_BAND_18_24,
  "25_29": selfEmploymentEventsV1.AgeBand.AGE_BAND_25_29,
  "30_plus": selfEmploymentEventsV1.AgeBand.AGE_BAND_30_PLUS,
};

export function toProtoAgeBand(band: AgeBand): selfEmploymentEventsV1.AgeBand {
  return AGE_BANDS[band];
}

export function personPendingEvents(events: readonly PersonRegistered[], version: number): PendingEvent[] {
  return events.map(({ person, ageBand, by, at }) =>
    pendingEvent(
      PersonRegisteredEvent,
      person.id,
      PersonRegisteredEvent.create({
        personId: person.id,
        site: person.site,
        ageBand: toProtoAgeBand(ageBand),
        guardianConsent: person.guardianConsent !== undefined,
        occurredAt: at.toISOString(),
        actorSubject: by,
        version,
      }),
      { time: at },
    ),
  );
}
