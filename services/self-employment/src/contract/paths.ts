// Path events as the contract's protobuf (PathOpened, ServiceDelivered), keyed by the holder's
// pseudonymous id; and IdeaAdopted (the adoption service's) as the app's fact, or parked on the DLQ
// when it breaks its contract.
import {
  PathOpenedEvent,
  selfEmploymentV1,
  ServiceDeliveredEvent,
  type adoptionEventsV1,
  type selfEmploymentEventsV1,
} from "@lto/contracts";
import { assertContract, pendingEvent, type PendingEvent, type ReceivedEvent } from "@lto/messaging";
import type { IdeaAdoptedFact, PathEvent, PathView } from "../app/index.js";
import {
  currentRevision,
  holderId,
  type InternshipCommitment,
  type OutcomeCode,
  type Path,
  SERVICE_TYPES,
} from "../domain/index.js";
import { isLocalDate } from "@lto/civil-time";

export function toProtoOutcome(outcome: OutcomeCode): selfEmploymentV1.Outcome {
  const name = `OUTCOME_${outcome.toUpperCase()}`;
  return (Object.values(selfEmploymentV1.Outcome) as string[]).includes(name)
    ? (name as selfEmploymentV1.Outcome)
    : selfEmploymentV1.Outcome.OUTCOME_UNSPECIFIED;
}

/** The path's services for the contract: planned hours and the cap of each planned or proposed one. */
export function plannedServices(path: Path) {
  const codes = [...new Set([...path.plan.map((p) => p.serviceCode), ...path.proposed])];
  return codes.map((code) => ({
    serviceType: code,
    plannedHours: path.plan.find((p) => p.serviceCode === code)?.hours ?? 0,
    maxHours: SERVICE_TYPES.find((t) => t.code === code)?.maxHoursPerPerson ?? 0,
  }));
}

export function pathPendingEvents(events: readonly PathEvent[], version: number): PendingEvent[] {
  return events.map((e) => {
    const key = holderId(e.path.holder);
    if (e.type === "PathOpened") {
      const opened = e.path.history[0]!;
      return pendingEvent(
        PathOpenedEvent,
        key,
        PathOpenedEvent.create({
          personId: key,
          pathId: e.path.id,
          site: e.path.site,
          services: plannedServices(e.path),
          funder: e.path.funder,
          ideaId: e.path.origin.kind === "adoption" ? e.path.origin.ideaId : "",
          occurredAt: opened.at.toISOString(),
          actorSubject: opened.by,
          version,
        }),
        { time: opened.at },
      );
    }
    const r = currentRevision(e.delivery);
    return pendingEvent(
      ServiceDeliveredEvent,
      key,
      ServiceDeliveredEvent.create({
        personId: key,
        bookingId: e.delivery.bookingId ?? "",
        serviceType: e.delivery.serviceCode,
        site: e.delivery.site,
        operatorId: e.delivery.operatorId,
        startedAt: r.start.toISOString(),
        endedAt: r.end.toISOString(),
        hours: r.hours,
        outcome: toProtoOutcome(r.outcome),
        funder: e.delivery.funder,
        revision: r.n,
        occurredAt: r.at.toISOString(),
        actorSubject: r.by,
        version,
      }),
      { time: r.at },
    );
  });
}

/**
 * The booking a ServiceDelivered fulfils (the service's own event: the booking catches up with its
 * path); undefined for a walk-in's delivery.
 */
export function deliveredBookingId(
  e: ReceivedEvent<selfEmploymentEventsV1.ServiceDelivered>,
): string | undefined {
  return e.data.bookingId || undefined;
}

export function ideaAdoptedFact(e: ReceivedEvent<adoptionEventsV1.IdeaAdopted>): IdeaAdoptedFact {
  const m = e.data;
  const problems: string[] = [];
  if (!m.ideaId) problems.push("idea_id is empty");
  if (!m.adoptionId) problems.push("adoption_id is empty");
  if (m.occurredAt !== undefined && Number.isNaN(Date.parse(m.occurredAt)))
    problems.push("occurred_at is not a date");
  assertContract(e, problems);
  return {
    eventId: e.id,
    ideaId: m.ideaId,
    adoptionId: m.adoptionId,
    // May be empty in events published before the adoption service named the school: no referent then.
    schoolId: m.schoolId,
    // The school user who accepted the offer: the team's referent (the school when unnamed).
    referent: m.actorSubject || m.schoolId,
    at: m.occurredAt ? new Date(m.occurredAt) : e.time,
    internships: internshipCommitments(m, m.occurredAt ? new Date(m.occurredAt) : e.time),
  };
}

/** The sponsor's internship commitments (places and period); a period that is not a date is left out. */
function internshipCommitments(m: adoptionEventsV1.IdeaAdopted, at: Date): InternshipCommitment[] {
  const date = (d: string) => (isLocalDate(d) ? d : "");
  return m.commitments
    .filter((c) => c.kind === "COMMITMENT_KIND_INTERNSHIP" && c.promised > 0)
    .map((c) => ({
      adoptionId: m.adoptionId,
      commitmentId: c.id || "internships",
      companyId: m.companyId,
      companyName: m.companyName,
      description: c.description,
      places: c.promised,
      periodStart: date(c.periodStart),
      periodEnd: date(c.periodEnd),
      recordedAt: at,
    }));
}

/** A path as GetPath answers it: hours per service (planned, booked, delivered) and the caps. */
export function toProtoPath(view: PathView): selfEmploymentV1.Path {
  return {
    personId: view.holderId,
    site: view.site,
    services: view.services.map((s) => ({
      serviceType: s.serviceCode,
      plannedHours: s.plannedHours,
      bookedHours: s.bookedHours,
      deliveredHours: s.deliveredHours,
      maxHours: s.capHours,
    })),
    openedAt: view.createdAt,
    version: view.version,
  };
}
