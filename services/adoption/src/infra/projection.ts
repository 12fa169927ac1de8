// The local projection of published ideas and of calls, built from the ideas service's events.
// Snapshots carry the aggregate's version: an update is applied only when it is newer, so
// redelivered or replayed events change nothing (idempotent, order-safe).
import type { Collection, Document, Filter } from "mongodb";
import type { CallView, IdeaProjection, IdeaView, Page } from "../app/index.js";
import { decodeCursor, encodeCursor, z } from "@lto/http-kit";
import { isDuplicateKey } from "./store.js";

/** Where a browse page ends: the last idea's publication time and id (the sort keys). */
const browsePosition = z.tuple([z.iso.datetime(), z.string().min(1).max(256)]);

type Doc = Document & { _id: string };
const EPOCH = new Date(0);

function toView(d: Doc): IdeaView {
  const { _id, publishedAt, adoption, ...rest } = d;
  return {
    id: _id,
    ...rest,
    publishedAt: publishedAt?.getTime() ? publishedAt : null,
    adoption: adoption ?? null,
  } as IdeaView;
}

/**
 * Fields a new document starts with (what `$setOnInsert` would do: FerretDB 1.24 ignores it, so the
 * document would lack them). Each is set only while absent, so a value written meanwhile stays.
 */
export async function setIfAbsent(col: Collection<Doc>, id: string, fields: Document): Promise<void> {
  for (const [k, v] of Object.entries(fields))
    await col.updateOne({ _id: id, [k]: { $exists: false } }, { $set: { [k]: v } });
}

/** Upsert when newer: a stale snapshot makes the upsert collide on _id, which means "ignore it". */
async function upsertIfNewer(
  col: Collection<Doc>,
  id: string,
  field: string,
  version: number,
  set: Document,
  onInsert: Document = {},
) {
  try {
    const r = await col.updateOne({ _id: id, [field]: { $lt: version } }, { $set: set }, { upsert: true });
    if (r.upsertedCount > 0) await setIfAbsent(col, id, onInsert);
    return r.modifiedCount + r.upsertedCount > 0;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

export function ideaProjection(ideas: Collection<Doc>, calls: Collection<Doc>): IdeaProjection {
  return {
    async get(id) {
      const d = await ideas.findOne({ _id: id });
      return d ? toView(d) : undefined;
    },
    async apply(view) {
      const { id, ...fields } = view;
      return upsertIfNewer(
        ideas,
        id,
        "ideaVersion",
        view.ideaVersion,
        { ...fields, publishedAt: view.publishedAt ?? EPOCH },
        { adoption: null },
      );
    },
    async markWithdrawn(id, version) {
      const r = await ideas.updateOne(
        { _id: id, ideaVersion: { $lt: version } },
        { $set: { status: "withdrawn", ideaVersion: version } },
      );
      return r.modifiedCount > 0;
    },
    async renamePseudonym(id, from, to) {
      const d = await ideas.findOne({ _id: id, memberPseudonyms: from });
      if (!d) return false;
      const members = (d.memberPseudonyms as string[]).map((p) => (p === from ? to : p));
      const r = await ideas.updateOne(
        { _id: id, memberPseudonyms: from },
        { $set: { memberPseudonyms: members } },
      );
      return r.modifiedCount > 0;
    },
    async setAdoption(id, adoption) {
      await ideas.updateOne({ _id: id }, { $set: { adoption } });
    },
    async browse(filter, page): Promise<Page<IdeaView>> {
      const f: Filter<Doc> = { status: "published" };
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
      const docs = await ideas
        .find(f)
        .sort({ publishedAt: -1, _id: -1 })
        .limit(page.limit + 1)
        .toArray();
      const items = docs.slice(0, page.limit);
      const last = items[items.length - 1];
      return docs.length > page.limit && last
        ? {
            items: items.map(toView),
            nextCursor: encodeCursor([(last.publishedAt as Date).toISOString(), last._id]),
          }
        : { items: items.map(toView) };
    },
    async getCall(id) {
      const d = await calls.findOne({ _id: id });
      if (!d) return undefined;
      const { _id, ...rest } = d;
      return { id: _id, ...rest } as CallView;
    },
    async applyCall(call) {
      const { id, ...fields } = call;
      return upsertIfNewer(calls, id, "callVersion", call.callVersion, fields);
    },
  };
}
