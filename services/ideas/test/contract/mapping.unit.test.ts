import { IdeaPublishedEvent, IdeaWithdrawnEvent } from "@lto/contracts";
import { describe, expect, it } from "vitest";
import { ECONOMIC_AREAS, NEEDS, withdrawIdea } from "../../src/domain/index.js";
import {
  fromProtoArea,
  fromProtoNeed,
  ideaPendingEvents,
  toProtoArea,
  toProtoCall,
  toProtoIdea,
  toProtoNeed,
} from "../../src/contract/index.js";
import { aCall, anIdea, aTeam, during, school } from "../fixtures.js";

describe("contract mapping", () => {
  it("maps every area and need to the contract's enum and back", () => {
    for (const area of ECONOMIC_AREAS) expect(fromProtoArea(toProtoArea(area))).toBe(area);
    for (const need of NEEDS) expect(fromProtoNeed(toProtoNeed(need))).toBe(need);
    expect(toProtoArea(undefined)).toBe("ECONOMIC_AREA_UNSPECIFIED");
  });

  it("lets only the shareable view of an idea leave the service", () => {
    const idea = anIdea("published");
    const view = toProtoIdea(idea, aTeam(), aCall());
    expect(view).toMatchObject({
      state: "IDEA_STATE_PUBLISHED",
      memberPseudonyms: ["Volpe Blu", "Airone"],
      schoolYear: "2026/27",
      // the team it comes from, so consumers can follow a team (the catalogue's suggestions)
      teamId: idea.teamId,
    });
    expect(view.teamId).not.toBe("");
    expect(view.publishedAt).toBe(during.evaluation.toISOString());
    expect(JSON.stringify(view)).not.toMatch(/Buona idea|Rossi|parentalConsent|weightedScore/);
  });

  it("gives the call's phases as half-open windows of Rome days", () => {
    const call = toProtoCall(aCall());
    expect(call.submission).toEqual({
      startsAt: "2026-09-30T22:00:00.000Z",
      endsAt: "2027-01-31T23:00:00.000Z",
    });
    expect(call.adoption).toEqual({
      startsAt: "2027-03-28T22:00:00.000Z",
      endsAt: "2027-06-30T22:00:00.000Z",
    });
    expect(call.panelOrganisationIds).toEqual(["provincia-mn", "school-fermi"]);
    expect(call.site).toBe(aCall().site);
  });

  it("turns domain events into outbox entries keyed by the idea, carrying the stored version", () => {
    const published = anIdea("published");
    const { events } = withdrawIdea(published, { reason: "Team sciolto", by: school, now: during.adoption });
    const [pending] = ideaPendingEvents(events, 7);
    expect(pending).toMatchObject({
      type: IdeaWithdrawnEvent.type,
      key: published.id,
      subject: published.id,
      time: during.adoption,
    });
    expect(IdeaWithdrawnEvent.decode(pending!.data)).toMatchObject({
      ideaId: published.id,
      previousState: "IDEA_STATE_PUBLISHED",
      reason: "Team sciolto",
      actorSubject: school.subject,
      version: 7,
    });
    const [publishedEvent] = ideaPendingEvents(
      [{ type: "IdeaPublished", idea: published, team: aTeam(), call: aCall(), at: during.evaluation }],
      5,
    );
    expect(IdeaPublishedEvent.decode(publishedEvent!.data).idea?.version).toBe(5);
  });
});
