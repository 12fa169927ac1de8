import { adoptionUseCases } from "./adoptions.js";
import { companyUseCases } from "./companies.js";
import type { Deps } from "./context.js";
import { marketUseCases } from "./market.js";
import { ideaEventHandlers } from "./projection.js";

export type { Deps } from "./context.js";
export * from "./ports.js";
export { events } from "./events.js";
export { projectionHandlers, type IdeaWithdrawal, type MemberErasure } from "./projection.js";

export function createUseCases(d: Deps) {
  const market = marketUseCases(d);
  return {
    companies: companyUseCases(d),
    market,
    adoptions: adoptionUseCases(d),
    ideaEvents: ideaEventHandlers(d),
    /** One sweep: lapse every active hold past its expiry (the clock decides, not a TTL index). */
    async sweepHolds(limit = 100): Promise<number> {
      let n = 0;
      for (const h of await d.holds.listLapsable(d.clock.now(), limit)) if (await market.lapse(h)) n++;
      return n;
    },
  };
}
export type UseCases = ReturnType<typeof createUseCases>;
