// What text the platform accepts, in one place: no control characters (a NUL, an escape or a DEL is
// never part of what a person typed and breaks logs, CSV exports and other systems downstream) and
// only well-formed Unicode (a lone surrogate cannot be stored: BSON would turn it into U+FFFD).
// Single-line fields (titles, names, pseudonyms, ids) refuse line breaks and tabs too; multi-line
// ones (descriptions, messages, notes) keep them. The request pipeline applies the multi-line rule to
// every string it receives as a safety net; the schema helpers below add the single-line rule, minimum
// lengths that ignore surrounding blanks, and document all of it in OpenAPI.
import type { FieldIssue } from "@lto/errors";
import { z } from "zod";
import "./openapi.js"; // .openapi() on zod schemas

// C0 controls but tab, newline and carriage return; DEL; C1 controls. Matching them is the point.
// eslint-disable-next-line no-control-regex
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F]/;
// With the u flag a surrogate pair is one code point, so \p{Cs} finds only lone (ill-formed) ones.
const LONE_SURROGATE = /\p{Cs}/u;
const CLASS_MULTI_LINE = "[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]";
const CLASS_SINGLE_LINE = "[^\\u0000-\\u001F\\u007F-\\u009F]";

const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/** Why `value` is not acceptable text, or undefined when it is. */
export function textProblem(value: string, multiLine: boolean): string | undefined {
  if (LONE_SURROGATE.test(value)) return "must be valid Unicode text (it contains a lone surrogate)";
  const found = (multiLine ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE).exec(value);
  if (!found) return undefined;
  if (!multiLine && /[\t\n\r]/.test(found[0])) return "must be a single line, without line breaks or tabs";
  return `must not contain control characters (found ${codePoint(found[0])} at position ${found.index})`;
}

/**
 * Every string in a parsed request (values and object keys, at any depth) checked against the
 * multi-line rule, so no field can slip through whatever its schema says. Issues name the field.
 */
export function hostileTextIssues(value: unknown, path: string[] = []): FieldIssue[] {
  if (typeof value === "string") {
    const problem = textProblem(value, true);
    return problem ? [{ path: path.join("."), message: problem }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => hostileTextIssues(item, [...path, String(i)]));
  if (value && typeof value === "object") {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => {
      const keyProblem = textProblem(key, false);
      const at = [...path, key];
      return keyProblem
        ? [{ path: at.join("."), message: `has a name that ${keyProblem}` }]
        : hostileTextIssues(item, at);
    });
  }
  return [];
}

export interface TextOptions {
  /** Fewest characters once leading and trailing blanks are ignored (default 0). */
  min?: number;
  max: number;
  /** Store without the leading and trailing blanks. */
  trim?: boolean;
}

function text(multiLine: boolean, { min = 0, max, trim = false }: TextOptions) {
  const allowed = multiLine ? CLASS_MULTI_LINE : CLASS_SINGLE_LINE;
  // The same rules as a pattern, so the OpenAPI document says what is accepted: the minimum counts
  // non-blank characters from the first to the last.
  const atLeast = min <= 0 ? "" : min === 1 ? "(?=\\s*\\S)" : `(?=\\s*\\S[\\s\\S]{${min - 2},}\\S)`;
  const base = trim ? z.string().trim() : z.string();
  return base
    .max(max)
    .superRefine((value, ctx) => {
      const problem = textProblem(value, multiLine);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
      else if (value.trim().length < min)
        ctx.addIssue({
          code: "custom",
          message: `must have at least ${min} character${min === 1 ? "" : "s"} besides blanks`,
        });
    })
    .openapi({ pattern: `^${atLeast}${allowed}*$`, ...(min > 0 ? { minLength: min } : {}) });
}

/** A one-line text field (title, name, pseudonym, id...): no control characters, no line breaks or tabs. */
export const singleLineText = (options: TextOptions) => text(false, options);

/** A multi-line text field (description, summary, message, notes): tabs and line breaks allowed. */
export const multiLineText = (options: TextOptions) => text(true, options);

/** The single-line rule for a schema that is not a plain string (a URL, an e-mail address). */
export function singleLine<T extends z.ZodType<string>>(schema: T) {
  return schema.superRefine((value, ctx) => {
    const problem = textProblem(value, false);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}
