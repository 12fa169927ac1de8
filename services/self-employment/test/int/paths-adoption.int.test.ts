// The four jobs linked: an IdeaAdopted produced as the adoption service publishes it opens the team's
// path once (a redelivery changes nothing), through the school referent, with the self-employment
// counselling and the business plan proposed; a poison message goes to the DLQ. And GetPath over real
// gRPC: the same path, with the same readers as the REST API.
import { dlqTopic, IdeaAdoptedEvent, PathOpenedEvent, selfEmploymentV1, topics } from "@lto/contracts";
import { NotFoundError, ForbiddenError, UnauthenticatedError, ValidationError } from "@lto/errors";
import { createGrpcClient } from "@lto/grpc-kit";
import { groupLag, uniqueId, waitFor } from "@lto/testkit";
import {
  eventProducer,
  readTopic,
  type TopicRecord,
  watchTopic,
  type EventProducer,
  type TestService,
  type TopicWatch,
} from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anOperator, deliveryBody, ideaAdopted, personLogin, personWithPath } from "./paths-support.js";
import { callers, ok, startSelfEmployment } from "./support.js";

let svc: TestService;
let events: EventProducer;
let dlq: TopicWatch;
let client: ReturnType<typeof createGrpcClient<typeof selfEmploymentV1.SelfEmploymentServiceService>>;
const school = () => svc.as(callers.school);

async function adoptionTopicDone() {
  await waitFor(
    "the adoption topic consumed",
    async () => (await groupLag(svc.groupId, topics.adoption)) === 0,
    170_000,
  );
}

beforeAll(async () => {
  svc = await startSelfEmployment();
  events = await eventProducer();
  client = createGrpcClient(selfEmploymentV1.SelfEmploymentServiceClient, svc.grpcAddress, {
    deadlineMs: 5000,
  });
  // A fresh group reads the adoption topic from the beginning (other tests' events too).
  await adoptionTopicDone();
  dlq = await watchTopic(dlqTopic(svc.groupId));
}, 240_000);
afterAll(async () => {
  client?.close();
  await dlq?.stop();
  await events?.stop();
  await svc?.close();
});

