// What the use cases need from the outside: the store's collections, password hashing, the adoption
// service (is a company verified?), the mail outbox, the sign-in sessions of the provider, time and ids.
import type { Identity, Role } from "@lto/auth";
import type { Account, AccountEvent, AccountStatus, Invitation } from "../domain/index.js";

/** The accounts an administrator looks for; `prefix` already lower-cased (searchPrefix). */
export interface AccountQuery {
  role?: Role | undefined;
  status?: AccountStatus | undefined;
  organisationId?: string | undefined;
  prefix?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  nextCursor?: string;
}

export interface AccountRepository {
  get(subject: string): Promise<Account | undefined>;
  byEmail(email: string): Promise<Account | undefined>;
  /** False when the subject or the e-mail is taken. */
  insert(account: Account, events?: AccountEvent[]): Promise<boolean>;
  update(account: Account, expectedVersion: number, events?: AccountEvent[]): Promise<Account>;
  count(): Promise<number>;
  /** One page, newest first. */
  list(query: AccountQuery): Promise<Page<Account>>;
  countByStatus(): Promise<Record<AccountStatus, number>>;
}

export interface InvitationRepository {
  byTokenHash(hash: string): Promise<Invitation | undefined>;
  insert(invitation: Invitation): Promise<boolean>;
  /** Marks it used if nobody else did first (false then). */
  accept(invitation: Invitation, at: Date): Promise<boolean>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export type CompanyStatus = "verified" | "registered" | "unknown";

export interface Companies {
  /** What the adoption service knows of the company, asked with the inviting person's token. */
  status(companyId: string, caller: Identity): Promise<CompanyStatus>;
}

export interface InvitationMail {
  id: string;
  to: string;
  locale: "it" | "en";
  displayName: string;
  link: string;
  expiresAt: Date;
}

export interface Mailer {
  invitation(mail: InvitationMail): Promise<void>;
}

/** The provider's sessions, grants and refresh tokens of an account. */
export interface Sessions {
  revokeAll(subject: string): Promise<number>;
}

/**
 * Sign-in attempts kept where every instance of the gateway sees them. Keys name an address or an
 * account; the store keeps only their hash.
 */
export interface SignInAttempts {
  record(key: string, at: Date): Promise<void>;
  /** The times (ms) of the attempts under `key` made after `after`. */
  since(key: string, after: Date): Promise<number[]>;
  /** Forgets the attempts under `key` (a sign-in with the right password). */
  clear(key: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface Ports {
  accounts: AccountRepository;
  invitations: InvitationRepository;
  passwords: PasswordHasher;
  companies: Companies;
  mailer: Mailer;
  sessions: Sessions;
  signInAttempts: SignInAttempts;
  clock: Clock;
  /** A new random id (subjects, invitations). */
  newId(): string;
  publicUrl: string;
}
