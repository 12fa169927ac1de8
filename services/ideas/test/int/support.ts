// The ideas service under test (started by the test kit on the real broker and store), its callers and
// the bodies its tests send.
import { romeDate } from "@lto/civil-time";
import type { Role } from "@lto/auth";
import { expect } from "vitest";
import { ok, startTestService, type Reply, type TestService } from "@lto/testkit/service";
import { ideasService } from "../../src/main.js";

export type { Reply } from "@lto/testkit/service";

export interface Caller {
  role: Role;
  org: string;
  sub: string;
  /** Staff act only at these sites (the token's `sites` claim). */
  sites?: string[];
}

export const callers = {
  school: { role: "school", org: "school-fermi-mantova", sub: "referent-fermi" },
  otherSchool: { role: "school", org: "school-galilei-ostiglia", sub: "referent-galilei" },
  company: { role: "company", org: "company-omv", sub: "ing-gatti" },
  // Calls made by `staff` without naming a site are run by lto-mantova, its only site.
  staff: { role: "staff", org: "provincia-mantova", sub: "staff-lto", sites: ["lto-mantova"] },
  otherSiteStaff: { role: "staff", org: "provincia-mantova", sub: "staff-viadana", sites: ["lto-viadana"] },
  evaluator: { role: "staff", org: "provincia-mantova", sub: "eval-bertoli", sites: ["lto-mantova"] },
  programme: { role: "programme", org: "provincia-mantova", sub: "programme-office" },
  admin: { role: "admin", org: "lto-ops", sub: "ops-admin" },
} satisfies Record<string, Caller>;

export interface IdeasHarness extends TestService {
  /** A request as one of the callers (none: anonymous). */
  request(
    method: string,
    path: string,
    opts?: { as?: Caller; body?: unknown; headers?: Record<string, string> },
  ): Promise<Reply>;
  /** A set-up request that must succeed: its body, or an error naming the answer. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ok(method: string, path: string, as: Caller, body?: unknown): Promise<any>;
}

/**
 * Starts the ideas service on a fresh database; with `sameStoreAs`, another instance of the one given
 * (same store, broker, consumer group, keys and clock), whose close() only stops it.
 */
export async function startIdeas(
  env: Record<string, string> = {},
  opts: { sameStoreAs?: IdeasHarness } = {},
): Promise<IdeasHarness> {
  const svc = await startTestService(ideasService, {
    env,
    ...(opts.sameStoreAs ? { sameAs: opts.sameStoreAs } : {}),
  });
  const request: IdeasHarness["request"] = (method, path, o = {}) =>
    svc.as(o.as).request(method, path, { body: o.body, ...(o.headers ? { headers: o.headers } : {}) });
  return Object.assign(svc, {
    request,
    ok: (method: string, path: string, as: Caller, body?: unknown) => ok(svc.as(as), method, path, body),
  });
}

/** Staff open a call in its submission phase (openCallBody with these overrides): its body. */
export async function openCall(
  ideas: IdeasHarness,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; schoolYear: string; version: number }> {
  const call = await ideas.request("POST", "/v1/calls", {
    as: callers.staff,
    body: openCallBody(new Date(), overrides),
  });
  expect(call.status, JSON.stringify(call.body)).toBe(201);
  return call.body;
}

/** Staff name the evaluator, who scores the submitted idea, and staff publish it. */
export async function evaluateAndPublish(ideas: IdeasHarness, ideaId: string): Promise<void> {
  const steps = [
    ["PUT", "evaluators", callers.staff, { evaluators: [callers.evaluator.sub] }],
    ["PUT", "scores", callers.evaluator, { scores: fullScores }],
    ["POST", "publish", callers.staff, { answer: "Pubblicata" }],
  ] as const;
  for (const [method, step, as, body] of steps) {
    const r = await ideas.request(method, `/v1/ideas/${ideaId}/${step}`, { as, body });
    expect(r.status, `${method} ${step}: ${JSON.stringify(r.body)}`).toBe(200);
  }
}

export function day(offsetDays: number, from: Date): string {
  return romeDate(new Date(from.getTime() + offsetDays * 86_400_000));
}

/** A call whose submission phase is open today (in Rome), with the evaluator on its panel. */
export function openCallBody(now = new Date(), overrides: Record<string, unknown> = {}) {
  const y = now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  return {
    title: "LTO Idee test",
    description: "Call di prova",
    model: "open",
    schoolYear: `${y}/${String((y + 1) % 100).padStart(2, "0")}`,
    phaseStarts: {
      submission: day(-5, now),
      evaluation: day(20, now),
      adoption: day(40, now),
      closed: day(80, now),
    },
    panel: [
      { subject: callers.evaluator.sub, organisationId: callers.evaluator.org, kind: "staff" },
      { subject: "eval-fermi", organisationId: callers.school.org, kind: "staff" },
    ],
    ...overrides,
  };
}

export function teamBody(schoolYear: string, overrides: Record<string, unknown> = {}) {
  return {
    name: "I Rinnovabili",
    schoolName: "IIS E. Fermi Mantova",
    className: "4A",
    schoolYear,
    referentTeacher: "Prof.ssa Bonfanti",
    members: [
      { pseudonym: "Volpe Blu", minor: true, parentalConsentOn: day(-30, new Date()) },
      { pseudonym: "Airone", minor: false },
    ],
    ...overrides,
  };
}

export { completeContent as ideaContent } from "../fixtures.js";

export const fullScores = { innovation: 5, feasibility: 4, digital_content: 4, territorial_impact: 3 };
