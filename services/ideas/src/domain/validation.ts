import { ValidationError, type FieldIssue } from "@lto/errors";

/** Collects every broken rule of an input so the caller learns them all at once. */
export class Issues {
  private readonly list: FieldIssue[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }

  check(ok: boolean, path: string, message: string): void {
    if (!ok) this.add(path, message);
  }

  throwIfAny(summary: string): void {
    if (this.list.length > 0) throw new ValidationError(summary, this.list);
  }
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
