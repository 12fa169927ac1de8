// Demo accounts, one per role, loaded on an empty store in development (npm start). Their subjects and
// organisations are those of the other services' demo data (and of `npm run token`), so each person
// sees the demo data that is theirs.
import type { Role } from "@lto/auth";
import { openServiceStore } from "@lto/service-host";
import type { AccountRepository, PasswordHasher } from "../app/index.js";
import { loadGatewayConfig } from "../config.js";
import { activateAccount, inviteAccount, type Account } from "../domain/index.js";
import { accountRepository, argon2Hasher } from "../infra/repositories.js";
import { gatewayCollections } from "../infra/store.js";

export interface DemoAccount {
  role: Role;
  subject: string;
  organisationId: string;
  sites: string[];
  email: string;
  displayName: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    role: "school",
    subject: "referent-school-fermi-mantova",
    organisationId: "school-fermi-mantova",
    sites: [],
    email: "scuola@demo.lto.local",
    displayName: "Prof.ssa Laura Bonfanti",
  },
  {
    role: "company",
    subject: "ing-gatti",
    organisationId: "company-omv",
    sites: [],
    email: "azienda@demo.lto.local",
    displayName: "Ing. Andrea Gatti",
  },
  {
    role: "staff",
    subject: "staff-lto-mantova",
    organisationId: "provincia-mantova",
    sites: ["lto-mantova"],
    email: "staff@demo.lto.local",
    displayName: "Operatore LTO Mantova",
  },
  {
    role: "programme",
    subject: "programme-office",
    organisationId: "provincia-mantova",
    sites: [],
    email: "programma@demo.lto.local",
    displayName: "Ufficio programma Provincia",
  },
  {
    role: "admin",
    subject: "ops-admin",
    organisationId: "lto-ops",
    sites: [],
    email: "admin@demo.lto.local",
    displayName: "Amministratore piattaforma",
  },
  {
    role: "learner",
    subject: "demo-learner-giulia-rossi",
    organisationId: "demo-learner-giulia-rossi",
    sites: [],
    email: "giovane@demo.lto.local",
    displayName: "Giulia Rossi",
  },
  {
    role: "partner",
    subject: "cfp-formazione",
    organisationId: "partner-cfp-for-ma",
    sites: [],
    email: "partner@demo.lto.local",
    displayName: "CFP For.Ma Mantova",
  },
];

/** Creates the demo accounts, active, with `password`. */
export async function seedDemoAccounts(
  accounts: AccountRepository,
  passwords: PasswordHasher,
  password: string,
  now: Date,
): Promise<Account[]> {
  const hash = await passwords.hash(password);
  const created: Account[] = [];
  for (const demo of DEMO_ACCOUNTS) {
    const invited = inviteAccount({ ...demo, locale: "it" }, now);
    const { account, events } = activateAccount(invited, hash, "seed", now);
    if (await accounts.insert(account, events)) created.push(account);
  }
  return created;
}

/**
 * `npm run seed`'s part: the demo accounts into the store the environment names (MONGO_URL, MONGO_DB;
 * the development defaults otherwise), those missing only, with DEMO_PASSWORD. Their events wait in
 * the outbox until the gateway's relay publishes them.
 */
export async function runGatewaySeed(env: NodeJS.ProcessEnv = process.env, now = new Date()) {
  if (env.NODE_ENV === "production") throw new Error("refused: the demo accounts are for development");
  const config = loadGatewayConfig(env);
  const { store, collections } = await openServiceStore(
    { name: "gateway", url: config.MONGO_URL, dbName: config.MONGO_DB },
    gatewayCollections,
  );
  try {
    const created = await seedDemoAccounts(
      accountRepository(collections),
      argon2Hasher,
      config.DEMO_PASSWORD,
      now,
    );
    return { db: config.MONGO_DB, accounts: created.length };
  } finally {
    await store.close();
  }
}
