// What the suggestions tests share: events as the ideas and adoption services publish them, produced onto
// the real topics, and the service's consumer progress and stored documents as the broker and the store
// see them.
import {
  AdoptionEndedEvent,
  IdeaAdoptedEvent,
  IdeaPublishedEvent,
  ideasV1,
  topics,
  type RegisteredEventCodec,
} from "@lto/contracts";
import { connectTestDb, groupLag, uniqueId, waitFor } from "@lto/testkit";
import type { EventProducer, TestService } from "@lto/testkit/service";
import type { Document } from "mongodb";

export interface IdeaSpec {
  id?: string;
  teamId: string;
  schoolId: string;
  area?: ideasV1.EconomicArea;
  technologies?: string[];
  district?: string;
  version?: number;
}

/** IdeaPublished as the ideas service publishes it (the public view with its team). */
export function ideaPublished(spec: IdeaSpec) {
  const id = spec.id ?? uniqueId("idea");
  const version = spec.version ?? 3;
  const idea = ideasV1.Idea.fromPartial({
    id,
    callId: "call-suggest",
    callTitle: "LTO Idee 2025/26",
    schoolYear: "2025/26",
    schoolId: spec.schoolId,
    schoolName: "IIS Fermi",
    title: "Serra connessa",
    summary: "Sensori per le serre",
    problem: "Irrigazione a occhio",
    solution: "Sensori e un cruscotto",
    economicArea: spec.area ?? "ECONOMIC_AREA_AGROALIMENTARE",
    technologies: spec.technologies ?? ["iot"],
    district: spec.district ?? "viadana",
    teamName: "Green Bits",
    teamId: spec.teamId,
    memberPseudonyms: ["volpe-blu"],
    state: "IDEA_STATE_PUBLISHED",
    publishedAt: new Date().toISOString(),
    version,
  });
  return IdeaPublishedEvent.create({ ideaId: id, idea, version });
}

export function ideaAdopted(ideaId: string, schoolId: string, adoptionId = uniqueId("adoption")) {
  return IdeaAdoptedEvent.create({
    adoptionId,
    ideaId,
    callId: "call-suggest",
    schoolId,
    companyId: "company-omv",
    companyName: "OMV S.p.A.",
    occurredAt: new Date().toISOString(),
    actorSubject: "referent-fermi",
    version: 1,
  });
}

export function adoptionEnded(ideaId: string, schoolId: string, adoptionId: string) {
  return AdoptionEndedEvent.create({
    adoptionId,
    ideaId,
    schoolId,
    companyId: "company-omv",
    reason: "the company closed its lab",
    version: 2,
  });
}

/** Produces `message` keyed as its contract says; returns the event id. */
export function produce<T>(events: EventProducer, codec: RegisteredEventCodec<T>, message: T, id?: string) {
  return events.send(codec, codec.key(message), message, id ? { id } : {});
}

/** Waits until the service's consumer group has committed everything on the ideas and adoption topics. */
export async function caughtUp(svc: TestService, timeoutMs = 170_000) {
  for (const topic of [topics.ideas, topics.adoption])
    await waitFor(
      `the catalogue's consumer to catch up on ${topic}`,
      async () => (await groupLag(svc.groupId, topic)) === 0,
      timeoutMs,
    );
}

/** The service's database as stored (raw documents), closed by `close()`. */
export async function storedDb(svc: TestService) {
  const db = await connectTestDb({ dbName: svc.dbName });
  return {
    find: (collection: string, filter: Document) =>
      db.connection.db!.collection(collection).find(filter).toArray() as Promise<Document[]>,
    findOne: (collection: string, filter: Document) =>
      db.connection.db!.collection(collection).findOne(filter) as Promise<Document | null>,
    close: () => db.connection.close(),
  };
}
