// Cursor pagination: the cursor is opaque to clients (base64url JSON of whatever the list needs to
// resume, e.g. the last sort key and id), so its shape can change without breaking them.
import { ValidationError } from "@lto/errors";
import { z } from "zod";

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(2048).optional(),
});
export type PageQuery = z.output<typeof pageQuery>;

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  nextCursor?: string;
}

/** Response schema of a page of `item`s, for route definitions and the OpenAPI document. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().optional() });
}

export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), "utf8").toString("base64url");
}

const invalidCursor = () =>
  new ValidationError("The cursor is not valid; request the first page again without a cursor", [
    { path: "cursor", message: "Invalid cursor" },
  ]);

/** The position of a list sorted by `_id` (newest first): the last id of the previous page. */
export const idPosition = z.strictObject({ id: z.string().min(1).max(256) });

/**
 * Reads a cursor back. Only what encodeCursor produced passes (same bytes when encoded again) and,
 * with `schema`, only the shape the list gave out: anything else is a 400 naming query.cursor, never
 * a value that reaches the store's filter. Every list passes its schema.
 */
export function decodeCursor<T = unknown>(cursor: string, schema?: z.ZodType<T>): T {
  let position: unknown;
  try {
    const text = Buffer.from(cursor, "base64url").toString("utf8");
    position = JSON.parse(text);
    if (encodeCursor(position) !== cursor) throw new Error("not canonical");
  } catch {
    throw invalidCursor();
  }
  if (!schema) return position as T;
  const parsed = schema.safeParse(position);
  if (!parsed.success) throw invalidCursor();
  return parsed.data;
}
