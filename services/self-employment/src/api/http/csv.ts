// CSV as RFC 4180 writes it: CRLF line ends, a field quoted when it holds a comma, a quote or a line
// break (quotes doubled), UTF-8; numbers with a dot (String(n)), as spreadsheets and funders' tools read them.
export type CsvValue = string | number | boolean | null | undefined;

function field(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  const s = typeof value === "boolean" ? (value ? "si" : "no") : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((r) => r.map(field).join(",")).join("\r\n") + "\r\n";
}

export const CSV = "text/csv; charset=utf-8; header=present";
