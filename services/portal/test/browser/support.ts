// What the browser journeys share beyond the harness: days in Rome as the services take them, site
// staff's claims, a call through a service's API that must succeed (its body, or the failure with the
// service's answer), a published course, a company registered through the API (with a valid partita IVA).
import type { TokenClaims } from "@lto/auth";
import { uniqueId } from "@lto/testkit";
import type { Reply, TestService } from "@lto/testkit/service";
import { expect } from "vitest";

export const DAY = 86_400_000;

/** YYYY-MM-DD of `at` in Rome (what a date field holds and the services take). */
export const romeDay = (at: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Rome" }).format(at);

/** YYYY-MM-DD in Rome, `days` from now. */
export const romeDayIn = (days: number) => romeDay(new Date(Date.now() + days * DAY));

/** Staff of one site of the Province of Mantua. */
export const siteStaff = (sub: string, site: string, name?: string): TokenClaims => ({
  sub,
  role: "staff",
  org: "provincia-mantova",
  sites: [site],
  ...(name ? { name } : {}),
});

type Client = ReturnType<TestService["as"]>;

/** A call that must succeed: its body, or the test fails with the status and the service's answer. */
export async function ok(
  client: Client,
  method: string,
  path: string,
  body?: unknown,
): Promise<Reply["body"]> {
  const res = await client.request(method, path, body === undefined ? {} : { body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

/** A course drafted and published by `asStaff` on the catalogue (in person unless `course` says); its id. */
export async function publishedCourse(asStaff: Client, course: Record<string, unknown>): Promise<string> {
  const draft = await ok(asStaff, "POST", "/v1/courses", { mode: "in_person", ...course });
  await ok(asStaff, "POST", `/v1/courses/${draft.id as string}/publish`);
  return draft.id as string;
}

/**
 * A published course of `site` (for young people, DigComp 3.1 at level 2, one hour, unless `course`
 * says) with one session of one meeting; the session as the catalogue created it.
 */
export async function publishedSession(
  asStaff: Client,
  site: string,
  course: { titleIt: string; descriptionIt: string; areas: string[] } & Record<string, unknown>,
  session: {
    meeting: { date: string; start: string; end: string; room: string; trainer: string };
    capacity: number;
    enrolment: { opensOn: string; closesOn: string };
  },
): Promise<Reply["body"]> {
  const courseId = await publishedCourse(asStaff, {
    audiences: ["young_people"],
    competences: [{ framework: "digcomp", version: "2.2", competence: "3.1", level: 2 }],
    hours: 1,
    sites: [site],
    ...course,
  });
  const { meeting, ...rest } = session;
  return ok(asStaff, "POST", "/v1/sessions", { courseId, site, meetings: [meeting], ...rest });
}

/** An Italian partita IVA with a valid check digit (Luhn on 11 digits). */
export function vat(seed: number): string {
  const base = String(1_000_000 + (seed % 8_999_999)).padStart(7, "0") + "020";
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let d = Number(base[i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return base + String((10 - (sum % 10)) % 10);
}

/** A company registered by its user (a fresh organisation) on the adoption service; the user's claims. */
export async function registeredCompany(
  adoption: TestService,
  company: { legalName: string; area: string; district: string; contact: { name: string; email: string } },
): Promise<TokenClaims> {
  const user: TokenClaims = {
    sub: uniqueId("cu"),
    role: "company",
    org: uniqueId("company"),
    name: company.contact.name,
  };
  const reg = await adoption.as(user).post(
    "/v1/companies",
    {
      legalName: company.legalName,
      vatNumber: vat(Math.floor(Math.random() * 1e6)),
      atecoCode: "28.41.00",
      areas: [company.area],
      district: company.district,
      contact: company.contact,
    },
    { headers: { "Idempotency-Key": uniqueId("reg") } },
  );
  expect(reg.status, JSON.stringify(reg.body)).toBe(201);
  return user;
}
