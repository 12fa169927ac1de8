// Course suggestions for adopted teams. The consumers keep a small projection of ideas (ideas topic) and
// their adoptions (adoption topic); the suggestions themselves are computed when read, from that
// projection and the published catalogue: a course published or archived later is in (or out of) the
// next answer without any recomputation to keep in step, and one read is two indexed queries per idea.
//
// At-least-once delivery: every handler records the event id with its effect in the same write, and a
// fact the projection already holds only records the id (no new version). Out of order: an idea snapshot
// older than the stored one is ignored (its version is the ideas service's); an adoption that arrives
// before its idea's publication is kept on a placeholder the publication fills in; an end for another
// adoption than the stored one, or for an idea never seen, changes nothing.
import { ForbiddenError, NotFoundError } from "@lto/errors";
import { rankSuggestions, type Audience } from "../domain/index.js";
import { requireRole, type Viewer } from "./access.js";
import type { IdeaAdoption, Page, PageRequest, Ports, TeamIdea, TeamIdeaProjection } from "./ports.js";

/** An idea as published (IdeaPublished), at its version in the ideas service. */
export interface PublishedIdeaFact {
  eventId: string;
  idea: Omit<TeamIdea, "status" | "adoption" | "version">;
}
export interface IdeaWithdrawnFact {
  eventId: string;
  ideaId: string;
  ideaVersion: number;
}
export interface IdeaAdoptedFact {
  eventId: string;
  ideaId: string;
  schoolId: string;
  adoption: IdeaAdoption;
}
export interface AdoptionEndedFact {
  eventId: string;
  ideaId: string;
  adoptionId: string;
}

/** The audiences a team's suggestions are for: the students, and their teacher (the referent). */
export const TEAM_AUDIENCES = { students: "students", referent: "teachers" } as const satisfies Record<
  string,
  Audience
>;

const ATTEMPTS = 10;
const PLACEHOLDER: Omit<TeamIdea, "id" | "schoolId" | "adoption"> = {
  ideaVersion: 0,
  status: "unknown",
  teamId: "",
  teamName: "",
  title: "",
  area: "",
  technologies: [],
  district: "",
  version: 1,
};

/** The writes the ideas' copy needs: the stored projection, or a rebuild's fold in memory. */
export type TeamIdeaWrites = Pick<
  TeamIdeaProjection,
  "get" | "hasProcessed" | "insert" | "update" | "markProcessed"
>;

/** What the ideas and adoption events do to the copy of ideas (the live consumer's, and a rebuild's). */
export function teamIdeaEvents(teamIdeas: TeamIdeaWrites) {
  /**
   * Applies `change` to the stored idea (undefined when missing) unless this event was applied: the
   * result is inserted or written with the event id; `undefined` means nothing changes (only the id is
   * recorded). Retries when another write got there first.
   */
  async function apply(
    ideaId: string,
    eventId: string,
    change: (current: TeamIdea | undefined) => TeamIdea | undefined,
  ): Promise<void> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const current = await teamIdeas.get(ideaId);
      if (current && (await teamIdeas.hasProcessed(ideaId, eventId))) return;
      const next = change(current);
      if (!next) {
        if (current) await teamIdeas.markProcessed(ideaId, eventId);
        return;
      }
      const written = current
        ? await teamIdeas.update({ ...next, version: current.version }, eventId)
        : await teamIdeas.insert({ ...next, version: 1 }, eventId);
      if (written) return;
    }
    throw new Error(`idea ${ideaId}: the suggestions projection kept changing; the consumer will retry`);
  }

  const handlers = {
    ideaPublished: (fact: PublishedIdeaFact) =>
      apply(fact.idea.id, fact.eventId, (current) => {
        if (current && current.ideaVersion >= fact.idea.ideaVersion) return undefined;
        return {
          ...fact.idea,
          status: "published",
          adoption: current?.adoption ?? null,
          version: current?.version ?? 1,
        };
      }),
    ideaWithdrawn: (fact: IdeaWithdrawnFact) =>
      apply(fact.ideaId, fact.eventId, (current) => {
        // Never published here (or not newer): nothing to withdraw.
        if (!current || current.ideaVersion >= fact.ideaVersion) return undefined;
        return { ...current, status: "withdrawn", ideaVersion: fact.ideaVersion };
      }),
    ideaAdopted: (fact: IdeaAdoptedFact) =>
      apply(fact.ideaId, fact.eventId, (current) => {
        if (current?.adoption?.adoptionId === fact.adoption.adoptionId) return undefined;
        return current
          ? { ...current, adoption: fact.adoption }
          : { ...PLACEHOLDER, id: fact.ideaId, schoolId: fact.schoolId, adoption: fact.adoption };
      }),
    adoptionEnded: (fact: AdoptionEndedFact) =>
      apply(fact.ideaId, fact.eventId, (current) => {
        if (!current || current.adoption?.adoptionId !== fact.adoptionId) return undefined;
        return { ...current, adoption: null };
      }),
  };
  return handlers;
}
export type TeamIdeaEventHandlers = ReturnType<typeof teamIdeaEvents>;

export function suggestionUseCases({ teamIdeas, suggestionCatalogue }: Ports) {
  const handlers = teamIdeaEvents(teamIdeas);

  async function suggestionsFor(idea: TeamIdea) {
    const audiences = [TEAM_AUDIENCES.students, TEAM_AUDIENCES.referent];
    const courses = await suggestionCatalogue.publishedFor(idea.area, audiences);
    const sessions = await suggestionCatalogue.openSessions(courses.map((c) => c.id));
    return {
      teamId: idea.teamId,
      teamName: idea.teamName,
      schoolId: idea.schoolId,
      ideaId: idea.id,
      ideaTitle: idea.title,
      area: idea.area,
      district: idea.district,
      technologies: idea.technologies,
      adoption: idea.adoption!,
      students: rankSuggestions(idea, TEAM_AUDIENCES.students, courses, sessions),
      referent: rankSuggestions(idea, TEAM_AUDIENCES.referent, courses, sessions),
    };
  }

  async function suggestionsPage(ideas: Page<TeamIdea>) {
    return {
      items: await Promise.all(ideas.items.map(suggestionsFor)),
      ...(ideas.nextCursor ? { nextCursor: ideas.nextCursor } : {}),
    };
  }

  return {
    ideaEvents: handlers,

    /** A team's suggestions, per adopted idea: the school that owns the team, staff, programme, admin. */
    async forTeam(viewer: Viewer, teamId: string, page: PageRequest) {
      const me = requireRole(viewer, "school", "staff", "programme", "admin");
      const known = await teamIdeas.anyOfTeam(teamId);
      if (!known) throw new NotFoundError("team", teamId);
      if (me.role === "school" && known.schoolId !== me.organisationId)
        throw new ForbiddenError(
          "This team belongs to another school: a school sees its own teams' suggestions",
        );
      return { teamId, ...(await suggestionsPage(await teamIdeas.adopted({ teamId }, page))) };
    },

    /** Every adopted team of the caller's school. */
    async mine(viewer: Viewer, page: PageRequest) {
      const me = requireRole(viewer, "school");
      return suggestionsPage(await teamIdeas.adopted({ schoolId: me.organisationId }, page));
    },
  };
}
