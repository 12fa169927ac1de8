// A figure's rows as CSV (RFC 4180): a header row of the column names, then one line per row in the
// JSON's order; comma-separated, CRLF line ends, UTF-8. Numbers keep a dot as decimal separator,
// dates stay ISO text, an empty cell is a missing value (null). A cell is quoted when it holds a comma,
// a quote, a line break or edge spaces; text that a spreadsheet would run as a formula (=, +, -, @)
// gets a leading apostrophe.
import type { Cell, Row } from "../../domain/index.js";

export const CSV_MEDIA_TYPE = "text/csv; charset=utf-8";

export function csvCell(value: Cell): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(columns: readonly string[], rows: readonly Row[]): string {
  const lines = [columns.map(csvCell), ...rows.map((r) => columns.map((c) => csvCell(r[c] ?? null)))];
  return lines.map((cells) => cells.join(",")).join("\r\n") + "\r\n";
}
