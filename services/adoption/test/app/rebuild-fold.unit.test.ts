// The projection handlers folded in memory, as the rebuild replays the ideas topic: the same decisions
// as the stored projection (older snapshots ignored, withdrawals and erasures applied once, the marker
// kept across snapshots), so the bulk-written shadow equals what the live consumer wrote.
import { describe, expect, it } from "vitest";
import { projectionHandlers } from "../../src/app/index.js";
import { FoldedProjection } from "../../src/infra/folded.js";
import { anIdeaView as idea } from "../fixtures.js";

describe("the projection folded in memory", () => {
  it("keeps the newest snapshot, its version the idea's, and ignores an older or repeated one", async () => {
    const folded = new FoldedProjection();
    const h = projectionHandlers(folded);
    await h.ideaPublished(idea({ ideaVersion: 4, title: "Nuovo titolo" }));
    await h.ideaPublished(idea({ ideaVersion: 3 }));
    await h.ideaPublished(idea({ ideaVersion: 4, title: "Redelivered" }));
    expect(folded.ideas.get("i1")).toMatchObject({ title: "Nuovo titolo", ideaVersion: 4, version: 4 });
    expect(folded.ideas.get("i1")!.adoption).toBeNull();
  });

  it("withdraws at the withdrawal's version, once, and renames an erased pseudonym once", async () => {
    const folded = new FoldedProjection();
    const h = projectionHandlers(folded);
    await h.ideaPublished(idea());
    await h.ideaWithdrawn({ ideaId: "i1", version: 5, reason: "", actor: "s" });
    await h.ideaWithdrawn({ ideaId: "i1", version: 4, reason: "", actor: "s" });
    await h.teamMemberErased({ ideaId: "i1", from: "gufo-blu", to: "studente-2" });
    await h.teamMemberErased({ ideaId: "i1", from: "gufo-blu", to: "studente-9" });
    await h.ideaWithdrawn({ ideaId: "unknown", version: 2, reason: "", actor: "s" });
    expect(folded.ideas.get("i1")).toMatchObject({
      status: "withdrawn",
      ideaVersion: 5,
      version: 5,
      memberPseudonyms: ["volpe-rossa", "studente-2"],
    });
    expect(folded.ideas.has("unknown")).toBe(false);
    await h.ideaPublished(idea({ ideaVersion: 4 })); // older than the withdrawal
    expect(folded.ideas.get("i1")!.status).toBe("withdrawn");
  });

  it("keeps the adoption marker across newer snapshots, without touching the version", async () => {
    const folded = new FoldedProjection();
    const h = projectionHandlers(folded);
    await h.ideaPublished(idea());
    expect(folded.setMarker("i1", { id: "a1", companyId: "c1" })).toBe(true);
    expect(folded.setMarker("i1", { id: "a1", companyId: "c1" })).toBe(false);
    expect(folded.setMarker("missing", { id: "a2", companyId: "c1" })).toBe(false);
    expect(folded.ideas.get("i1")!.version).toBe(3);
    await h.ideaPublished(idea({ ideaVersion: 6 }));
    expect(folded.ideas.get("i1")).toMatchObject({ adoption: { id: "a1", companyId: "c1" }, version: 6 });
  });

  it("keeps the newest call snapshot", async () => {
    const folded = new FoldedProjection();
    const h = projectionHandlers(folded);
    const call = {
      id: "c1",
      title: "Bando",
      panelOrganisationIds: [],
      adoptionStartsAt: null,
      adoptionEndsAt: null,
    };
    await h.callChanged({ ...call, callVersion: 2, title: "Bando 2" });
    await h.callChanged({ ...call, callVersion: 1 });
    expect(folded.calls.get("c1")).toMatchObject({ title: "Bando 2", callVersion: 2, version: 2 });
  });
});
