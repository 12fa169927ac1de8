// What the self-employment journeys share (site staff, the booking refusals, a young person's bookings
// and credentials): the self-employment service (and the catalogue when the pages need it) on the
// testkit's broker and store behind the real gateway, one browser signed in; the staff of lto-mantova;
// an operator working the weekdays; a person registered with an open path through the service's API.
import type { TokenClaims } from "@lto/auth";
import { romeDate } from "@lto/civil-time";
import { catalogueService } from "@lto/catalogue-service";
import { selfEmploymentService } from "@lto/self-employment-service";
import { startTestService, type Client, type TestService } from "@lto/testkit/service";
import { expect } from "vitest";
import { anOperator, aPerson } from "../../../self-employment/test/fixtures.js";
import {
  buildPortal,
  openBrowser,
  servePortal,
  signInWithToken,
  type BrowserSession,
  type PortalServer,
} from "./harness.js";

/** Staff of the lto-mantova site, as the gateway would sign them in. */
export const mantovaStaff: TokenClaims = {
  sub: "staff-lto-mantova",
  role: "staff",
  org: "provincia-mantova",
  sites: ["lto-mantova"],
  name: "Operatore LTO Mantova",
};

export interface SelfEmploymentJourney {
  se: TestService;
  /** Started when asked (the staff home shows the site's course meetings, a learner's credentials). */
  catalogue?: TestService;
  portal: PortalServer;
  browser: BrowserSession;
  close(): Promise<void>;
}

/**
 * The self-employment service (no demo data), the catalogue when `catalogue`, the portal behind the
 * gateway, and one browser on it signed in as `signedIn`. `setup` runs once the services are up and
 * before the browser opens (the data the first page shows).
 */
export async function startSelfEmploymentJourney(opts: {
  signedIn: TokenClaims;
  catalogue?: boolean;
  setup?: (services: { se: TestService; catalogue?: TestService }) => Promise<void>;
}): Promise<SelfEmploymentJourney> {
  const [se, dist] = await Promise.all([
    startTestService(selfEmploymentService, { env: { SEED_DEMO_WHEN_EMPTY: "false" } }),
    buildPortal(),
  ]);
  const catalogue = opts.catalogue
    ? await startTestService(catalogueService, { auth: se.auth, env: { LOG_LEVEL: "error" } })
    : undefined;
  await opts.setup?.({ se, ...(catalogue ? { catalogue } : {}) });
  const portal = await servePortal(dist, {
    "self-employment": se.url,
    ...(catalogue ? { catalogue: catalogue.url } : {}),
  });
  const browser = await openBrowser(portal.url);
  await browser.page.goto("/");
  await signInWithToken(browser.page, await se.auth.token(opts.signedIn));
  return {
    se,
    ...(catalogue ? { catalogue } : {}),
    portal,
    browser,
    close: async () => {
      await browser.close();
      await portal.close();
      await catalogue?.close();
      await se.close();
    },
  };
}

const created = (res: { status: number; body: unknown }) => {
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Record<string, unknown> & { id: string };
};
const once = () => ({ headers: { "idempotency-key": crypto.randomUUID() } });

/** An operator of lto-mantova working Monday to Friday 09:00-17:00 (lunch 13-14): their id. */
export async function weekdayOperator(
  client: Client,
  name = "Laura Bianchi",
  profiles = ["orientatore"],
): Promise<string> {
  const body = anOperator({
    name,
    profiles,
    plan: ([1, 2, 3, 4, 5] as const).map((weekday) => ({
      weekday,
      site: "lto-mantova",
      hours: { start: "09:00", end: "17:00" },
      breaks: [{ start: "13:00", end: "14:00" }],
    })),
  });
  return created(await client.post("/v1/operators", body, once())).id;
}

/**
 * An adult registered at lto-mantova (the codice fiscale starts with `prefix`, six letters) with an open
 * path; `over` adds to the person (e.g. a learnerSubject linking their account).
 */
export async function personWithPath(
  se: TestService,
  client: Client,
  names: { givenName: string; familyName: string },
  prefix: string,
  over: Record<string, unknown> = {},
): Promise<{ personId: string; pathId: string }> {
  const email = `${names.givenName}.${names.familyName}@example.it`.toLowerCase();
  const person = created(
    await client.post(
      "/v1/persons",
      { ...aPerson(romeDate(se.clock.now()), { ...names, email }, 20, prefix), ...over },
      once(),
    ),
  );
  const path = created(await client.post(`/v1/persons/${person.id}/path`, {}));
  return { personId: person.id, pathId: path.id };
}

/** The free slots of `service` at lto-mantova over the week from the service's today. */
export async function freeSlots(
  se: TestService,
  client: Client,
  service: string,
  days = 6,
): Promise<Array<{ start: string; end: string; operatorId: string; day: string }>> {
  const from = romeDate(se.clock.now());
  const to = romeDate(new Date(se.clock.now().getTime() + days * 86_400_000));
  const res = await client.get(`/v1/availability?service=${service}&site=lto-mantova&from=${from}&to=${to}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const view = res.body as {
    days: Array<{
      date: string;
      slots: Array<{ start: string; end: string; operators: Array<{ id: string }> }>;
    }>;
  };
  return view.days.flatMap((d) =>
    d.slots.flatMap((s) =>
      s.operators.map((o) => ({ start: s.start, end: s.end, operatorId: o.id, day: d.date })),
    ),
  );
}

/** Books through the API as staff (in person; `extra` adds e.g. an overrideReason): the answer. */
export async function bookThroughApi(
  client: Client,
  personId: string,
  serviceType: string,
  slot: { start: string; operatorId: string },
  extra: Record<string, unknown> = {},
) {
  return client.post(
    "/v1/bookings",
    {
      person: personId,
      serviceType,
      site: "lto-mantova",
      start: slot.start,
      operatorId: slot.operatorId,
      mode: "in_person",
      ...extra,
    },
    once(),
  );
}
