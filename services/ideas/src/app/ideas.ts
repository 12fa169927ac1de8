import { ForbiddenError, NotFoundError } from "@lto/errors";
import {
  adoptability,
  assignEvaluators,
  createIdea,
  draftAnswer,
  editIdea,
  panelOrganisations,
  phaseStartInstant,
  publishIdea,
  rejectIdea,
  requireConsentToAdopt,
  requestChanges,
  scoreIdea,
  startReview,
  submitIdea,
  withdrawIdea,
  type Call,
  type Idea,
  type IdeaChange,
  type IdeaContent,
  type IdeaState,
  type NewIdea,
  type Scores,
  type Team,
} from "../domain/index.js";
import {
  actor,
  ideaScopes,
  canReadIdea,
  isAssignedEvaluator,
  requireOwnSchool,
  requireOwnTeam,
  requireReadIdea,
  requireRole,
  requireSiteStaff,
  signedIn,
  type Viewer,
} from "./access.js";
import { callUseCases, checkVersion } from "./calls.js";
import type { IdeaFilters, Ports } from "./ports.js";
import { searchTokens } from "./search.js";
import { teamUseCases } from "./teams.js";
import { ideaView } from "./views.js";

export interface IdeaListFilters extends Omit<IdeaFilters, "words" | "evaluator"> {
  q?: string;
  /** "me": only ideas the viewer is assigned to evaluate. */
  evaluator?: "me";
  cursor?: string;
  limit: number;
}

export type NotAdoptableReason =
  | "not_published"
  | "withdrawn"
  | "already_adopted"
  | "adoption_phase_not_started"
  | "adoption_phase_ended"
  | "conflict_of_interest";

