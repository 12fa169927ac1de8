// What the staff's review pages share: the site's name from the portal's own texts, field errors.
import type { MessageId } from "../../i18n/index.js";
import { ProblemError } from "../../api/problem.js";

export const siteLabel = (site: string) => `enum.site.${site}` as MessageId;

/** The messages the service gave for `field` (problem+json errors whose path ends with it). */
export function fieldErrors(error: unknown, field: string): string[] {
  if (!(error instanceof ProblemError)) return [];
  return (error.problem?.errors ?? [])
    .filter((e) => e.path === field || e.path.endsWith(`.${field}`) || e.path.startsWith(`${field}.`))
    .map((e) => e.message);
}

/** aria attributes tying a control to its error text, when there is one. */
export const describedBy = (id: string, invalid: boolean, help?: string) => {
  const ids = [invalid ? id : undefined, help].filter(Boolean).join(" ");
  return { ...(ids ? { "aria-describedby": ids } : {}), ...(invalid ? { "aria-invalid": true } : {}) };
};
