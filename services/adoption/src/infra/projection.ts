// The local projection of published ideas and of calls, built from the ideas service's events, on the
// aggregate store. A view's version is its source's (the idea's or call's version in the ideas
// service): a snapshot is applied only when newer, so a redelivered or replayed event writes nothing.
// The adoption marker is this service's own fact: it is written without touching the version, only
// while the marker read is still the stored one.
import { decodeCursor, encodeCursor, z } from "@lto/http-kit";
import type { AggregateCollection, AggregateStore, Filter } from "@lto/store";
import type { CallView, IdeaProjection, IdeaView, Page } from "../app/index.js";

/** Where a browse page ends: the last idea's publication time and id (the sort keys). */
const browsePosition = z.tuple([z.iso.datetime(), z.string().min(1).max(256)]);

/** As stored: the view, `publishedAt` never null (the browse order), its version the idea's. */
export type IdeaRecord = Omit<IdeaView, "publishedAt"> & { publishedAt: Date; version: number };
export type CallRecord = CallView & { version: number };

const EPOCH = new Date(0);
const ATTEMPTS = 20;

export function ideaCollections(store: AggregateStore, prefix = "") {
  return {
    ideas: store.aggregates<IdeaRecord>({
      name: prefix + "ideas",
      indexes: [
        { key: { status: 1, publishedAt: -1, _id: -1 } },
        { key: { area: 1 } },
        { key: { district: 1 } },
        { key: { technologies: 1 } },
        { key: { needs: 1 } },
        { key: { callId: 1 } },
      ],
    }),
    calls: store.aggregates<CallRecord>({ name: prefix + "calls" }),
  };
}

export function toView(r: IdeaRecord): IdeaView {
  const { version: _v, publishedAt, adoption, ...rest } = r;
  return { ...rest, publishedAt: publishedAt?.getTime() ? publishedAt : null, adoption: adoption ?? null };
}

function toRecord(view: Omit<IdeaView, "adoption">, adoption: IdeaView["adoption"]): IdeaRecord {
  return { ...view, publishedAt: view.publishedAt ?? EPOCH, adoption, version: view.ideaVersion };
}

/** A filter that holds while the stored adoption marker is still `marker`. */
export function markerIs(marker: IdeaView["adoption"] | undefined): Filter {
  return marker ? { "adoption.id": marker.id } : { adoption: null };
}

/**
 * Stores the idea's snapshot unless the stored one is as new (`orEqual`: also when as new, for repairs).
 * Keeps the stored adoption marker; a new view starts with `adoption`. True when it wrote.
 */
export async function applyIdea(
  ideas: AggregateCollection<IdeaRecord>,
  view: Omit<IdeaView, "adoption">,
  opts: { adoption?: IdeaView["adoption"]; orEqual?: boolean } = {},
): Promise<boolean> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await ideas.get(view.id);
    if (!current) {
      if (await ideas.insert(toRecord(view, opts.adoption ?? null))) return true;
      continue; // inserted meanwhile by another consumer: compare with it
    }
    const newer = opts.orEqual
      ? current.ideaVersion <= view.ideaVersion
      : current.ideaVersion < view.ideaVersion;
    if (!newer) return false;
    const next = toRecord(view, current.adoption ?? null);
    if (opts.orEqual && sameRecord(next, current)) return false;
    const stored = await ideas.updateIf(next, current.version, {
      nextVersion: view.ideaVersion,
      expect: markerIs(current.adoption),
    });
    if (stored) return true;
  }
  throw new Error(`idea ${view.id}: the projection kept changing; the consumer will retry`);
}

/** Stores the call's snapshot unless the stored one is newer (or as new). True when it wrote. */
export async function applyCall(
  calls: AggregateCollection<CallRecord>,
  call: CallView,
  opts: { orEqual?: boolean } = {},
): Promise<boolean> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await calls.get(call.id);
    const next = { ...call, version: call.callVersion };
    if (!current) {
      if (await calls.insert(next)) return true;
      continue;
    }
    const newer = opts.orEqual
      ? current.callVersion <= call.callVersion
      : current.callVersion < call.callVersion;
    if (!newer || (opts.orEqual && sameRecord(next, current))) return false;
    if (await calls.updateIf(next, current.version, { nextVersion: call.callVersion })) return true;
  }
  throw new Error(`call ${call.id}: the projection kept changing; the consumer will retry`);
}

