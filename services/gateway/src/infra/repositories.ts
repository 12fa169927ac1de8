// The use cases' ports on the gateway's store, argon2id and the adoption service.
import { createHash } from "node:crypto";
import type { Identity } from "@lto/auth";
import argon2 from "argon2";
import {
  adoptionUnavailable,
  type AccountRepository,
  type Companies,
  type CompanyStatus,
  type InvitationRepository,
  type PasswordHasher,
  type SignInAttempts,
} from "../app/index.js";
import { ACCOUNT_STATUSES } from "../domain/index.js";
import { accountPendingEvents } from "../contract/events.js";
import type { GatewayCollections } from "./store.js";

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function accountRepository({ accounts }: GatewayCollections): AccountRepository {
  return {
    get: (subject) => accounts.get(subject),
    byEmail: (email) => accounts.findOne({ email }),
    insert: (account, events = []) =>
      accounts.insert(account, { events: accountPendingEvents(events, account.version) }),
    update: (account, expectedVersion, events = []) =>
      accounts.update(account, expectedVersion, {
        events: accountPendingEvents(events, expectedVersion + 1),
      }),
    count: () => accounts.count({}),
    list: ({ role, status, organisationId, prefix, limit, cursor }) =>
      accounts.page(
        {
          ...(role ? { role } : {}),
          ...(status ? { status } : {}),
          ...(organisationId ? { organisationId } : {}),
          // The keys are lower-cased like the prefix; the escaped prefix is anchored, so only starts match.
          ...(prefix ? { searchKeys: { $regex: `^${escapeRegex(prefix)}` } } : {}),
        },
        { limit, ...(cursor ? { cursor } : {}) },
        // Subjects are random UUIDs, not time-ordered: newest first is by creation time.
        { field: "createdAt", direction: -1 },
      ),
    async countByStatus() {
      const [invited, active, disabled] = await Promise.all(
        ACCOUNT_STATUSES.map((status) => accounts.count({ status })),
      );
      return { invited: invited!, active: active!, disabled: disabled! };
    },
  };
}

export function invitationRepository({ invitations }: GatewayCollections): InvitationRepository {
  return {
    byTokenHash: (hash) => invitations.findOne({ tokenHash: hash }),
    insert: (invitation) => invitations.insert(invitation),
    async accept(invitation, at) {
      const stored = await invitations.updateIf({ ...invitation, acceptedAt: at }, invitation.version, {
        expect: { acceptedAt: { $exists: false } },
      });
      return stored !== undefined;
    },
  };
}

/** Sign-in attempts on the store, keyed by a hash (no address or e-mail kept in clear). */
export function signInAttempts(
  { signInAttempts: attempts }: GatewayCollections,
  newId: () => string,
): SignInAttempts {
  const hashed = (key: string) => createHash("sha256").update(key).digest("hex");
  return {
    async record(key, at) {
      await attempts.insert({ id: newId(), version: 1, key: hashed(key), at });
    },
    async since(key, after) {
      const found = await attempts.find({ key: hashed(key), at: { $gt: after } }, 1_000, { at: 1 });
      return found.map((a) => a.at.getTime());
    },
    async clear(key) {
      await attempts.deleteMany({ key: hashed(key) });
    },
  };
}

/** Removes the attempts no window looks at any more (the store has no TTL indexes). */
export function sweepSignInAttempts(
  { signInAttempts: attempts }: GatewayCollections,
  before: Date,
): Promise<number> {
  return attempts.deleteMany({ at: { $lt: before } });
}

/** argon2id with the library's defaults (64 MiB, t=3, p=4: above OWASP's minimum). */
export const argon2Hasher: PasswordHasher = {
  hash: (password) => argon2.hash(password, { type: argon2.argon2id }),
  async verify(hash, password) {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  },
};

/**
 * Whether the adoption service knows a company as verified, read from its HTTP API with the inviting
 * staff member's own token (staff read every company there). Adoption publishes no company events and
 * serves no company gRPC, so asking is the one source that cannot be stale.
 */
export function adoptionCompanies(adoptionUrl: string, timeoutMs = 3000): Companies {
  return {
    async status(companyId: string, caller: Identity): Promise<CompanyStatus> {
      let res: Response;
      try {
        res = await fetch(`${adoptionUrl}/v1/companies/${encodeURIComponent(companyId)}`, {
          headers: { authorization: `Bearer ${caller.token}`, accept: "application/json" },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        throw adoptionUnavailable(err);
      }
      if (res.status === 404) return "unknown";
      if (!res.ok) throw adoptionUnavailable(new Error(`adoption answered ${res.status}`));
      const body = (await res.json()) as { status?: string };
      return body.status === "verified" ? "verified" : "registered";
    },
  };
}
