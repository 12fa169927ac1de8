// Handlers for the ideas service's events: the local projection of published ideas and calls, and
// the cancellation of holds and offers of a withdrawn idea. Each handler is idempotent: a snapshot
// older than the stored idea/call version is ignored, and cancelling only touches open things.
import { PreconditionFailedError } from "@lto/errors";
import { cancelHold, cancelOffer, renamePseudonym } from "../domain/index.js";
import type { Deps } from "./context.js";
import { events } from "./events.js";
import type { CallView, IdeaView } from "./ports.js";

/** The ideas service withdrew an idea (at its version `version`). */
export interface IdeaWithdrawal {
  ideaId: string;
  version: number;
  reason: string;
  actor: string;
}
/** A student of the idea's team was erased: pseudonym `from` became the placeholder `to`. */
export interface MemberErasure {
  ideaId: string;
  from: string;
  to: string;
}

/** Pure projection effects (also used by the rebuild, which must not repeat side effects). */
export function projectionHandlers(
  p: Pick<Deps["projection"], "apply" | "markWithdrawn" | "applyCall" | "renamePseudonym">,
) {
  return {
    async ideaPublished(view: Omit<IdeaView, "adoption">) {
      await p.apply(view);
    },
    async ideaWithdrawn(m: IdeaWithdrawal) {
      await p.markWithdrawn(m.ideaId, m.version);
    },
    /** A student was erased: the browse list keeps only the placeholder. */
    async teamMemberErased(m: MemberErasure) {
      if (m.from) await p.renamePseudonym(m.ideaId, m.from, m.to);
    },
    async callChanged(call: CallView) {
      await p.applyCall(call);
    },
  };
}

export function ideaEventHandlers(d: Deps) {
  const projection = projectionHandlers(d.projection);
  return {
    ...projection,
    /** Withdrawn: drop from browsing and cancel the idea's active hold and open offers. */
    async ideaWithdrawn(m: IdeaWithdrawal) {
      await projection.ideaWithdrawn(m);
      const now = d.clock.now();
      const meta = (version: number) => ({ now, actor: m.actor, version });
      const hold = await d.holds.findActive(m.ideaId);
      if (hold) {
        const c = cancelHold(hold, now);
        await d.holds.endIfActive(c, [events.holdLapsed(c, "idea_withdrawn", meta(hold.version + 1))]);
      }
      for (const o of await d.offers.listOpenByIdea(m.ideaId)) {
        const c = cancelOffer(
          o,
          now,
          m.reason ? `The school withdrew the idea: ${m.reason}` : "The school withdrew the idea",
        );
        await d.offers.transition(c, "open", [
          events.offerDeclined(c, "idea_withdrawn", meta(o.version + 1)),
        ]);
      }
    },
    /**
     * A student was erased: the projection and every adoption of the idea (team and commitment records)
     * keep only the placeholder. Idempotent: once renamed, the old pseudonym is found nowhere.
     */
    async teamMemberErased(m: MemberErasure) {
      await projection.teamMemberErased(m);
      if (!m.from) return;
      const page = await d.adoptions.list({ ideaId: m.ideaId }, { limit: 100 });
      for (const stored of page.items) {
        let a = stored;
        for (let attempt = 1; ; attempt++) {
          const renamed = renamePseudonym(a, m.from, m.to);
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