/**
 * Sets the idea's adoption marker if the stored one is still `from` (any, when omitted): its version
 * stays (the idea's). True when it wrote.
 */
export async function setMarker(
  ideas: AggregateCollection<IdeaRecord>,
  id: string,
  to: IdeaView["adoption"],
  from?: IdeaView["adoption"],
): Promise<boolean> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await ideas.get(id);
    if (!current) return false;
    const read = current.adoption ?? null;
    if (from !== undefined && read?.id !== from?.id) return false;
    if (read?.id === to?.id && read?.companyId === to?.companyId) return false;
    const stored = await ideas.updateIf({ ...current, adoption: to }, current.version, {
      nextVersion: current.version,
      expect: markerIs(read),
    });
    if (stored) return true;
    if (from !== undefined) return false;
  }
  throw new Error(`idea ${id}: the adoption marker kept changing`);
}

function sameRecord(a: object, b: object): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}
function sorted(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([x], [y]) => x.localeCompare(y)));
}

export function ideaProjection(
  ideas: AggregateCollection<IdeaRecord>,
  calls: AggregateCollection<CallRecord>,
): IdeaProjection {
  return {
    async get(id) {
      const r = await ideas.get(id);
      return r ? toView(r) : undefined;
    },
    apply: (view) => applyIdea(ideas, view),
    async markWithdrawn(id, version) {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const current = await ideas.get(id);
        if (!current || current.ideaVersion >= version) return false;
        const next = { ...current, status: "withdrawn" as const, ideaVersion: version };
        const stored = await ideas.updateIf(next, current.version, {
          nextVersion: version,
          expect: markerIs(current.adoption),
        });
        if (stored) return true;
      }
      throw new Error(`idea ${id}: the projection kept changing; the consumer will retry`);
    },
    async renamePseudonym(id, from, to) {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const current = await ideas.findOne({ _id: id, memberPseudonyms: from });
        if (!current) return false; // renamed already (or never there): nothing to write
        const members = current.memberPseudonyms.map((p) => (p === from ? to : p));
        const stored = await ideas.updateIf({ ...current, memberPseudonyms: members }, current.version, {
          nextVersion: current.version,
          expect: { ...markerIs(current.adoption), memberPseudonyms: from },
        });
        if (stored) return true;
      }
      throw new Error(`idea ${id}: the projection kept changing; the consumer will retry`);
    },
    async setAdoption(id, adoption) {
      await setMarker(ideas, id, adoption);
    },
    async browse(filter, page): Promise<Page<IdeaView>> {
      const f: Filter = { status: "published" };
      if (!filter.includeAdopted) f.adoption = null;
      if (filter.area) f.area = filter.area;
      if (filter.district) f.district = filter.district;
      if (filter.technology) f.technologies = filter.technology;
      if (filter.need) f.needs = filter.need;
      if (filter.callId) f.callId = filter.callId;
      if (page.cursor) {
        const [p, i] = decodeCursor(page.cursor, browsePosition);
        const at = new Date(p);
        f.$or = [{ publishedAt: { $lt: at } }, { publishedAt: at, _id: { $lt: i } }];
      }
      const records = await ideas.find(f, page.limit + 1, { publishedAt: -1, _id: -1 });
      const items = records.slice(0, page.limit);
      const last = items[items.length - 1];
      return records.length > page.limit && last
        ? { items: items.map(toView), nextCursor: encodeCursor([last.publishedAt.toISOString(), last.id]) }
        : { items: items.map(toView) };
    },
    async getCall(id) {
      const r = await calls.get(id);
      if (!r) return undefined;
      const { version: _v, ...view } = r;
      return view;
    },
    applyCall: (call) => applyCall(calls, call),
  };
}
