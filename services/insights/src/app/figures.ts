// Reading the figures: who may read which sites' rows, under which filters.
import { requireRole, type Identity } from "@lto/auth";
import { ForbiddenError } from "@lto/errors";
import { computeFigure, kindsOf, type Figure, type FigureName } from "../domain/index.js";
import type { ModelStore } from "./ports.js";

export interface FigureQuery {
  schoolYear?: string | undefined;
  site?: string | undefined;
  by?: string | undefined;
}

/**
 * The programme office and admins read every site; staff only their sites' rows (a `site` filter
 * naming another site is refused); every other role is refused.
 */
export function visibleSites(
  viewer: Identity | undefined,
  site: string | undefined,
): readonly string[] | undefined {
  const me = requireRole(viewer, "programme", "admin", "staff");
  if (me.role !== "staff") return undefined;
  if (site !== undefined && !me.sites.includes(site)) {
    const yours = me.sites.length ? `you work at ${me.sites.join(", ")}` : "your token names no site";
    throw new ForbiddenError(
      `Staff read the figures of their own sites only (${yours}); leave out site or name one of yours`,
    );
  }
  return me.sites;
}

export function figuresApp(store: ModelStore) {
  return {
    async get(viewer: Identity | undefined, figure: FigureName, query: FigureQuery): Promise<Figure> {
      const sites = visibleSites(viewer, query.site);
      const gen = await store.currentGeneration();
      const model = await store.load(gen, { kinds: kindsOf(figure), schoolYear: query.schoolYear });
      return computeFigure(model, figure, { ...query, visibleSites: sites });
    },
  };
}

export type FiguresApp = ReturnType<typeof figuresApp>;
