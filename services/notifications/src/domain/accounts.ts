// The address book: the accounts the gateway announces (AccountActivated / AccountDisabled), kept here
// so that notices needing action can be mailed, in the account's language, to who may act on them.
import { LOCALES, type Locale } from "./notice.js";

export interface Account {
  /** The account's token subject. */
  id: string;
  role: string;
  organisationId: string;
  email: string;
  displayName: string;
  locale: Locale;
  active: boolean;
  /** The gateway's version of the account: an older announcement never overwrites a newer one. */
  sourceVersion: number;
  version: number;
}

export interface AccountActivation {
  subject: string;
  role: string;
  organisationId: string;
  email: string;
  displayName: string;
  locale: string;
  version: number;
}

/** A plain address check: an account without a usable one is kept, and is simply not mailed. */
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function localeOf(value: string | undefined): Locale {
  const short = (value ?? "").toLowerCase().slice(0, 2);
  return (LOCALES as readonly string[]).includes(short) ? (short as Locale) : "it";
}

/** The account after an activation; undefined when what is stored is as new or newer. */
export function activated(stored: Account | undefined, a: AccountActivation): Account | undefined {
  if (stored && stored.sourceVersion >= a.version) return undefined;
  return {
    id: a.subject,
    role: a.role,
    organisationId: a.organisationId,
    email: EMAIL.test(a.email) ? a.email : "",
    displayName: a.displayName,
    locale: localeOf(a.locale),
    active: true,
    sourceVersion: a.version,
    version: stored?.version ?? 0,
  };
}

/** The account once disabled; undefined when the stored one is newer (or already disabled). */
export function disabled(stored: Account | undefined, subject: string, version: number): Account | undefined {
  if (stored && (stored.sourceVersion > version || (!stored.active && stored.sourceVersion === version)))
    return undefined;
  // Disabled before we heard of it: remembered, so a late, older activation does not revive it.
  const base = stored ?? {
    id: subject,
    role: "",
    organisationId: "",
    email: "",
    displayName: "",
    locale: "it" as const,
    version: 0,
  };
  return { ...base, active: false, sourceVersion: version };
}
