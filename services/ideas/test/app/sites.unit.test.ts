// Staff act only at their sites: the rule, a new call's site, and the use cases asking it before acting.
import type { Identity, Role } from "@lto/auth";
import { ForbiddenError, UnauthenticatedError, ValidationError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import { canActAtSite, canReadIdea, requireSiteStaff, siteForNewCall } from "../../src/app/access.js";
import { callUseCases } from "../../src/app/calls.js";
import { ideaUseCases } from "../../src/app/ideas.js";
import type { Ports } from "../../src/app/ports.js";
import type { Call, Idea, Team } from "../../src/domain/index.js";
import { aCall, anIdea, aTeam, callInput, during, evaluator } from "../fixtures.js";

function viewer(role: Role, sites: string[] = [], subject = `${role}-user`): Identity {
  return { subject, role, organisationId: "provincia-mn", sites, token: "t" };
}

const mantova = viewer("staff", ["lto-mantova"]);
const viadana = viewer("staff", ["lto-viadana"]);
const both = viewer("staff", ["lto-viadana", "lto-mantova"]);
const admin = viewer("admin");

describe("acting at a site", () => {
  it("lets staff act at their sites and admins anywhere, nobody else", () => {
    expect(canActAtSite(mantova, "lto-mantova")).toBe(true);
    expect(canActAtSite(both, "lto-mantova")).toBe(true);
    expect(canActAtSite(admin, "lto-mantova")).toBe(true);
    expect(canActAtSite(viadana, "lto-mantova")).toBe(false);
    expect(canActAtSite(viewer("staff"), "lto-mantova")).toBe(false);
    // A site in another role's token gives no staff rights.
    expect(canActAtSite(viewer("programme", ["lto-mantova"]), "lto-mantova")).toBe(false);
    expect(canActAtSite(viewer("school", ["lto-mantova"]), "lto-mantova")).toBe(false);
    expect(canActAtSite(undefined, "lto-mantova")).toBe(false);
  });

  it("refuses with 403 naming the site, 401 when anonymous", () => {
    expect(requireSiteStaff(mantova, "lto-mantova")).toBe(mantova);
    expect(() => requireSiteStaff(viadana, "lto-mantova")).toThrow(ForbiddenError);
    expect(() => requireSiteStaff(viadana, "lto-mantova")).toThrow(
      /site lto-mantova.*you work at lto-viadana/,
    );
    expect(() => requireSiteStaff(viewer("staff"), "lto-mantova")).toThrow(/your token names no site/);
    expect(() => requireSiteStaff(viewer("programme"), "lto-mantova")).toThrow(
      /needs the role staff or admin/,
    );
    expect(() => requireSiteStaff(undefined, "lto-mantova")).toThrow(UnauthenticatedError);
  });

  it("keeps reading open to staff of every site, so acting elsewhere is a 403, not a 404", () => {
    const submitted = anIdea("submitted");
    expect(submitted.site).toBe("lto-mantova");
    expect(canReadIdea(viadana, submitted)).toBe(true);
  });
});

describe("the site of a new call", () => {
  it("is the one named, else the only site of the staff member creating it", () => {
    expect(siteForNewCall(viadana, "lto-mantova")).toBe("lto-mantova");
    expect(siteForNewCall(viadana, undefined)).toBe("lto-viadana");
    expect(siteForNewCall(viewer("staff", ["lto-viadana", "sportello-x"]), undefined)).toBe("lto-viadana");
  });

  it("must be named by admins and staff of several sites, and be a site of the LTO", () => {
    const pathOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        if (error instanceof ValidationError) return error.issues.map((i) => i.path);
        throw error;
      }
      throw new Error("expected a ValidationError");
    };
    expect(pathOf(() => siteForNewCall(admin, undefined))).toEqual(["site"]);
    expect(pathOf(() => siteForNewCall(both, undefined))).toEqual(["site"]);
    expect(pathOf(() => siteForNewCall(viewer("staff"), undefined))).toEqual(["site"]);
    expect(pathOf(() => siteForNewCall(mantova, "lto-milano"))).toEqual(["site"]);
  });
});

