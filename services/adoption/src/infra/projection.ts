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

// What each write makes of the stored record, decided apart from where the record is kept: the store's
// versioned writes below and the rebuild's fold in memory (folded.ts) apply the same decisions, so a
// rebuilt projection equals the live one by construction.

/**
 * The idea's record once its snapshot is stored, or undefined when the stored one is as new (`orEqual`:
 * newer, or equal to what it would become). Keeps the stored adoption marker; a new view starts with
 * `adoption`.
 */
export function ideaAfter(
  current: IdeaRecord | undefined,
  view: Omit<IdeaView, "adoption">,
  opts: { adoption?: IdeaView["adoption"]; orEqual?: boolean } = {},
): IdeaRecord | undefined {
  if (!current) return toRecord(view, opts.adoption ?? null);
  const newer = opts.orEqual
    ? current.ideaVersion <= view.ideaVersion
    : current.ideaVersion < view.ideaVersion;
  if (!newer) return undefined;
  const next = toRecord(view, current.adoption ?? null);
  return opts.orEqual && sameRecord(next, current) ? undefined : next;
}

/** The idea's record once withdrawn at `version`, or undefined when absent or as new already. */
export function withdrawnAfter(current: IdeaRecord | undefined, version: number): IdeaRecord | undefined {
  if (!current || current.ideaVersion >= version) return undefined;
  return { ...current, status: "withdrawn", ideaVersion: version, version };
}

/** The idea's record with pseudonym `from` renamed `to`, or undefined when it is not there (done already). */
export function renamedAfter(
  current: IdeaRecord | undefined,
  from: string,
  to: string,
): IdeaRecord | undefined {
  if (!current?.memberPseudonyms.includes(from)) return undefined;
  return { ...current, memberPseudonyms: current.memberPseudonyms.map((p) => (p === from ? to : p)) };
}

/** The idea's record with marker `to` if the stored one is still `from` (any, when omitted); undefined: no change. */
export function markedAfter(
  current: IdeaRecord | undefined,
  to: IdeaView["adoption"],
  from?: IdeaView["adoption"],
): IdeaRecord | undefined {
  if (!current) return undefined;
  const read = current.adoption ?? null;
  if (from !== undefined && read?.id !== from?.id) return undefined;
  if (read?.id === to?.id && read?.companyId === to?.companyId) return undefined;
  return { ...current, adoption: to };
}

/** The call's record once its snapshot is stored, or undefined as for ideaAfter. */
export function callAfter(
  current: CallRecord | undefined,
  call: CallView,
  opts: { orEqual?: boolean } = {},
): CallRecord | undefined {
  const next = { ...call, version: call.callVersion };
  if (!current) return next;
  const newer = opts.orEqual
    ? current.callVersion <= call.callVersion
    : current.callVersion < call.callVersion;
  return !newer || (opts.orEqual && sameRecord(next, current)) ? undefined : next;
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
    const next = ideaAfter(current, view, opts);
    if (!next) return false;
    if (!current) {
      if (await ideas.insert(next)) return true;
      continue; // inserted meanwhile by another consumer: compare with it
    }
    if (await writeIdea(ideas, current, next)) return true;
  }
  throw new Error(`idea ${view.id}: the projection kept changing; the consumer will retry`);
}

/** Writes `next` over `current` while its version and adoption marker are still the ones read. */
function writeIdea(
  ideas: AggregateCollection<IdeaRecord>,
  current: IdeaRecord,
  next: IdeaRecord,
  expect = {},
) {
  return ideas.updateIf(next, current.version, {
    nextVersion: next.version,
    expect: { ...markerIs(current.adoption), ...expect },
  });
}

/** Stores the call's snapshot unless the stored one is newer (or as new). True when it wrote. */
export async function applyCall(
  calls: AggregateCollection<CallRecord>,
  call: CallView,
  opts: { orEqual?: boolean } = {},
): Promise<boolean> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await calls.get(call.id);
    const next = callAfter(current, call, opts);
    if (!next) return false;
    if (!current) {
      if (await calls.insert(next)) return true;
      continue;
    }
    if (await calls.updateIf(next, current.version, { nextVersion: next.version })) return true;
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
    const next = markedAfter(current, to, from);
    if (!current || !next) return false;
    if (await writeIdea(ideas, current, next)) return true;
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
        const next = withdrawnAfter(current, version);
        if (!current || !next) return false;
        if (await writeIdea(ideas, current, next)) return true;
      }
      throw new Error(`idea ${id}: the projection kept changing; the consumer will retry`);
    },
    async renamePseudonym(id, from, to) {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const current = await ideas.findOne({ _id: id, memberPseudonyms: from });
        const next = renamedAfter(current, from, to);
        if (!current || !next) return false; // renamed already (or never there): nothing to write
        if (await writeIdea(ideas, current, next, { memberPseudonyms: from })) return true;
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
