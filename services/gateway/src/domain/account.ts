// An account of the platform: who signs in, with which role, for which organisation and sites. Pure:
// the password hash is made elsewhere (app); here only the rules of its life.
import { ConflictError, ValidationError } from "@lto/errors";
import type { Role } from "@lto/auth";

export const ACCOUNT_STATUSES = ["invited", "active", "disabled"] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
export type Locale = "it" | "en";

export interface Account {
  /** The account's subject (JWT `sub`); also its id in the store. */
  id: string;
  version: number;
  role: Role;
  organisationId: string;
  sites: string[];
  /** Lower-cased, unique. */
  email: string;
  displayName: string;
  locale: Locale;
  status: AccountStatus;
  /** argon2id; absent until the invitation is accepted. */
  passwordHash?: string;
  createdAt: Date;
  activatedAt?: Date;
  disabledAt?: Date;
  disabledReason?: string;
}

export type AccountEvent =
  | { type: "AccountActivated"; account: Account; by: string; at: Date }
  | { type: "AccountDisabled"; account: Account; reason: string; by: string; at: Date };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The form every e-mail is kept and compared in. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function checkEmail(email: string): string {
  const normal = normaliseEmail(email);
  if (!EMAIL.test(normal) || normal.length > 254) {
    throw new ValidationError("The e-mail address is not valid", [
      { path: "email", message: "Must be an e-mail address like nome@esempio.it" },
    ]);
  }
  return normal;
}

/** Passwords: at least 12 characters (NIST 800-63B: length over composition rules), at most 256. */
export function checkPassword(password: string): void {
  if (password.length < 12 || password.length > 256) {
    throw new ValidationError("The password must be 12 to 256 characters long", [
      { path: "password", message: "Use 12 to 256 characters; a short sentence is easy to remember" },
    ]);
  }
}

export interface NewAccount {
  subject: string;
  role: Role;
  organisationId: string;
  sites?: string[];
  email: string;
  displayName: string;
  locale?: Locale;
}

/** A new account, invited: it signs in once its password is set. */
export function inviteAccount(input: NewAccount, at: Date): Account {
  return {
    id: input.subject,
    version: 1,
    role: input.role,
    organisationId: input.organisationId,
    sites: [...new Set(input.sites ?? [])],
    email: checkEmail(input.email),
    displayName: input.displayName.trim(),
    locale: input.locale ?? "it",
    status: "invited",
    createdAt: at,
  };
}

/** Sets the password (its hash) and activates the account. */
export function activateAccount(
  account: Account,
  passwordHash: string,
  by: string,
  at: Date,
): { account: Account; events: AccountEvent[] } {
  if (account.status === "disabled") {
    throw new ConflictError("This account is disabled; ask the LTO staff to enable it again");
  }
  const next: Account = { ...account, status: "active", passwordHash, activatedAt: at };
  return { account: next, events: [{ type: "AccountActivated", account: next, by, at }] };
}

export function disableAccount(
  account: Account,
  reason: string,
  by: string,
  at: Date,
): { account: Account; events: AccountEvent[] } {
  if (account.status === "disabled") return { account, events: [] };
  const next: Account = { ...account, status: "disabled", disabledAt: at, disabledReason: reason };
  return { account: next, events: [{ type: "AccountDisabled", account: next, reason, by, at }] };
}

/**
 * Re-activates a disabled account (an administrator's decision): active again when it had set its
 * password, invited again when it had not (its link, if still valid, then works). Idempotent: an
 * account that is not disabled is returned as it is, with no event.
 */
export function enableAccount(
  account: Account,
  by: string,
  at: Date,
): { account: Account; events: AccountEvent[] } {
  if (account.status !== "disabled") return { account, events: [] };
  const { disabledAt: _at, disabledReason: _reason, ...rest } = account;
  if (!account.passwordHash) return { account: { ...rest, status: "invited" }, events: [] };
  const next: Account = { ...rest, status: "active" };
  // AccountActivated's contract: "an account can sign in now", published again with a higher version.
  return { account: next, events: [{ type: "AccountActivated", account: next, by, at }] };
}

/** What a search matches the start of: the e-mail, the whole name and each of its words, lower-cased. */
export function searchKeys(account: Pick<Account, "email" | "displayName">): string[] {
  const name = account.displayName.toLocaleLowerCase("it").trim();
  return [...new Set([account.email, name, ...name.split(/\s+/).filter(Boolean)])];
}

/** A search as it is compared with the keys: trimmed, lower-cased. */
export const searchPrefix = (q: string) => q.trim().toLocaleLowerCase("it");

/** Whole years between `birthDate` (YYYY-MM-DD) and `today` (YYYY-MM-DD). */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = today.split("-").map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

export const ADULT_AGE = 18;
