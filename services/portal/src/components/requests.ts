// What a page needs around a request beyond the typed client: a retry-safe key, a download.

/** A random Idempotency-Key: a retried click never enrols or accepts twice. */
export const idempotencyKey = () => crypto.randomUUID();

/** Saves a response body as a file the way a download link would (name from Content-Disposition). */
export async function saveResponse(response: Response, fallbackName: string): Promise<string> {
  const blob = await response.blob();
  const disposition = response.headers.get("content-disposition") ?? "";
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
