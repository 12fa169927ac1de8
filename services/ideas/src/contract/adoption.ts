// What arrives from the adoption service, as the app's facts and records: its events (checked against
// their contract's invariants here, so one that breaks them, an empty id or a date that is not one, is
// parked on the DLQ at once and never applied) and its gRPC answer about a student.
import type { adoptionEventsV1, adoptionV1 } from "@lto/contracts";
import { assertContract, type ReceivedEvent } from "@lto/messaging";
import type { AdoptionFact, StudentAdoption } from "../app/index.js";

type AdoptionMessage = { ideaId: string; adoptionId: string; occurredAt?: string | undefined };

function fact(event: ReceivedEvent<AdoptionMessage>, more: string[] = []): AdoptionFact {
  const { ideaId, adoptionId, occurredAt } = event.data;
  const problems = [...more];
  if (!ideaId) problems.push("idea_id is empty");
  if (!adoptionId) problems.push("adoption_id is empty");
  if (occurredAt !== undefined && Number.isNaN(Date.parse(occurredAt)))
    problems.push("occurred_at is not a date");
  assertContract(event, problems);
  return { eventId: event.id, ideaId, adoptionId, at: occurredAt ? new Date(occurredAt) : event.time };
}

export function ideaAdoptedFact(event: ReceivedEvent<adoptionEventsV1.IdeaAdopted>) {
  return {
    ...fact(event, event.data.companyId ? [] : ["company_id is empty"]),
    companyId: event.data.companyId,
  };
}

export function adoptionEndedFact(event: ReceivedEvent<adoptionEventsV1.AdoptionEnded>) {
  return { ...fact(event), reason: event.data.reason };
}

export function adoptionCompletedFact(event: ReceivedEvent<adoptionEventsV1.AdoptionCompleted>) {
  return fact(event);
}

const STATES: Record<string, string> = {
  ADOPTION_STATE_ACTIVE: "active",
  ADOPTION_STATE_ENDED: "ended",
  ADOPTION_STATE_COMPLETED: "completed",
};

export function fromProtoStudentAdoption(a: adoptionV1.StudentAdoption): StudentAdoption {
  return {
    adoptionId: a.adoptionId,
    ideaId: a.ideaId,
    ideaTitle: a.ideaTitle,
    companyId: a.companyId,
    state: STATES[a.state] ?? "unknown",
    ...(a.adoptedAt ? { adoptedAt: new Date(a.adoptedAt) } : {}),
    records: a.records.map((rec) => ({
      id: rec.id,
      kind: rec.kind,
      status: rec.status,
      ...(rec.date ? { date: rec.date } : {}),
      ...(rec.startedOn ? { startedOn: rec.startedOn } : {}),
      ...(rec.endedOn ? { endedOn: rec.endedOn } : {}),
      ...(rec.hours ? { hours: rec.hours } : {}),
    })),
    pctoHours: {
      mentoring: a.pctoMentoringHours,
      internship: a.pctoInternshipHours,
      total: a.pctoTotalHours,
    },
  };
}
