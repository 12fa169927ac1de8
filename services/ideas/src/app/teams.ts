import { NotFoundError } from "@lto/errors";
import {
  createTeam,
  eraseMember,
  findMember,
  membersLackingConsent,
  recordParentalConsent,
  requireConsentWhilePublic,
  updateTeam,
  type Idea,
  type IdeaEvent,
  type LocalDate,
  type Team,
  type TeamInput,
} from "../domain/index.js";
import { actor, OVERSEERS, requireOwnSchool, requireReadTeam, requireRole, type Viewer } from "./access.js";
import { checkVersion } from "./calls.js";
import type { Ports } from "./ports.js";
import { teamView } from "./views.js";

export function teamUseCases({ teams, ideas, calls, clock, ids }: Ports) {
  async function load(id: string): Promise<Team> {
    const team = await teams.get(id);
    if (!team) throw new NotFoundError("team", id);
    return team;
  }

  async function ideasOfTeam(teamId: string): Promise<Idea[]> {
    const found: Idea[] = [];
    let cursor: string | undefined;
    do {
      const page = await ideas.list({ filters: { teamId }, scopes: "all", cursor, limit: 100 });
      found.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return found;
  }

  return {
    async register(viewer: Viewer, input: TeamInput) {
      const me = requireRole(viewer, "school");
      const team = createTeam(
        input,
        { team: ids.newId(), newMemberId: () => ids.newId() },
        actor(me),
        clock.now(),
      );
      await teams.insert(team);
      return team;
    },

    async update(viewer: Viewer, id: string, input: TeamInput, ifMatch: number) {
      const current = await load(id);
      requireOwnSchool(viewer, current.schoolId);
      checkVersion("team", current.version, ifMatch);
      const next = updateTeam(current, input, () => ids.newId(), clock.now());
      if (membersLackingConsent(next).length > 0) requireConsentWhilePublic(next, await ideasOfTeam(id));
      return teams.update(next);
    },

    async recordConsent(viewer: Viewer, id: string, memberId: string, day: LocalDate, ifMatch?: number) {
      const current = await load(id);
      requireOwnSchool(viewer, current.schoolId);
      checkVersion("team", current.version, ifMatch);
      return teams.update(recordParentalConsent(current, memberId, day, clock.now()));
    },

    async get(viewer: Viewer, id: string) {
      const team = await load(id);
      requireReadTeam(viewer, team);
      return teamView(team, viewer);
    },

    async list(viewer: Viewer, filter: { schoolYear?: string; cursor?: string; limit: number }) {
      const me = requireRole(viewer, "school", ...OVERSEERS);
      const schoolId = me.role === "school" ? me.organisationId : undefined;
      const page = await teams.list({ ...filter, ...(schoolId ? { schoolId } : {}) });
      return { items: page.items.map((team) => teamView(team, viewer)), nextCursor: page.nextCursor };
    },

    /** Everything held about one student: their member record, their team and the team's ideas. */
    async exportMember(viewer: Viewer, id: string, memberId: string) {
      const team = await load(id);
      requireOwnSchool(viewer, team.schoolId);
      const member = findMember(team, memberId);
      const { members: _members, ...teamDetails } = team;
      const teamIdeas = await ideasOfTeam(team.id);
      return {
        exportedAt: clock.now(),
        member,
        team: teamDetails,
        ideas: teamIdeas.map((idea) => ({
          id: idea.id,
          callId: idea.callId,
          title: idea.title,
          summary: idea.summary,
          problem: idea.problem,
          solution: idea.solution,
          state: idea.state,
          history: idea.history,
          createdAt: idea.createdAt,
        })),
      };
    },

    /**
     * Erases a student. Projections elsewhere hold the team's pseudonyms, so every published idea of
     * the team is re-published with the placeholder in its place.
     */
    async eraseMember(viewer: Viewer, id: string, memberId: string) {
      const current = await load(id);
      requireOwnSchool(viewer, current.schoolId);
      const now = clock.now();
      const erased = eraseMember(current, memberId, now);
      if (erased === current) return current;
      const saved = await teams.update(erased);
      for (const idea of await ideasOfTeam(saved.id)) {
        if (idea.state !== "published") continue;
        const call = await calls.get(idea.callId);
        if (!call) continue;
        const event: IdeaEvent = { type: "IdeaPublished", idea, team: saved, call, at: now };
        await ideas.update({ ...idea, updatedAt: now }, [event]);
      }
      return saved;
    },

    load,
  };
}
