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

/** Reads a cursor back; anything that is not one of ours (or fails `schema`) is a 400 naming the cursor. */
export function decodeCursor<T = unknown>(cursor: string, schema?: z.ZodType<T>): T {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor();
  }
  if (!schema) return position as T;
  const parsed = schema.safeParse(position);
  if (!parsed.success) throw invalidCursor();
  return parsed.data;
}
