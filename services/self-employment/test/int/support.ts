// What the self-employment service's integration tests share: the service on the real broker and
// store through the testkit, a caller per role, and valid operator and person bodies.
import type { TokenClaims } from "@lto/auth";
import { romeDate } from "@lto/civil-time";
import { operations } from "@lto/testkit/openapi-conformance";
import { startTestService, type TestService } from "@lto/testkit/service";
import { selfEmploymentService } from "../../src/main.js";
import { anOperator, aPerson } from "../fixtures.js";

export const callers = {
  staff: { sub: "staff-mantova", role: "staff", org: "provincia-mantova", sites: ["lto-mantova"] },
  otherSiteStaff: { sub: "staff-asola", role: "staff", org: "provincia-mantova", sites: ["lto-asola"] },
  programme: { sub: "programme-office", role: "programme", org: "provincia-mantova" },
  admin: { sub: "ops-admin", role: "admin", org: "lto-ops" },
  learner: { sub: "learner-giulia", role: "learner", org: "learner-giulia" },
  school: { sub: "referent-fermi", role: "school", org: "school-fermi-mantova" },
  company: { sub: "ing-gatti", role: "company", org: "company-omv" },
  partner: { sub: "cfp-user", role: "partner", org: "partner-cfp-for-ma" },
} satisfies Record<string, TokenClaims>;
export type CallerName = keyof typeof callers;

/** Every caller of a role matrix: each role, and no token at all. */
export type MatrixCaller = CallerName | "anonymous";
export const MATRIX_CALLERS: readonly MatrixCaller[] = [
  ...(Object.keys(callers) as CallerName[]),
  "anonymous",
];

export function startSelfEmployment(opts: Parameters<typeof startTestService>[1] = {}): Promise<TestService> {
  return startTestService(selfEmploymentService, { env: { SEED_DEMO_WHEN_EMPTY: "false" }, ...opts });
}

export const operatorBody = anOperator;

let persons = 0;
/** A valid person body with a codice fiscale no other call of this process uses. */
export function personBody(svc: TestService, overrides: Record<string, unknown> = {}, age = 20) {
  // The first six letters (surname and name codes) vary, so each codice fiscale is new.
  const n = ++persons + Math.floor(Math.random() * 10_000) * 100;
  const letters = [...String(n).padStart(6, "0")].map((d) => String.fromCharCode(65 + Number(d))).join("");
  return { ...aPerson(romeDate(svc.clock.now()), {}, age, letters), ...overrides };
}

export { ok } from "@lto/testkit/service";

/** The operations the service's live OpenAPI document tags with `tag`, as "METHOD /path". */
export async function operationsTagged(svc: TestService, tag: string): Promise<string[]> {
  const doc = (await svc.as().get("/openapi.json")).body;
  return operations(doc)
    .filter((o) => (o.spec.tags as string[] | undefined)?.includes(tag))
    .map((o) => `${o.method} ${o.path}`);
}
