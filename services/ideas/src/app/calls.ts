import { NotFoundError, PreconditionFailedError } from "@lto/errors";
import {
  createCall,
  phaseBounds,
  romeDate,
  updateCall,
  type Call,
  type CallChanges,
  type CallPhase,
} from "../domain/index.js";
import { actor, requireRole, requireSiteStaff, REVIEWERS, siteForNewCall, type Viewer } from "./access.js";
import type { Ports } from "./ports.js";
import { callView } from "./views.js";

export function checkVersion(entity: string, current: number, ifMatch: number | undefined): void {
  if (ifMatch !== undefined && ifMatch !== current) {
    throw new PreconditionFailedError(
      `The ${entity} changed since you read it (version ${current}, you sent ${ifMatch}); reload and retry`,
    );
  }
}

export function callUseCases({ calls, clock, ids }: Ports) {
  async function load(id: string): Promise<Call> {
    const call = await calls.get(id);
    if (!call) throw new NotFoundError("call", id);
    return call;
  }

  return {
    /** `input.site` may be left out by staff of one site: the call is theirs. */
    async create(viewer: Viewer, input: CallChanges) {
      const me = requireRole(viewer, ...REVIEWERS);
      const site = siteForNewCall(me, input.site);
      requireSiteStaff(me, site);
      const now = clock.now();
      const call = createCall({ ...input, site }, ids.newId(), actor(me), now);
      await calls.insert(call, [{ type: "CallCreated", call, by: me.subject, at: now }]);
      return callView(call, viewer, now);
    },

    async update(viewer: Viewer, id: string, input: CallChanges, ifMatch: number) {
      requireRole(viewer, ...REVIEWERS);
      const current = await load(id);
      const me = requireSiteStaff(viewer, current.site);
      checkVersion("call", current.version, ifMatch);
      const now = clock.now();
      const changed = updateCall(current, input, now);
      const saved = await calls.update(changed, [
        { type: "CallUpdated", call: changed, by: me.subject, at: now },
      ]);
      return callView(saved, viewer, now);
    },

    async get(viewer: Viewer, id: string) {
      return callView(await load(id), viewer, clock.now());
    },

    async list(
      viewer: Viewer,
      filter: { schoolYear?: string; phase?: CallPhase; cursor?: string; limit: number },
    ) {
      const now = clock.now();
      const { phase, ...rest } = filter;
      const page = await calls.list({
        ...rest,
        ...(phase ? { phase: { ...phaseBounds(phase), day: romeDate(now) } } : {}),
      });
      return { items: page.items.map((call) => callView(call, viewer, now)), nextCursor: page.nextCursor };
    },

    load,
  };
}
