import { NotFoundError, PreconditionFailedError, UnavailableError } from "@lto/errors";
import {
  completeErasure,
  createTeam,
  eraseMember,
  eraseMemberFromIdea,
  findMember,
  membersLackingConsent,
  recordParentalConsent,
  requireConsentWhilePublic,
  schoolTeam,
  updateTeam,
  type Idea,
  type LocalDate,
  type Team,
  type TeamInput,
} from "../domain/index.js";
import { actor, OVERSEERS, requireOwnTeam, requireReadTeam, requireRole, type Viewer } from "./access.js";
import { checkVersion } from "./calls.js";
import type { Ports, StudentAdoption } from "./ports.js";
import { teamView } from "./views.js";

/** A write without If-Match on a document others may be writing: reload and redo a few times. */
async function retryRaces<T>(attempt: () => Promise<T>, tries = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      if (i >= tries)
        throw new UnavailableError("The team is being changed by others right now; retry shortly", 1);
    }
  }
}

export function teamUseCases({ teams, ideas, calls, clock, ids, adoption }: Ports) {
  /** Applies a change to the team as stored now (no If-Match); writes only if it changed anything. */
  async function onFreshCopy(id: string, change: (team: Team) => Team): Promise<Team> {
    return retryRaces(async () => {
      const current = await load(id);
      const next = change(current);
      return next === current ? current : teams.update(next);
    });
  }

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
      requireOwnTeam(viewer, current);
      checkVersion("team", current.version, ifMatch);
      const next = updateTeam(current, input, () => ids.newId(), clock.now());
      if (membersLackingConsent(next).length > 0) requireConsentWhilePublic(next, await ideasOfTeam(id));
      return schoolTeam(await teams.update(next));
    },

    async recordConsent(viewer: Viewer, id: string, memberId: string, day: LocalDate, ifMatch?: number) {
      const current = await load(id);
      requireOwnTeam(viewer, current);
      checkVersion("team", current.version, ifMatch);
      return schoolTeam(await teams.update(recordParentalConsent(current, memberId, day, clock.now())));
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

    /**
     * Everything held about one student on the platform: their member record, their team, the team's
     * ideas and, for ideas that were adopted, what the adoption service holds about them (commitment
     * records naming them, PCTO hours). 503 when the adoption service cannot answer: an export that
     * silently left it out would not be complete.
     */
    async exportMember(viewer: Viewer, id: string, memberId: string) {
      const team = await load(id);
      const me = requireOwnTeam(viewer, team);
      const member = findMember(team, memberId);
      const { members: _members, pendingErasures: _pending, ...teamDetails } = team;
      const teamIdeas = await ideasOfTeam(team.id);
      const everAdopted = teamIdeas.filter((idea) => idea.history.some((entry) => entry.to === "adopted"));
      let adoptions: StudentAdoption[] = [];
      if (everAdopted.length > 0) {
        if (!adoption)
          throw new UnavailableError("The adoption service is not reachable from here; retry later");
        adoptions = await adoption.exportStudent(
          everAdopted.map((idea) => idea.id),
          member.pseudonym,
          me.token,
        );
      }
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
        adoptions,
      };
    },

    /**
     * Erases a student everywhere, as one retryable operation. The team write replaces the student by a
     * placeholder and records the erasure as pending in the same update; then every idea of the team
     * announces it once (TeamMemberErased, and a public idea is re-published), which is how the
     * adoption service and any projection learn it; then the pending record (the last copy of the old
     * pseudonym) is dropped. A failure part-way leaves the erasure pending, and a retry finishes it.
     * Takes no If-Match: the school asks for an outcome, so a race with another writer is retried here.
     */
    async eraseMember(viewer: Viewer, id: string, memberId: string) {
      const stored = await load(id);
      const me = requireOwnTeam(viewer, stored);
      findMember(stored, memberId);
      const now = clock.now();
      let team = await onFreshCopy(id, (current) => eraseMember(current, memberId, now, me.subject));
      for (const erasure of team.pendingErasures ?? []) {
        for (const { id: ideaId } of await ideasOfTeam(team.id)) {
          await retryRaces(async () => {
            const idea = await ideas.get(ideaId);
            if (!idea) return;
            const call = await calls.get(idea.callId);
            if (!call) return;
            const change = eraseMemberFromIdea(idea, { team, call, erasure, now });
            if (change) await ideas.update(change.idea, change.events);
          });
        }
        team = await onFreshCopy(id, (current) => completeErasure(current, erasure.memberId));
      }
      return schoolTeam(team);
    },

    load,
  };
}
