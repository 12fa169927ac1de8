// In-memory ports for the use cases' unit tests: the same contracts as the store's (a unique slot per
// idea, conditional transitions, 412 on a stale version), the domain events recorded as published.
import { NotFoundError, PreconditionFailedError } from "@lto/errors";
import type { Identity } from "@lto/auth";
import type {
  AdoptableAnswer,
  CallView,
  Deps,
  IdeaProjection,
  IdeaView,
  Page,
  Stored,
} from "../../src/app/index.js";
import type { Adoption, AdoptionEvent, Company, Hold, Offer } from "../../src/domain/index.js";

const page = <T>(items: T[]): Page<T> => ({ items });

export function memoryDeps(now: Date) {
  const companies = new Map<string, Stored<Company>>();
  const holds = new Map<string, Stored<Hold>>();
  const offers = new Map<string, Stored<Offer>>();
  const adoptions = new Map<string, Stored<Adoption>>();
  const ideas = new Map<string, IdeaView>();
  const calls = new Map<string, CallView>();
  const published: AdoptionEvent[] = [];
  let n = 0;
  const publish = (events: AdoptionEvent[]) => published.push(...events);
  const claiming = (ideaId: string) =>
    [...adoptions.values()].find((a) => a.ideaId === ideaId && a.status !== "ended");

  const projection: IdeaProjection = {
    get: async (id) => ideas.get(id),
    apply: async (view) => (
      ideas.set(view.id, { ...view, adoption: ideas.get(view.id)?.adoption ?? null }),
      true
    ),
    markWithdrawn: async () => false,
    renamePseudonym: async () => false,
    setAdoption: async (id, adoption) => void ideas.set(id, { ...ideas.get(id)!, adoption }),
    browse: async () => page([...ideas.values()]),
    getCall: async (id) => calls.get(id),
    applyCall: async (call) => (calls.set(call.id, call), true),
  };

  const deps: Deps = {
    companies: {
      get: async (id) => companies.get(id),
      insert: async (c) => (companies.set(c.id, { ...c, version: 1 }), { ...c, version: 1 }),
      update: async (c, v) => {
        if (companies.get(c.id)?.version !== v) throw new PreconditionFailedError();
        companies.set(c.id, { ...c, version: v + 1 });
        return { ...c, version: v + 1 };
      },
      list: async () => page([...companies.values()]),
    },
    holds: {
      get: async (id) => holds.get(id),
      findActive: async (ideaId) =>
        [...holds.values()].find((h) => h.ideaId === ideaId && h.status === "active"),
      hasHeld: async (ideaId, companyId) =>
        [...holds.values()].some((h) => h.ideaId === ideaId && h.companyId === companyId),
      insertActive: async (h, events) => {
        if ([...holds.values()].some((x) => x.ideaId === h.ideaId && x.status === "active")) return undefined;
        holds.set(h.id, { ...h, version: 1 });
        publish(events);
        return { ...h, version: 1 };
      },
      endIfActive: async (h, events) => {
        const stored = holds.get(h.id);
        if (stored?.status !== "active") return false;
        holds.set(h.id, { ...h, version: stored.version + 1 });
        publish(events);
        return true;
      },
      listLapsable: async (at) =>
        [...holds.values()].filter((h) => h.status === "active" && h.expiresAt <= at),
      list: async () => page([...holds.values()]),
    },
    offers: {
      get: async (id) => offers.get(id),
      insert: async (o, events) => {
        const open = [...offers.values()].some(
          (x) => x.ideaId === o.ideaId && x.companyId === o.companyId && x.status === "open",
        );
        if (open) return undefined;
        offers.set(o.id, { ...o, version: 1 });
        publish(events);
        return { ...o, version: 1 };
      },
      transition: async (o, from, events) => {
        const stored = offers.get(o.id);
        if (stored?.status !== from) return false;
        offers.set(o.id, { ...o, version: stored.version + 1 });
        publish(events);
        return true;
      },
      listOpenByIdea: async (ideaId) =>
        [...offers.values()].filter((o) => o.ideaId === ideaId && o.status === "open"),
      list: async () => page([...offers.values()]),
    },
    adoptions: {
      get: async (id) => adoptions.get(id),
      findByOffer: async (offerId) => [...adoptions.values()].find((a) => a.offerId === offerId),
      findClaiming: async (ideaId) => claiming(ideaId),
      insertClaiming: async (a, events) => {
        if (claiming(a.ideaId)) return undefined;
        adoptions.set(a.id, { ...a, version: 1 });
        publish(events);
        return { ...a, version: 1 };
      },
      update: async (a, v, events) => {
        const stored = adoptions.get(a.id);
        if (!stored) throw new NotFoundError("adoption", a.id);
        if (stored.version !== v) throw new PreconditionFailedError();
        adoptions.set(a.id, { ...a, version: v + 1 });
        publish(events);
        return { ...a, version: v + 1 };
      },
      list: async () => page([...adoptions.values()]),
      listClaiming: async () => [...adoptions.values()].filter((a) => a.status !== "ended"),
    },
    projection,
    ideas: {
      checkAdoptable: async (): Promise<AdoptableAnswer> => ({ adoptable: true, reason: "", detail: "" }),
    },
    clock: { now: () => now },
    ids: { newId: () => `id-${++n}` },
  };
  return { deps, published, companies, ideas, calls };
}

export const as = (role: Identity["role"], organisationId: string): Identity => ({
  subject: `${role}-user`,
  role,
  organisationId,
  sites: [],
  token: "token",
});
