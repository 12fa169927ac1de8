// The gateway's database: accounts, invitations, the provider's short-lived records (sessions, grants,
// codes, refresh tokens, interactions), its keys and the sign-in attempts of the rate limits. Plain and
// unique indexes only (no TTL: the provider's records and old attempts are swept by periodic jobs).
import type { AggregateCollection, AggregateStore } from "@lto/store";
import { searchKeys, type Account, type Invitation } from "../domain/index.js";

/** One record of the provider: `id` is `<model>:<its id>`, the payload kept as JSON text. */
export interface OidcRecord {
  id: string;
  version: number;
  model: string;
  payload: string;
  expiresAt?: Date;
  uid?: string;
  grantId?: string;
  accountId?: string;
  userCode?: string;
}

/** A secret the gateway made for itself (development): the signing key, the cookie keys. */
export interface KeyRecord {
  id: string;
  version: number;
  value: string;
}

/** One sign-in attempt: `key` is the SHA-256 of what it counts against (an address, an account). */
export interface SignInAttemptRecord {
  id: string;
  version: number;
  key: string;
  at: Date;
}

export interface GatewayCollections {
  accounts: AggregateCollection<Account>;
  invitations: AggregateCollection<Invitation>;
  oidc: AggregateCollection<OidcRecord>;
  keys: AggregateCollection<KeyRecord>;
  signInAttempts: AggregateCollection<SignInAttemptRecord>;
}

export function gatewayCollections(store: AggregateStore): GatewayCollections {
  return {
    accounts: store.aggregates<Account>({
      name: "accounts",
      entity: "account",
      indexes: [
        { key: { email: 1 }, unique: true },
        { key: { organisationId: 1, _id: -1 } },
        { key: { status: 1, _id: -1 } },
        { key: { searchKeys: 1 } },
      ],
      // Searched by the start of the e-mail or of the name's words (the administrators' list).
      derived: { fields: ["searchKeys"], of: (a) => ({ searchKeys: searchKeys(a) }) },
      optional: ["passwordHash", "activatedAt", "disabledAt", "disabledReason"],
    }),
    invitations: store.aggregates<Invitation>({
      name: "invitations",
      entity: "invitation",
      indexes: [{ key: { tokenHash: 1 }, unique: true }, { key: { subject: 1 } }],
      optional: ["acceptedAt"],
    }),
    oidc: store.aggregates<OidcRecord>({
      name: "oidc_records",
      entity: "sign-in record",
      indexes: [
        { key: { uid: 1 } },
        { key: { grantId: 1 } },
        { key: { accountId: 1 } },
        { key: { userCode: 1 } },
        { key: { expiresAt: 1 } },
      ],
      optional: ["expiresAt", "uid", "grantId", "accountId", "userCode"],
    }),
    keys: store.aggregates<KeyRecord>({ name: "keys", entity: "key" }),
    signInAttempts: store.aggregates<SignInAttemptRecord>({
      name: "sign_in_attempts",
      entity: "sign-in attempt",
      indexes: [{ key: { key: 1, at: 1 } }, { key: { at: 1 } }],
    }),
  };
}