/** Ports kept in maps: enough for the use cases that act on calls and ideas. */
function memoryPorts(seed: { calls?: Call[]; teams?: Team[]; ideas?: Idea[] } = {}) {
  const calls = new Map((seed.calls ?? []).map((c) => [c.id, c]));
  const teams = new Map((seed.teams ?? []).map((t) => [t.id, t]));
  const ideas = new Map((seed.ideas ?? []).map((i) => [i.id, i]));
  let next = 0;
  const bump = <T extends { id: string; version: number }>(map: Map<string, T>, item: T): T => {
    const saved = { ...item, version: item.version + 1 };
    map.set(item.id, saved);
    return saved;
  };
  const ports: Ports = {
    calls: {
      get: async (id) => calls.get(id),
      getMany: async (ids) => ids.flatMap((id) => calls.get(id) ?? []),
      list: async () => ({ items: [...calls.values()] }),
      insert: async (call) => void calls.set(call.id, call),
      update: async (call) => bump(calls, call),
    },
    teams: {
      get: async (id) => teams.get(id),
      getMany: async (ids) => ids.flatMap((id) => teams.get(id) ?? []),
      list: async () => ({ items: [...teams.values()] }),
      insert: async (team) => void teams.set(team.id, team),
      update: async (team) => bump(teams, team),
    },
    ideas: {
      get: async (id) => ideas.get(id),
      list: async () => ({ items: [...ideas.values()] }),
      insert: async (idea) => void ideas.set(idea.id, idea),
      update: async (idea) => bump(ideas, idea),
      hasProcessed: async () => false,
      markProcessed: async () => undefined,
    },
    clock: { now: () => during.evaluation },
    ids: { newId: () => `id-${++next}` },
  };
  return { ports, calls, ideas };
}

describe("use cases at a site", () => {
  it("creates a call at the creator's site and lets only that site's staff change it", async () => {
    const { ports, calls } = memoryPorts();
    const cases = callUseCases(ports);
    const { site: _site, ...withoutSite } = callInput();
    const created = await cases.create(viadana, withoutSite);
    expect(created.site).toBe("lto-viadana");
    await expect(cases.create(viadana, callInput({ site: "lto-mantova" }))).rejects.toThrow(ForbiddenError);
    await expect(cases.update(mantova, created.id, withoutSite, 1)).rejects.toThrow(ForbiddenError);
    expect(calls.get(created.id)!.version).toBe(1);
    expect((await cases.update(admin, created.id, { ...withoutSite, title: "Rinominata" }, 1)).title).toBe(
      "Rinominata",
    );
  });

  it("lets staff of another site read an idea but not review it, and changes nothing", async () => {
    const call = aCall();
    const team = aTeam();
    const idea = anIdea("under_review");
    const { ports, ideas } = memoryPorts({ calls: [call], teams: [team], ideas: [idea] });
    const cases = ideaUseCases(ports);
    expect((await cases.get(viadana, idea.id)).id).toBe(idea.id);
    const attempts = [
      () => cases.startReview(viadana, idea.id),
      () => cases.assignEvaluators(viadana, idea.id, [evaluator.subject]),
      () => cases.draftAnswer(viadana, idea.id, "Risposta interna"),
      () => cases.publish(viadana, idea.id, "Pubblicata"),
      () => cases.reject(viadana, idea.id, "Non ora"),
      () => cases.requestChanges(viadana, idea.id, "Più dettagli"),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toThrow(ForbiddenError);
    expect(ideas.get(idea.id)).toBe(idea);
    expect((await cases.draftAnswer(both, idea.id, "Risposta interna")).answer).toBe("Risposta interna");
  });
});
