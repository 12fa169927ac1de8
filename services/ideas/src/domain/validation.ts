/** Every problem with an input, collected before failing (the platform's one collector). */
export { Issues } from "@lto/errors";

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
