// What the school's and the company's browser journeys share: the ideas and adoption services started
// together on the testkit's broker and store (one clock, one token issuer, each calling the other over
// gRPC), the portal served in front of them, and the steps a journey takes through the APIs rather than
// the portal (staff opening a call and publishing an idea, a company registered and verified).
import type { TokenClaims } from "@lto/auth";
import { adoptionService } from "@lto/adoption-service";
import { catalogueService } from "@lto/catalogue-service";
import { ideasService } from "@lto/ideas-service";
import { freePort, uniqueId } from "@lto/testkit";
import { startTestService, TestClock, type TestService } from "@lto/testkit/service";
import { expect } from "vitest";
import { buildPortal, openBrowser, servePortal, type BrowserSession, type PortalServer } from "./harness.js";
import { DAY, registeredCompany, romeDay } from "./support.js";

/** The journeys' real today; the services' clock starts in the call's submission phase, before it. */
export const NOW = new Date();

export const daysFromNow = (days: number) => new Date(NOW.getTime() + days * DAY);

export const staff: TokenClaims = {
  sub: "staff-mantova",
  role: "staff",
  org: "provincia-mantova",
  sites: ["lto-mantova"],
};
export const evaluator: TokenClaims = {
  sub: "eval-bertoli",
  role: "staff",
  org: "provincia-mantova",
  sites: ["lto-mantova"],
};

export interface Platform {
  ideas: TestService;
  adoption: TestService;
  clock: TestClock;
  portal: PortalServer;
  browser: BrowserSession;
  close(): Promise<void>;
}

/**
 * Ideas and adoption on one clock, set 45 days back: the call opened by `openCall` is then in its
 * submission phase; `toAdoptionPhase` moves the clock to the real now, inside the adoption phase, so
 * dates the portal proposes (today) are the services' today too.
 */
export async function startPlatform(): Promise<Platform> {
  const clock = new TestClock();
  clock.set(daysFromNow(-45));
  const adoptionGrpc = await freePort();
  const [ideas, dist] = await Promise.all([
    startTestService(ideasService, {
      clock,
      env: { ADOPTION_GRPC_ADDRESS: `127.0.0.1:${adoptionGrpc}`, LOG_LEVEL: "error" },
    }),
    buildPortal(),
  ]);
  const adoption = await startTestService(adoptionService, {
    clock,
    auth: ideas.auth,
    grpcPort: adoptionGrpc,
    env: { IDEAS_GRPC_ADDRESS: ideas.grpcAddress, LOG_LEVEL: "error" },
  });
  // The school's home also shows course suggestions: without the catalogue it would show an alert.
  const catalogue = await startTestService(catalogueService, {
    auth: ideas.auth,
    env: { LOG_LEVEL: "error" },
  });
  const portal = await servePortal(dist, {
    ideas: ideas.url,
    adoption: adoption.url,
    catalogue: catalogue.url,
  });
  const browser = await openBrowser(portal.url);
  return {
    ideas,
    adoption,
    clock,
    portal,
    browser,
    async close() {
      await browser.close();
      await portal.close();
      await catalogue.close();
      await adoption.close();
      await ideas.close();
    },
  };
}

/** A call run by the Mantova site: submission open on the clock's day, adoption open on the real today. */
export async function openCall(p: Platform, title: string): Promise<string> {
  const y = NOW.getUTCMonth() >= 8 ? NOW.getUTCFullYear() : NOW.getUTCFullYear() - 1;
  const res = await p.ideas.as(staff).post(
    "/v1/calls",
    {
      title,
      description: "Bando di prova dei percorsi del portale",
      model: "open",
      schoolYear: `${y}/${String((y + 1) % 100).padStart(2, "0")}`,
      phaseStarts: {
        submission: romeDay(daysFromNow(-50)),
        evaluation: romeDay(daysFromNow(-30)),
        adoption: romeDay(daysFromNow(-3)),
        closed: romeDay(daysFromNow(40)),
      },
      panel: [{ subject: evaluator.sub, organisationId: evaluator.org, kind: "staff" }],
    },
    { headers: { "Idempotency-Key": uniqueId("call") } },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/** Staff have it evaluated and publish it (in the evaluation phase), then the clock enters adoption. */
export async function publishAndOpenAdoption(p: Platform, ideaId: string): Promise<void> {
  p.clock.set(daysFromNow(-20));
  const steps = [
    ["put", "evaluators", staff, { evaluators: [evaluator.sub] }],
    [
      "put",
      "scores",
      evaluator,
      { scores: { innovation: 5, feasibility: 4, digital_content: 4, territorial_impact: 3 } },
    ],
    ["post", "publish", staff, { answer: "Pubblicata dal laboratorio" }],
  ] as const;
  for (const [method, step, as, body] of steps) {
    const r = await p.ideas.as(as)[method](`/v1/ideas/${ideaId}/${step}`, body);
    expect(r.status, `${step}: ${JSON.stringify(r.body)}`).toBe(200);
  }
  p.clock.set(NOW);
}

/** A company registered by its user and verified by staff; its claims. */
export async function verifiedCompany(p: Platform, legalName: string): Promise<TokenClaims> {
  const user = await registeredCompany(p.adoption, {
    legalName,
    area: "agroalimentare",
    district: "viadana",
    contact: { name: "Giulia Ferri", email: "giulia@example.it" },
  });
  const ver = await p.adoption.as(staff).post(`/v1/companies/${user.org}/verification`);
  expect(ver.status, JSON.stringify(ver.body)).toBe(200);
  return user;
}

/** The adoption service has the idea in its projection (from the ideas topic) and it may be held. */
export async function ideaReachedAdoption(p: Platform, ideaId: string, as: TokenClaims): Promise<void> {
  await expect
    .poll(async () => (await p.adoption.as(as).get(`/v1/ideas/${ideaId}`)).status, {
      timeout: 60_000,
      interval: 250,
    })
    .toBe(200);
}

export const ideaText = {
  summary: "Una serra idroponica con sensori IoT per le aziende agricole del Viadanese.",
  problem: "Le piccole aziende agricole sprecano acqua e fertilizzanti senza dati sul suolo.",
  solution: "Sensori a basso costo e un cruscotto web che suggerisce quando irrigare.",
};
