// The programme office's figures, computed from the read model: pure functions from the records to
// tables (the rows a CSV export gives, one per combination of the figure's dimensions) and a chart
// (categories of one dimension, one series per measure, values in category order).
import { schoolYearOf } from "@lto/civil-time";
import type { Kind, Records } from "./records.js";

/** The whole read model, record by key. */
export type Model = { [K in keyof Records]: ReadonlyMap<string, Records[K]> };

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

export interface Chart {
  /** The dimension the categories are values of. */
  by: string;
  categories: string[];
  series: Array<{ label: string; data: Array<number | null> }>;
}

export interface Figure {
  figure: FigureName;
  /** Column order of `rows` (and of the CSV header). */
  columns: string[];
  rows: Row[];
  chart: Chart;
}

export interface Filters {
  schoolYear?: string | undefined;
  site?: string | undefined;
  /** Sites the reader may see; undefined: every site. */
  visibleSites?: readonly string[] | undefined;
  /** The dimension the chart groups by (one of the figure's `chartBy`). */
  by?: string | undefined;
}

/** What a value is missing as (an idea whose call was not told yet, a course without audience). */
export const UNKNOWN = "unknown";

/** One thing counted: its dimension values and its additive measures. */
interface Item {
  dims: Record<string, string>;
  measures: Record<string, number>;
}

interface FigureSpec {
  /** The record kinds the figure is computed from. */
  kinds: readonly Kind[];
  dims: readonly string[];
  measures: readonly string[];
  /** Ratios and averages from a group's summed measures; helpers (`_...`) are dropped afterwards. */
  derive?: (sum: Record<string, number>) => Record<string, number | null>;
  derived?: readonly string[];
  chartBy: readonly string[];
  items(model: Model): Item[];
}

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;
const DAY_MS = 86_400_000;
const yearOf = (iso: string | undefined) => (iso ? schoolYearOf(new Date(iso)) : UNKNOWN);