export function ideaUseCases(ports: Ports) {
  const { ideas, teams, clock, ids } = ports;
  const callCases = callUseCases(ports);
  const teamCases = teamUseCases(ports);

  async function load(id: string): Promise<Idea> {
    const idea = await ideas.get(id);
    if (!idea) throw new NotFoundError("idea", id);
    return idea;
  }

  async function save(change: IdeaChange): Promise<Idea> {
    return ideas.update(change.idea, change.events);
  }

  /** Loads the idea, checks the caller's version and hands the command its context. */
  async function command(
    viewer: Viewer,
    id: string,
    ifMatch: number | undefined,
    authorise: (idea: Idea) => void,
    run: (idea: Idea, context: { call: Call; team: Team; now: Date }) => IdeaChange,
  ): Promise<Idea> {
    const idea = await load(id);
    // Access before anything else: an idea the viewer cannot read answers like an unknown id.
    requireReadIdea(viewer, idea);
    authorise(idea);
    checkVersion("idea", idea.version, ifMatch);
    const [call, team] = await Promise.all([callCases.load(idea.callId), teamCases.load(idea.teamId)]);
    return save(run(idea, { call, team, now: clock.now() }));
  }

  async function view(viewer: Viewer, idea: Idea) {
    return ideaView(idea, viewer, await teams.get(idea.teamId));
  }

  const own = (viewer: Viewer) => (idea: Idea) => requireOwnSchool(viewer, idea.schoolId);
  // Review and publication belong to the staff of the idea's site (admins stand in anywhere).
  const staffOnly = (viewer: Viewer) => (idea: Idea) => requireSiteStaff(viewer, idea.site);

  return {
    async create(viewer: Viewer, input: NewIdea & { callId: string; teamId: string }) {
      const me = requireRole(viewer, "school");
      const team = await teamCases.load(input.teamId);
      requireOwnTeam(me, team);
      const call = await callCases.load(input.callId);
      const { callId: _callId, teamId: _teamId, ...content } = input;
      const { idea, events } = createIdea(content, {
        id: ids.newId(),
        call,
        team,
        by: actor(me),
        now: clock.now(),
      });
      await ideas.insert(idea, events);
      return ideaView(idea, viewer, team);
    },

    async edit(viewer: Viewer, id: string, changes: Partial<IdeaContent>, ifMatch: number) {
      const saved = await command(viewer, id, ifMatch, own(viewer), (idea, { now }) =>
        editIdea(idea, changes, now),
      );
      return view(viewer, saved);
    },

    async submit(viewer: Viewer, id: string, ifMatch?: number) {
      const me = signedIn(viewer);
      const saved = await command(viewer, id, ifMatch, own(viewer), (idea, context) =>
        submitIdea(idea, { ...context, by: actor(me) }),
      );
      return view(viewer, saved);
    },

    async withdraw(viewer: Viewer, id: string, reason: string, ifMatch?: number) {
      const me = signedIn(viewer);
      const saved = await command(viewer, id, ifMatch, own(viewer), (idea, { now }) =>
        withdrawIdea(idea, { reason, by: actor(me), now }),
      );
      return view(viewer, saved);
    },

    async startReview(viewer: Viewer, id: string, ifMatch?: number) {
      const saved = await command(viewer, id, ifMatch, staffOnly(viewer), (idea, { now }) =>
        startReview(idea, actor(signedIn(viewer)), now),
      );
      return view(viewer, saved);
    },

    async assignEvaluators(viewer: Viewer, id: string, subjects: string[], ifMatch?: number) {
      const saved = await command(viewer, id, ifMatch, staffOnly(viewer), (idea, { call, now }) =>
        assignEvaluators(idea, call, subjects, actor(signedIn(viewer)), now),
      );
      return view(viewer, saved);
    },

    async score(viewer: Viewer, id: string, scores: Scores, notes?: string, ifMatch?: number) {
      const me = signedIn(viewer);
      const saved = await command(
        viewer,
        id,
        ifMatch,
        (idea) => {
          if (!isAssignedEvaluator(me, idea))
            throw new ForbiddenError("Only the evaluators assigned to this idea can score it");
        },
        (idea, { call, now }) =>
          scoreIdea(idea, {
            call,
            evaluator: actor(me),
            scores,
            now,
            ...(notes === undefined ? {} : { notes }),
          }),
      );
      return view(viewer, saved);
    },

    async draftAnswer(viewer: Viewer, id: string, answer: string, ifMatch?: number) {
      const saved = await command(viewer, id, ifMatch, staffOnly(viewer), (idea, { now }) =>
        draftAnswer(idea, answer, now),
      );
      return view(viewer, saved);
    },

    async publish(viewer: Viewer, id: string, answer?: string, ifMatch?: number) {
      const saved = await command(viewer, id, ifMatch, staffOnly(viewer), (idea, context) =>
        publishIdea(idea, {
          ...context,
          by: actor(signedIn(viewer)),
          ...(answer === undefined ? {} : { answer }),
        }),
      );
      return view(viewer, saved);
    },

    async reject(viewer: Viewer, id: string, answer?: string, ifMatch?: number) {
      const saved = await command(viewer, id, ifMatch, staffOnly(viewer), (idea, { now }) =>
        rejectIdea(idea, { by: actor(signedIn(viewer)), now, ...(answer === undefined ? {} : { answer }) }),
      );
      return view(viewer, saved);
    },

    async requestChanges(viewer: Viewer, id: string, reason: string, ifMatch?: number) {
      const saved = await command(viewer, id, ifMatch, staffOnly(viewer), (idea, { now }) =>
        requestChanges(idea, { reason, by: actor(signedIn(viewer)), now }),
      );
      return view(viewer, saved);
    },

    async get(viewer: Viewer, id: string) {
      const idea = await load(id);
      requireReadIdea(viewer, idea);
      return view(viewer, idea);
    },

    /** Raw ideas the viewer may read, for the gRPC edge which shapes its own messages. */
    async read(viewer: Viewer, id: string): Promise<{ idea: Idea; team?: Team; call?: Call }> {
      signedIn(viewer); // gRPC callers always say who they are
      const idea = await load(id);
      requireReadIdea(viewer, idea);
      const [team, call] = await Promise.all([teams.get(idea.teamId), ports.calls.get(idea.callId)]);
      return { idea, ...(team ? { team } : {}), ...(call ? { call } : {}) };
    },

    async list(viewer: Viewer, filters: IdeaListFilters) {
      const page = await listIdeas(viewer, filters);
      const teamsById = new Map(
        (await teams.getMany([...new Set(page.items.map((i) => i.teamId))])).map((t) => [t.id, t]),
      );
      return {
        items: page.items.map((idea) => ideaView(idea, viewer, teamsById.get(idea.teamId))),
        nextCursor: page.nextCursor,
      };
    },

    async listPublished(viewer: Viewer, filters: IdeaListFilters) {
      signedIn(viewer);
      const page = await listIdeas(viewer, { ...filters, state: "published" as IdeaState });
      const [teamList, callList] = await Promise.all([
        teams.getMany([...new Set(page.items.map((i) => i.teamId))]),
        ports.calls.getMany([...new Set(page.items.map((i) => i.callId))]),
      ]);
      const teamsById = new Map(teamList.map((t) => [t.id, t]));
      const callsById = new Map(callList.map((c) => [c.id, c]));
      return {
        items: page.items.map((idea) => ({
          idea,
          team: teamsById.get(idea.teamId),
          call: callsById.get(idea.callId),
        })),
        nextCursor: page.nextCursor,
      };
    },

    /** The adoption service's fresh check before it accepts an offer. */
    async checkAdoptable(viewer: Viewer, id: string, companyId?: string) {
      signedIn(viewer);
      const idea = await load(id);
      // Access first: an idea never public that the caller cannot read answers like an unknown id. One
      // that was published (now withdrawn or adopted) is still answered, with its reason.
      if (!canReadIdea(viewer, idea) && !idea.history.some((entry) => entry.to === "published"))
        throw new NotFoundError("idea", id);
      const [call, team] = await Promise.all([callCases.load(idea.callId), teamCases.load(idea.teamId)]);
      // Refused outright, not "not adoptable": no company may take a minor's work without consent.
      if (idea.state === "published") requireConsentToAdopt(team);
      const now = clock.now();
      const { adoptable, reason: detail } = adoptability(idea, call, now);
      let reason: NotAdoptableReason | undefined;
      if (!adoptable) {
        if (idea.state === "withdrawn") reason = "withdrawn";
        else if (idea.state === "adopted" || idea.state === "completed") reason = "already_adopted";
        else if (idea.state !== "published") reason = "not_published";
        else if (now < phaseStartInstant(call, "adoption")) reason = "adoption_phase_not_started";
        else reason = "adoption_phase_ended";
      } else if (companyId && panelOrganisations(call).includes(companyId)) {
        const detail = `company ${companyId} has people on the call's evaluation panel`;
        return { idea, call, now, adoptable: false, reason: "conflict_of_interest" as const, detail };
      }
      return { idea, call, now, adoptable, reason, detail };
    },

    load,
  };

  async function listIdeas(viewer: Viewer, filters: IdeaListFilters) {
    const { q, evaluator, cursor, limit, ...rest } = filters;
    if (evaluator && !viewer) signedIn(viewer);
    const words = q ? searchTokens(q) : [];
    return ideas.list({
      filters: {
        ...rest,
        ...(words.length ? { words } : {}),
        ...(evaluator ? { evaluator: viewer!.subject } : {}),
      },
      scopes: ideaScopes(viewer),
      limit,
      ...(cursor ? { cursor } : {}),
    });
  }
}