describe("IdeaAdopted", () => {
  it("opens the team's path once, through its school referent, counselling and business plan proposed", async () => {
    const ideaId = uniqueId("idea");
    const adopted = ideaAdopted(ideaId);
    const eventId = await events.send(IdeaAdoptedEvent, ideaId, adopted);
    const path = await waitFor(
      "the team's path",
      async () => {
        const res = await school().get(`/v1/ideas/${ideaId}/path`);
        return res.status === 200 ? res.body : undefined;
      },
      30_000,
    );
    expect(path).toMatchObject({
      holderId: ideaId,
      holder: { kind: "team", teamId: ideaId, schoolId: callers.school.org },
      origin: { kind: "adoption", ideaId, adoptionId: adopted.adoptionId, referent: callers.school.sub },
      site: "lto-mantova",
      openedBy: callers.school.sub,
      proposed: ["consulenza_autoimpiego", "business_plan"],
      confirmedBy: "referent",
      status: "open",
      version: 1,
    });

    // redelivered (same event id) and delivered again: nothing changes
    await events.send(IdeaAdoptedEvent, ideaId, adopted, { id: eventId });
    await events.send(IdeaAdoptedEvent, ideaId, adopted, { id: eventId });
    await adoptionTopicDone();
    const after = (await school().get(`/v1/ideas/${ideaId}/path`)).body;
    expect(after.version).toBe(1);
    expect(after.id).toBe(path.id);
    expect(after.history).toHaveLength(1);

    // Other test services on the shared broker read the adoption topic from its start and open their
    // own path for this idea too: this service's path is the one with its id.
    const ours = (rs: readonly TopicRecord[]) =>
      rs.filter((r) => r.key === ideaId && PathOpenedEvent.decode(r.value).pathId === path.id);
    const records = await readTopic(topics.selfemployment, (rs) => ours(rs).length > 0);
    const opened = ours(records);
    expect(opened).toHaveLength(1);
    expect(PathOpenedEvent.decode(opened[0]!.value)).toMatchObject({
      personId: ideaId,
      pathId: path.id,
      ideaId,
      actorSubject: callers.school.sub,
      services: [
        { serviceType: "consulenza_autoimpiego", plannedHours: 0, maxHours: 8 },
        { serviceType: "business_plan", plannedHours: 0, maxHours: 20 },
      ],
    });

    // another school's referent neither reads nor signs; the team's referent confirms a delivery
    const otherSchool = { sub: "referent-other", role: "school", org: "school-other" } as const;
    expect((await svc.as(otherSchool).get(`/v1/paths/${path.id}`)).status).toBe(403);
    const operatorId = await anOperator(svc);
    const delivery = await ok(
      svc.as(callers.staff),
      "POST",
      `/v1/paths/${path.id}/deliveries`,
      deliveryBody(svc, operatorId, "consulenza_autoimpiego", {}, 90),
    );
    const url = `/v1/paths/${path.id}/deliveries/${delivery.delivery.id}/confirmation`;
    expect((await svc.as(otherSchool).post(url)).status).toBe(403);
    const signed = await school().post(url);
    expect(signed.status).toBe(200);
    expect(signed.body.delivery.current.confirmation).toMatchObject({
      by: callers.school.sub,
      as: "referent",
    });
  });

  it("parks a poison IdeaAdopted on the DLQ and applies the next one of the same key", async () => {
    const ideaId = uniqueId("idea");
    const poisonId = await events.send(IdeaAdoptedEvent, ideaId, { ...ideaAdopted(ideaId), adoptionId: "" });
    await events.send(IdeaAdoptedEvent, ideaId, ideaAdopted(ideaId));
    const parked = await waitFor(
      "the poison on the DLQ",
      async () => dlq.records.find((r) => r.key === ideaId),
      30_000,
    );
    expect(parked.headers).toMatchObject({
      ce_id: poisonId,
      lto_error_type: "ContractViolationError",
      lto_consumer_group: svc.groupId,
    });
    expect(parked.headers.lto_error_message).toMatch(/adoption_id is empty/);
    await waitFor(
      "the good event after the poison applied",
      async () => (await school().get(`/v1/ideas/${ideaId}/path`)).status === 200,
      30_000,
    );
  });
});

describe("GetPath over gRPC", () => {
  it("answers a person's path with hours per service and caps, to the same readers as REST", async () => {
    const { personId, pathId } = await personWithPath(svc);
    const staff = svc.as(callers.staff);
    await ok(staff, "POST", `/v1/paths/${pathId}/proposals`, { services: ["coaching"] });
    const operatorId = await anOperator(svc);
    await ok(
      staff,
      "POST",
      `/v1/paths/${pathId}/deliveries`,
      deliveryBody(svc, operatorId, "accoglienza", {}, 50),
    );
    const token = async (claims: Parameters<typeof svc.auth.token>[0]) => ({
      token: await svc.auth.token(claims),
    });

    const { path } = await client.getPath({ personId }, await token(callers.programme));
    expect(path).toMatchObject({ personId, site: "lto-mantova", version: 3 });
    expect(path!.openedAt).toBeTruthy();
    expect(path!.services).toEqual([
      { serviceType: "coaching", plannedHours: 0, bookedHours: 0, deliveredHours: 0, maxHours: 10 },
      { serviceType: "accoglienza", plannedHours: 0, bookedHours: 0, deliveredHours: 0.75, maxHours: 2 },
    ]);
    expect((await client.getPath({ personId }, await token(personLogin(personId)))).path!.personId).toBe(
      personId,
    );

    await expect(client.getPath({ personId })).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(client.getPath({ personId }, await token(callers.otherSiteStaff))).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(client.getPath({ personId }, await token(callers.company))).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(client.getPath({ personId: "nobody" }, await token(callers.staff))).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(client.getPath({ personId: "" }, await token(callers.staff))).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});