/** Rome's calendar month of an instant, "YYYY-MM". */
export function monthOf(iso: string | undefined): string {
  if (!iso) return UNKNOWN;
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Rome",
    year: "numeric",
    month: "2-digit",
  }).formatToParts(new Date(iso));
  const part = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${part("year")}-${part("month")}`;
}

function ideaPlace(model: Model, ideaId: string | undefined) {
  const idea = ideaId ? model.ideas.get(ideaId) : undefined;
  const call = idea?.callId ? model.calls.get(idea.callId) : undefined;
  return {
    idea,
    dims: {
      schoolYear: call?.schoolYear || UNKNOWN,
      site: call?.site || UNKNOWN,
      callId: idea?.callId || UNKNOWN,
      callTitle: call?.title || UNKNOWN,
      area: idea?.area || UNKNOWN,
      district: idea?.district || UNKNOWN,
    },
  };
}

/** The ideas adopted now or done, each with the date of its adoption that counts (the earliest). */
function countedAdoptions(model: Model): { adoptedAt: Map<string, string>; completed: Set<string> } {
  const adoptedAt = new Map<string, string>();
  const completed = new Set<string>();
  for (const a of model.adoptions.values()) {
    if (!a.ideaId || (a.status !== "active" && a.status !== "completed")) continue;
    if (a.status === "completed") completed.add(a.ideaId);
    if (!a.adoptedAt) continue;
    const seen = adoptedAt.get(a.ideaId);
    if (!seen || a.adoptedAt < seen) adoptedAt.set(a.ideaId, a.adoptedAt);
  }
  return { adoptedAt, completed };
}

/** An idea's state as the programme office names it: its own, or adopted/completed by its adoptions. */
function ideaStateOf(model: Model, adoptions: ReturnType<typeof countedAdoptions>, ideaId: string): string {
  const idea = model.ideas.get(ideaId);
  if (idea?.state === "withdrawn" || idea?.state === "rejected") return idea.state;
  if (adoptions.completed.has(ideaId)) return "completed";
  if (adoptions.adoptedAt.has(ideaId)) return "adopted";
  return idea?.state ?? UNKNOWN;
}

const SPECS = {
  ideas: {
    kinds: ["calls", "ideas", "adoptions"],
    dims: ["schoolYear", "site", "callId", "callTitle", "area", "district", "state"],
    measures: ["ideas"],
    chartBy: ["state", "callTitle", "area", "district", "site", "schoolYear"],
    items(model) {
      const adopted = countedAdoptions(model);
      return [...model.ideas.keys()].map((id) => ({
        dims: { ...ideaPlace(model, id).dims, state: ideaStateOf(model, adopted, id) },
        measures: { ideas: 1 },
      }));
    },
  },
  adoption: {
    kinds: ["calls", "ideas", "adoptions"],
    dims: ["schoolYear", "site", "callId", "area", "district"],
    measures: ["published", "adopted", "_days", "_timed"],
    derived: ["adoptionRate", "avgDaysToAdoption"],
    derive: (s) => ({
      adoptionRate: s.published ? round(s.adopted! / s.published, 3) : null,
      avgDaysToAdoption: s._timed ? round(s._days! / s._timed, 1) : null,
    }),
    chartBy: ["area", "district", "callId", "site", "schoolYear"],
    items(model) {
      const adopted = countedAdoptions(model).adoptedAt;
      const items: Item[] = [];
      for (const [id, idea] of model.ideas) {
        if (!idea.firstPublishedAt) continue;
        const { callTitle: _t, ...dims } = ideaPlace(model, id).dims;
        const at = adopted.get(id);
        const days = at ? Math.max(0, (Date.parse(at) - Date.parse(idea.firstPublishedAt)) / DAY_MS) : 0;
        items.push({
          dims,
          measures: { published: 1, adopted: at ? 1 : 0, _days: days, _timed: at ? 1 : 0 },
        });
      }
      return items;
    },
  },
  commitments: {
    kinds: ["calls", "ideas", "adoptions", "deliveries"],
    dims: ["schoolYear", "site", "kind"],
    measures: ["promised", "delivered", "deliveries", "pctoHours"],
    chartBy: ["kind", "site", "schoolYear"],
    items(model) {
      const items: Item[] = [];
      for (const a of model.adoptions.values()) {
        if (a.status !== "active" && a.status !== "completed") continue;
        const { schoolYear, site } = ideaPlace(model, a.ideaId).dims;
        for (const c of a.commitments)
          items.push({
            dims: { schoolYear, site, kind: c.kind },
            measures: { promised: c.promised, delivered: 0, deliveries: 0, pctoHours: 0 },
          });
      }
      for (const d of model.deliveries.values()) {
        const { schoolYear, site } = ideaPlace(model, d.ideaId).dims;
        items.push({
          dims: { schoolYear, site, kind: d.kind },
          measures: {
            promised: 0,
            delivered: d.quantity,
            deliveries: 1,
            pctoHours: d.pctoHours * d.students,
          },
        });
      }
      return items;
    },
  },
  learning: {
    kinds: ["enrolments", "credentials", "courses"],
    dims: ["schoolYear", "site", "level", "audience"],
    measures: ["enrolments", "completions", "credentials"],
    chartBy: ["level", "site", "audience", "schoolYear"],
    items(model) {
      const audience = (courseId: string | undefined) => {
        const a = courseId ? model.courses.get(courseId)?.audiences : undefined;
        return a?.length ? a.join("+") : UNKNOWN;
      };
      const none = { enrolments: 0, completions: 0, credentials: 0 };
      const items: Item[] = [];
      for (const e of model.enrolments.values()) {
        const dims = { site: e.site || UNKNOWN, level: e.level || UNKNOWN, audience: audience(e.courseId) };
        if (e.confirmedAt && e.status === "confirmed")
          items.push({
            dims: { schoolYear: yearOf(e.confirmedAt), ...dims },
            measures: { ...none, enrolments: 1 },
          });
        if (e.completed && e.completedAt)
          items.push({
            dims: { schoolYear: yearOf(e.completedAt), ...dims },
            measures: { ...none, completions: 1 },
          });
      }
      for (const c of model.credentials.values()) {
        if (c.revoked || !c.issuedAt) continue;
        items.push({
          dims: {
            schoolYear: yearOf(c.issuedAt),
            site: c.site || UNKNOWN,
            level: c.level || UNKNOWN,
            audience: audience(c.courseId),
          },
          measures: { ...none, credentials: 1 },
        });
      }
      return items;
    },
  },
  services: {
    kinds: ["bookings"],
    dims: ["schoolYear", "site", "serviceType", "month"],
    measures: ["bookings", "cancelled", "noShows", "delivered", "hoursDelivered"],
    chartBy: ["month", "site", "serviceType", "schoolYear"],
    items(model) {
      const none = { bookings: 0, cancelled: 0, noShows: 0, delivered: 0, hoursDelivered: 0 };
      const items: Item[] = [];
      for (const b of model.bookings.values()) {
        if (b.status && b.startsAt) {
          const measure = { booked: "bookings", cancelled: "cancelled", no_show: "noShows" }[b.status];
          items.push({
            dims: {
              schoolYear: yearOf(b.startsAt),
              site: b.site || UNKNOWN,
              serviceType: b.serviceType || UNKNOWN,
              month: monthOf(b.startsAt),
            },
            measures: { ...none, [measure]: 1 },
          });
        }
        const d = b.delivered;
        if (d)
          items.push({
            dims: {
              schoolYear: yearOf(d.startedAt),
              site: d.site || UNKNOWN,
              serviceType: d.serviceType || UNKNOWN,
              month: monthOf(d.startedAt),
            },
            measures: { ...none, delivered: 1, hoursDelivered: d.hours },
          });
      }
      return items;
    },
  },
} satisfies Record<string, FigureSpec>;

export type FigureName = keyof typeof SPECS;
export const FIGURES = Object.keys(SPECS) as FigureName[];

/** The record kinds a figure is computed from (what a reader loads). */
export function kindsOf(figure: FigureName): readonly Kind[] {
  return SPECS[figure].kinds;
}

/** The dimensions a figure's chart may group by; the first is the default. */
export function chartDimensions(figure: FigureName): readonly string[] {
  return SPECS[figure].chartBy;
}

/** The row columns of a figure: its dimensions, then its measures (without helpers), then derived ones. */
export function columnsOf(figure: FigureName): string[] {
  const spec: FigureSpec = SPECS[figure];
  return [...spec.dims, ...spec.measures.filter((m) => !m.startsWith("_")), ...(spec.derived ?? [])];
}

function rollup(spec: FigureSpec, items: readonly Item[], dims: readonly string[]): Row[] {
  const groups = new Map<string, { dims: Record<string, string>; sum: Record<string, number> }>();
  for (const item of items) {
    const key = JSON.stringify(dims.map((d) => item.dims[d]));
    let g = groups.get(key);
    if (!g) {
      g = {
        dims: Object.fromEntries(dims.map((d) => [d, item.dims[d] ?? UNKNOWN])),
        sum: Object.fromEntries(spec.measures.map((m) => [m, 0])),
      };
      groups.set(key, g);
    }
    for (const m of spec.measures) g.sum[m]! += item.measures[m] ?? 0;
  }
  const rows = [...groups.values()].map((g) => {
    const row: Row = { ...g.dims };
    for (const m of spec.measures) if (!m.startsWith("_")) row[m] = round(g.sum[m]!, 2);
    Object.assign(row, spec.derive?.(g.sum) ?? {});
    return row;
  });
  const keyOf = (r: Row) => dims.map((d) => String(r[d]));
  return rows.sort((a, b) => {
    const [x, y] = [keyOf(a), keyOf(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return 0;
  });
}

/** One figure under the filters: the table, and the chart grouped by `filters.by`. */
export function computeFigure(model: Model, figure: FigureName, filters: Filters = {}): Figure {
  const spec: FigureSpec = SPECS[figure];
  const items = spec
    .items(model)
    .filter(
      (i) =>
        (filters.schoolYear === undefined || i.dims.schoolYear === filters.schoolYear) &&
        (filters.site === undefined || i.dims.site === filters.site) &&
        (filters.visibleSites === undefined || filters.visibleSites.includes(i.dims.site ?? "")),
    );
  const columns = columnsOf(figure);
  const rows = rollup(spec, items, spec.dims);
  const by = filters.by ?? spec.chartBy[0]!;
  const grouped = rollup(spec, items, [by]);
  const values = columns.filter((c) => !spec.dims.includes(c));
  return {
    figure,
    columns,
    rows,
    chart: {
      by,
      categories: grouped.map((r) => String(r[by])),
      series: values.map((label) => ({ label, data: grouped.map((r) => r[label] as number | null) })),
    },
  };
}
