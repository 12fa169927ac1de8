// The gateway's use cases: sign-in checks, invitations, disabling accounts and revoking their sessions.
import { createHash, randomBytes } from "node:crypto";
import { requireRole, type Identity, type Role } from "@lto/auth";
import { romeDate } from "@lto/civil-time";
import {
  AlreadyExistsError,
  ForbiddenError,
  NotFoundError,
  UnavailableError,
  ValidationError,
} from "@lto/errors";
import {
  activateAccount,
  ADULT_AGE,
  ageOn,
  checkEmail,
  checkPassword,
  disableAccount,
  enableAccount,
  INVITATION_TTL_MS,
  inviteAccount,
  normaliseEmail,
  searchPrefix,
  usableInvitation,
  type Account,
  type AccountStatus,
  type Invitation,
  type Locale,
} from "../domain/index.js";
import type { Ports } from "./ports.js";
import { slidingWindow, type Limited } from "./rate-limit.js";

export type { Ports } from "./ports.js";
export * from "./ports.js";
export { slidingWindow, WindowLimiter, type Limited } from "./rate-limit.js";

export interface SignInLimits {
  maxFailuresPerAccount: number;
  maxAttemptsPerIp: number;
  windowMs: number;
}

export type SignInResult =
  | { outcome: "ok"; account: Account }
  | { outcome: "invalid" }
  | { outcome: "disabled" }
  | { outcome: "limited"; retryAfterSeconds: number };

/** A minor never gets an account: what concerns them goes to their school referent. */
export class MinorRefusedError extends Error {
  constructor(readonly age: number) {
    super(
      `A person under ${ADULT_AGE} (this one is ${age}) never gets an account: ` +
        "what concerns a minor goes to their school referent",
    );
  }
}

