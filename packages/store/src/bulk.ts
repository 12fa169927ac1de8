// What the store's bulk inserts share: their batch size, and the per-document errors of one.

/** Documents per bulk insert (one round trip each; the server's own limits are far above it). */
export const INSERT_BATCH = 1_000;

/** The per-document errors of an unordered bulk write (MongoBulkWriteError), or undefined for any other error. */
export function bulkWriteErrors(err: unknown): { index: number; code: number }[] | undefined {
  const e = err as { writeErrors?: unknown } | null;
  if (typeof e !== "object" || e === null || e.writeErrors === undefined) return undefined;
  const list = Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors];
  return list.map((w: { index: number; code: number }) => ({ index: w.index, code: w.code }));
}
