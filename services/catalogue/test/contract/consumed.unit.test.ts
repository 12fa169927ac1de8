// The ideas and adoption events the catalogue consumes, as the app's facts; one that breaks its contract
// is refused (the consumer parks it on the DLQ).
import { IdeaAdoptedEvent, IdeaPublishedEvent, ideasV1 } from "@lto/contracts";
import { ContractViolationError, type ReceivedEvent } from "@lto/messaging";
import { describe, expect, it } from "vitest";
import { ideaAdoptedFact, publishedIdeaFact } from "../../src/contract/index.js";

function received<T>(data: T): ReceivedEvent<T> {
  return {
    id: "event-1",
    type: "lto.test",
    source: "/test",
    subject: undefined,
    time: new Date("2026-11-01T10:00:00Z"),
    data,
    key: "k",
    topic: "t",
    partition: 0,
    offset: "0",
    headers: {},
  };
}

const idea = ideasV1.Idea.fromPartial({
  id: "idea-1",
  schoolId: "school-fermi",
  teamId: "team-1",
  teamName: "Green Bits",
  title: "Serra connessa",
  economicArea: "ECONOMIC_AREA_AGROALIMENTARE",
  technologies: ["iot"],
  district: "viadana",
  version: 4,
});

describe("consumed events", () => {
  it("an IdeaPublished becomes the idea as suggestions need it, at its version", () => {
    const fact = publishedIdeaFact(
      received(IdeaPublishedEvent.create({ ideaId: "idea-1", idea, version: 5 })),
    );
    expect(fact).toEqual({
      eventId: "event-1",
      idea: {
        id: "idea-1",
        ideaVersion: 5,
        teamId: "team-1",
        teamName: "Green Bits",
        schoolId: "school-fermi",
        title: "Serra connessa",
        area: "agroalimentare",
        technologies: ["iot"],
        district: "viadana",
      },
    });
  });

  it.each([
    ["no idea id", { ideaId: "", idea, version: 5 }, /idea_id is empty/],
    ["no snapshot", { ideaId: "idea-1", version: 5 }, /idea is missing/],
    [
      "an unknown area",
      {
        ideaId: "idea-1",
        idea: { ...idea, economicArea: "UNRECOGNIZED" as ideasV1.EconomicArea },
        version: 5,
      },
      /economic_area/,
    ],
    ["no version", { ideaId: "idea-1", idea: { ...idea, version: 0 }, version: 0 }, /version is missing/],
  ])("an IdeaPublished with %s breaks its contract", (_what, message, problem) => {
    const run = () => publishedIdeaFact(received(IdeaPublishedEvent.create(message)));
    expect(run).toThrow(ContractViolationError);
    expect(run).toThrow(problem);
  });

  it("an IdeaAdopted needs its idea, adoption and company; the time is when it happened", () => {
    const ok = ideaAdoptedFact(
      received(
        IdeaAdoptedEvent.create({
          ideaId: "idea-1",
          adoptionId: "a-1",
          companyId: "c-1",
          companyName: "OMV",
          occurredAt: "2026-10-30T09:00:00Z",
        }),
      ),
    );
    expect(ok).toMatchObject({
      ideaId: "idea-1",
      adoption: { adoptionId: "a-1", at: new Date("2026-10-30T09:00:00Z") },
    });
    expect(() =>
      ideaAdoptedFact(received(IdeaAdoptedEvent.create({ ideaId: "idea-1", companyId: "c-1" }))),
    ).toThrow(/adoption_id is empty/);
  });
});
