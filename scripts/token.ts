/**
 * `npm run token -- <role> [options]`: a development ES256 token signed with the key whose public half
 * the gateway of `npm start` publishes in its JWKS outside production (.data/dev-keys), issued as the
 * gateway's issuer (GATEWAY_PUBLIC_URL or GATEWAY_HTTP_PORT, as for npm start). Printed alone on stdout, so `TOKEN=$(npm run -s token -- staff)`.
 *   roles with demo defaults: school, company, staff, programme, admin, learner, partner
 *   --org <id>  --sub <subject>  --sites a,b  --name "<name>"  --expires 8h
 * Refused with NODE_ENV=production: these tokens must never be trusted there.
 */
import { parseArgs } from "node:util";
import { ROLES, signToken, type Role } from "@lto/auth";
import { DEV_DEFAULTS } from "@lto/config";
import { devGatewayUrl, devKeyPath, loadOrCreateDevKey } from "./dev-key.js";

const DEMO_IDENTITIES: Record<Role, { org: string; sub: string; name: string; sites: string[] }> = {
  school: { org: "school-fermi-mantova", sub: "referent-fermi", name: "Prof.ssa Laura Bonfanti", sites: [] },
  company: { org: "company-omv", sub: "ing-gatti", name: "Ing. Chiara Gatti", sites: [] },
  staff: {
    org: "provincia-mantova",
    sub: "staff-lto-mantova",
    name: "Operatore LTO Mantova",
    sites: ["lto-mantova"],
  },
  programme: {
    org: "provincia-mantova",
    sub: "programme-office",
    name: "Ufficio programma Provincia",
    sites: [],
  },
  admin: { org: "lto-ops", sub: "ops-admin", name: "Amministratore piattaforma", sites: [] },
  // A learner acts for themselves: their organisation is their own person.
  learner: { org: "learner-giulia-rossi", sub: "learner-giulia-rossi", name: "Giulia Rossi", sites: [] },
  partner: { org: "partner-cfp-for-ma", sub: "cfp-formazione", name: "CFP For.Ma Mantova", sites: [] },
};

if (process.env.NODE_ENV === "production") {
  console.error("refused: development tokens are not for NODE_ENV=production");
  process.exit(1);
}

const USAGE = `usage: npm run token -- <${ROLES.join("|")}> [--org id] [--sub subject] [--sites a,b] [--name n] [--expires 8h]`;

function args() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        org: { type: "string" },
        sub: { type: "string" },
        sites: { type: "string" },
        name: { type: "string" },
        expires: { type: "string", default: "8h" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    // An unknown option: say which, and how it is used, without a stack trace.
    console.error(`${(err as Error).message.split(". ")[0]}\n${USAGE}`);
    process.exit(2);
  }
}
const { values, positionals } = args();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const role = positionals[0] as Role | undefined;
if (!role || !ROLES.includes(role)) {
  console.error(USAGE);
  process.exit(2);
}

const demo = DEMO_IDENTITIES[role];
const key = await loadOrCreateDevKey(devKeyPath());
const token = await signToken(
  key,
  {
    sub: values.sub ?? demo.sub,
    role,
    org: values.org ?? demo.org,
    sites: values.sites ? values.sites.split(",").filter(Boolean) : demo.sites,
    name: values.name ?? demo.name,
  },
  {
    // The gateway's issuer, which the services of `npm start` trust (the gateway publishes this key).
    issuer: process.env.JWT_ISSUER ?? `${devGatewayUrl()}/oidc`,
    audience: process.env.JWT_AUDIENCE ?? DEV_DEFAULTS.JWT_AUDIENCE,
    expiresIn: values.expires,
  },
);
console.log(token);
