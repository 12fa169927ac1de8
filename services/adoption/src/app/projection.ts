// Handlers for the ideas service's events: the local projection of published ideas and calls, and
// the cancellation of holds and offers of a withdrawn idea. Each handler is idempotent: a snapshot
// older than the stored idea/call version is ignored, and cancelling only touches open things.
import type { ideasEventsV1, ideasV1 } from "@lto/contracts";
import { PreconditionFailedError } from "@lto/errors";
import { cancelHold, cancelOffer, renamePseudonym, type EconomicArea, type Need } from "../domain/index.js";
import type { Deps } from "./context.js";
import { events } from "./contract.js";
import type { CallView, IdeaView } from "./ports.js";

const AREAS: Record<string, EconomicArea> = {
  ECONOMIC_AREA_AGROALIMENTARE: "agroalimentare",
  ECONOMIC_AREA_MANIFATTURA: "manifattura",
  ECONOMIC_AREA_MECCANICA: "meccanica",
  ECONOMIC_AREA_CULTURA: "cultura",
  ECONOMIC_AREA_TURISMO: "turismo",
  ECONOMIC_AREA_SERVIZI_COMMERCIALI: "servizi_commerciali",
  ECONOMIC_AREA_SERVIZI_PERSONA: "servizi_persona",
};
const NEEDS: Record<string, Need> = {
  NEED_MENTORING: "mentoring",
  NEED_INTERNSHIPS: "internships",
  NEED_FUNDING: "funding",
  NEED_EQUIPMENT: "equipment",
};
const date = (s: string | undefined) => (s ? new Date(s) : null);

export function ideaView(idea: ideasV1.Idea): Omit<IdeaView, "adoption"> {
  return {
    id: idea.id,
    callId: idea.callId,
    callTitle: idea.callTitle,
    schoolYear: idea.schoolYear,
    schoolId: idea.schoolId,
    schoolName: idea.schoolName,
    title: idea.title,
    summary: idea.summary,
    problem: idea.problem,
    solution: idea.solution,
    area: AREAS[idea.economicArea] ?? "unspecified",
    technologies: idea.technologies,
    district: idea.district,
    needs: idea.needs.map((n) => NEEDS[n]).filter((n): n is Need => n !== undefined),
    teamName: idea.teamName,
    memberPseudonyms: idea.memberPseudonyms,
    attachments: idea.attachments.map((a) => ({ title: a.title, url: a.url })),
    challengeCompanyId: idea.challengeCompanyId,
    status: "published",
    publishedAt: date(idea.publishedAt),
    ideaVersion: idea.version,
  };
}

export function callView(call: ideasV1.Call): CallView {
  return {
    id: call.id,
    title: call.title,
    panelOrganisationIds: call.panelOrganisationIds,
    adoptionStartsAt: date(call.adoption?.startsAt),
    adoptionEndsAt: date(call.adoption?.endsAt),
    callVersion: call.version,
  };
}

/** Pure projection effects (also used by the rebuild, which must not repeat side effects). */
export function projectionHandlers(
  p: Pick<Deps["projection"], "apply" | "markWithdrawn" | "applyCall" | "renamePseudonym">,
) {
  return {
    async ideaPublished(m: ideasEventsV1.IdeaPublished) {
      if (m.idea)
        await p.apply({ ...ideaView(m.idea), id: m.ideaId, ideaVersion: m.version || m.idea.version });
    },
    async ideaWithdrawn(m: ideasEventsV1.IdeaWithdrawn) {
      await p.markWithdrawn(m.ideaId, m.version);
    },
    /** A student was erased: the browse list keeps only the placeholder. */
    async teamMemberErased(m: ideasEventsV1.TeamMemberErased) {
      if (m.previousPseudonym) await p.renamePseudonym(m.ideaId, m.previousPseudonym, m.pseudonym);
    },
    async callChanged(m: ideasEventsV1.CallCreated | ideasEventsV1.CallUpdated) {
      if (m.call)
        await p.applyCall({ ...callView(m.call), id: m.callId, callVersion: m.version || m.call.version });
    },
  };
}

export function ideaEventHandlers(d: Deps) {
  const projection = projectionHandlers(d.projection);
  return {
    ...projection,
    /** Withdrawn: drop from browsing and cancel the idea's active hold and open offers. */
    async ideaWithdrawn(m: ideasEventsV1.IdeaWithdrawn) {
      await projection.ideaWithdrawn(m);
      const now = d.clock.now();
      const meta = (version: number) => ({ now, actor: m.actorSubject || "system", version });
      const hold = await d.holds.findActive(m.ideaId);
      if (hold) {
        const c = cancelHold(hold, now);
        await d.holds.endIfActive(c, [
          events.holdLapsed(c, "HOLD_END_REASON_IDEA_WITHDRAWN", meta(hold.version + 1)),
        ]);
      }
      for (const o of await d.offers.listOpenByIdea(m.ideaId)) {
        const c = cancelOffer(
          o,
          now,
          m.reason ? `The school withdrew the idea: ${m.reason}` : "The school withdrew the idea",
        );
        await d.offers.transition(c, "open", [
          events.offerDeclined(c, "OFFER_DECLINE_REASON_IDEA_WITHDRAWN", meta(o.version + 1)),
        ]);
      }
      d.nudge?.();
    },
    /**
     * A student was erased: the projection and every adoption of the idea (team and commitment records)
     * keep only the placeholder. Idempotent: once renamed, the old pseudonym is found nowhere.
     */
    async teamMemberErased(m: ideasEventsV1.TeamMemberErased) {
      await projection.teamMemberErased(m);
      if (!m.previousPseudonym) return;
      const page = await d.adoptions.list({ ideaId: m.ideaId }, { limit: 100 });
      for (const stored of page.items) {
        let a = stored;
        for (let attempt = 1; ; attempt++) {
          const renamed = renamePseudonym(a, m.previousPseudonym, m.pseudonym);
          if (!renamed) break;
          try {
            await d.adoptions.update(renamed, a.version, []);
            break;
          } catch (err) {
            // A user wrote the adoption meanwhile: rename on the fresh copy (the consumer retries beyond this).
            if (!(err instanceof PreconditionFailedError) || attempt >= 5) throw err;
            const fresh = await d.adoptions.get(a.id);
            if (!fresh) break;
            a = fresh;
          }
        }
      }
    },
  };
}