export interface AccountFilters {
  role?: Role | undefined;
  status?: AccountStatus | undefined;
  organisation?: string | undefined;
  /** The start of the name (or of one of its words) or of the e-mail, in any case. */
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface InvitationInput {
  email: string;
  role: Role;
  organisationId: string;
  displayName: string;
  locale?: Locale | undefined;
  sites?: string[] | undefined;
  /** YYYY-MM-DD; required for role learner (adults only). */
  birthDate?: string | undefined;
}

/** Who may invite whom: staff the people the programme works with, admin anyone. */
const INVITABLE_BY: Record<"staff" | "admin", readonly Role[]> = {
  staff: ["school", "company", "learner", "partner"],
  admin: ["school", "company", "learner", "partner", "staff", "programme", "admin"],
};

export const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

// A hash to verify against when the e-mail is unknown, so that a wrong e-mail costs the same time as
// a wrong password and does not tell which accounts exist.
let decoyHash: Promise<string> | undefined;

export function createApp(ports: Ports, limits: SignInLimits) {
  /**
   * Admits one attempt under `key` if the window has room, and records it. It is recorded before it
   * is counted, so instances racing on one key never let more than `max` through: the k-th record
   * sees at least k. Racers that find themselves over the limit are refused and their records kept
   * (they were attempts), which may refuse more of a burst than it must, never fewer.
   */
  async function admit(key: string, max: number): Promise<Limited> {
    const now = ports.clock.now();
    const after = new Date(now.getTime() - limits.windowMs);
    const window = async (room: number) =>
      slidingWindow(await ports.signInAttempts.since(key, after), room, limits.windowMs, now.getTime());
    // A refused attempt is not recorded, so a flood stores no more than the limit (and its racers).
    const before = await window(max);
    if (!before.allowed) return before;
    await ports.signInAttempts.record(key, now);
    return (await window(max + 1)).allowed ? before : window(max);
  }

  async function signIn(emailInput: string, password: string, ip: string): Promise<SignInResult> {
    const email = normaliseEmail(emailInput);
    const byAddress = await admit(`address:${ip}`, limits.maxAttemptsPerIp);
    if (!byAddress.allowed) return { outcome: "limited", retryAfterSeconds: byAddress.retryAfterSeconds };
    // Counted until the right password clears it: what is left are the account's failures.
    const accountKey = `account:${email}`;
    const byAccount = await admit(accountKey, limits.maxFailuresPerAccount);
    if (!byAccount.allowed) return { outcome: "limited", retryAfterSeconds: byAccount.retryAfterSeconds };
    const account = await ports.accounts.byEmail(email);
    decoyHash ??= ports.passwords.hash(randomBytes(16).toString("hex"));
    const hash = account?.passwordHash ?? (await decoyHash);
    const matches = await ports.passwords.verify(hash, password.slice(0, 256));
    if (!account || !account.passwordHash || !matches) return { outcome: "invalid" };
    await ports.signInAttempts.clear(accountKey);
    if (account.status !== "active") return { outcome: "disabled" };
    return { outcome: "ok", account };
  }

  async function invite(caller: Identity | undefined, input: InvitationInput) {
    const me = requireRole(caller, "staff", "admin");
    if (!INVITABLE_BY[me.role as "staff" | "admin"].includes(input.role)) {
      throw new ForbiddenError(`As ${me.role} you cannot invite a person with the role ${input.role}`);
    }
    const now = ports.clock.now();
    if (input.role === "learner") {
      if (!input.birthDate) {
        throw new ValidationError("A learner's birth date is required: only adults get an account", [
          { path: "birthDate", message: "Give the birth date (YYYY-MM-DD)" },
        ]);
      }
      const age = ageOn(input.birthDate, romeDate(now));
      if (age < ADULT_AGE) throw new MinorRefusedError(age);
    }
    if (input.role === "company") {
      const status = await ports.companies.status(input.organisationId, me);
      if (status !== "verified") {
        throw new ForbiddenError(
          status === "unknown"
            ? `The adoption service knows no company ${input.organisationId}; register it there first`
            : `The company ${input.organisationId} is not verified yet; verify it before inviting its users`,
        );
      }
    }
    const email = checkEmail(input.email);
    if (await ports.accounts.byEmail(email)) {
      throw new AlreadyExistsError(`An account with the e-mail ${email} exists already`);
    }
    const subject = ports.newId();
    const account = inviteAccount(
      {
        subject,
        role: input.role,
        organisationId: input.organisationId,
        sites: input.sites ?? [],
        email,
        displayName: input.displayName,
        locale: input.locale ?? "it",
      },
      now,
    );
    const token = randomBytes(32).toString("base64url");
    const invitation: Invitation = {
      id: ports.newId(),
      version: 1,
      tokenHash: tokenHash(token),
      subject,
      invitedBy: me.subject,
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
    };
    if (!(await ports.accounts.insert(account))) {
      throw new AlreadyExistsError(`An account with the e-mail ${email} exists already`);
    }
    await ports.invitations.insert(invitation);
    const link = `${ports.publicUrl}/invitations/${token}`;
    await ports.mailer.invitation({
      id: `invitation-${invitation.id}`,
      to: email,
      locale: account.locale,
      displayName: account.displayName,
      link,
      expiresAt: invitation.expiresAt,
    });
    return { invitation, account, link };
  }

  async function acceptInvitation(token: string, password: string): Promise<Account> {
    checkPassword(password);
    const now = ports.clock.now();
    const invitation = usableInvitation(await ports.invitations.byTokenHash(tokenHash(token)), now);
    const account = await ports.accounts.get(invitation.subject);
    if (!account) throw new NotFoundError("account", invitation.subject);
    const hash = await ports.passwords.hash(password);
    if (!(await ports.invitations.accept(invitation, now))) {
      usableInvitation({ ...invitation, acceptedAt: now }, now); // someone used it a moment ago
    }
    const { account: active, events } = activateAccount(account, hash, account.id, now);
    return ports.accounts.update(active, account.version, events);
  }

  async function disable(caller: Identity | undefined, subject: string, reason: string) {
    const me = requireRole(caller, "admin", "staff");
    const account = await ports.accounts.get(subject);
    if (!account) throw new NotFoundError("account", subject);
    if (me.role === "staff" && !INVITABLE_BY.staff.includes(account.role)) {
      throw new ForbiddenError(`As staff you cannot disable a ${account.role} account; ask an administrator`);
    }
    const { account: next, events } = disableAccount(account, reason, me.subject, ports.clock.now());
    const stored = events.length ? await ports.accounts.update(next, account.version, events) : account;
    // Disabled accounts lose every session and refresh token at once, not at their expiry.
    await ports.sessions.revokeAll(subject);
    return stored;
  }

  /** Re-activates a disabled account (administrators only: staff disable, they do not undo it). */
  async function enable(caller: Identity | undefined, subject: string) {
    const me = requireRole(caller, "admin");
    const account = await ports.accounts.get(subject);
    if (!account) throw new NotFoundError("account", subject);
    const { account: next, events } = enableAccount(account, me.subject, ports.clock.now());
    if (next === account) return account;
    return ports.accounts.update(next, account.version, events);
  }

  async function list(caller: Identity | undefined, filters: AccountFilters) {
    requireRole(caller, "admin");
    const prefix = filters.q === undefined ? undefined : searchPrefix(filters.q);
    return ports.accounts.list({
      role: filters.role,
      status: filters.status,
      organisationId: filters.organisation,
      prefix: prefix || undefined,
      limit: filters.limit,
      cursor: filters.cursor,
    });
  }

  async function counts(caller: Identity | undefined) {
    requireRole(caller, "admin");
    return ports.accounts.countByStatus();
  }

  async function revokeSessions(caller: Identity | undefined, subject: string) {
    requireRole(caller, "admin", "staff");
    if (!(await ports.accounts.get(subject))) throw new NotFoundError("account", subject);
    return { revoked: await ports.sessions.revokeAll(subject) };
  }

  async function account(caller: Identity | undefined, subject: string) {
    // Staff and administrators read any account; anyone else only their own.
    requireRole(caller, "admin", "staff", ...(caller?.subject === subject ? [caller.role] : []));
    const found = await ports.accounts.get(subject);
    if (!found) throw new NotFoundError("account", subject);
    return found;
  }

  return {
    signIn,
    invite,
    acceptInvitation,
    disable,
    enable,
    list,
    counts,
    revokeSessions,
    account,
    ports,
  };
}

export type GatewayApp = ReturnType<typeof createApp>;

/** The adoption service did not answer: nothing was stored. */
export const adoptionUnavailable = (cause: unknown) =>
  new UnavailableError(
    "The adoption service, which says whether a company is verified, is unreachable; retry shortly",
    5,
    { cause },
  );
