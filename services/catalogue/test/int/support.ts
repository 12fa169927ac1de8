// What the catalogue's integration tests share: the service on the real broker and store through the
// testkit, a caller per role, and valid course and session bodies.
import type { TokenClaims } from "@lto/auth";
import { addDays, romeDate } from "@lto/civil-time";
import { ok, startTestService, type Client, type TestService } from "@lto/testkit/service";
import { catalogueService } from "../../src/main.js";

export const callers = {
  staff: { sub: "staff-mantova", role: "staff", org: "provincia-mantova", sites: ["lto-mantova"] },
  otherSiteStaff: { sub: "staff-asola", role: "staff", org: "provincia-mantova", sites: ["lto-asola"] },
  programme: { sub: "programme-office", role: "programme", org: "provincia-mantova" },
  admin: { sub: "ops-admin", role: "admin", org: "lto-ops" },
  partner: { sub: "cfp-user", role: "partner", org: "partner-cfp-for-ma" },
  otherPartner: { sub: "its-user", role: "partner", org: "partner-its-lombardia" },
  school: { sub: "referent-fermi", role: "school", org: "school-fermi-mantova" },
  company: { sub: "ing-gatti", role: "company", org: "company-omv" },
  learner: { sub: "learner-giulia", role: "learner", org: "learner-giulia" },
} satisfies Record<string, TokenClaims>;
export type CallerName = keyof typeof callers;

/** Every caller of a role matrix: each role, and no token at all. */
export type MatrixCaller = CallerName | "anonymous";
export const MATRIX_CALLERS: readonly MatrixCaller[] = [
  ...(Object.keys(callers) as CallerName[]),
  "anonymous",
];

export function startCatalogue(opts: Parameters<typeof startTestService>[1] = {}): Promise<TestService> {
  return startTestService(catalogueService, opts);
}

export function courseBody(overrides: Record<string, unknown> = {}) {
  return {
    titleIt: "Programmare con Python",
    descriptionIt: "Dalle variabili alle funzioni, con piccoli progetti per il territorio.",
    audiences: ["young_people"],
    areas: ["cultura"],
    competences: [{ framework: "digcomp", version: "2.2", competence: "3.4", level: 4 }],
    hours: 20,
    mode: "blended",
    sites: ["lto-mantova"],
    ...overrides,
  };
}

/** A session starting `inDays` days from today (Rome), weekly 15:00-18:00. */
export function sessionBody(courseId: string, overrides: Record<string, unknown> = {}, inDays = 30) {
  const today = romeDate(new Date());
  const first = addDays(today, inDays);
  return {
    courseId,
    site: "lto-mantova",
    meetings: [0, 7, 14].map((d) => ({
      date: addDays(first, d),
      start: "15:00",
      end: "18:00",
      room: "Laboratorio 2",
      trainer: "Marco Neri",
    })),
    capacity: 12,
    enrolment: { opensOn: today, closesOn: addDays(first, -1) },
    completionRule: { minimumAttendanceShare: 0.75, mandatoryMeetings: [0], finalAssessment: true },
    ...overrides,
  };
}

export { ok };

/** A published LTO course (staff of Mantova) with one scheduled session. */
export async function publishedCourseWithSession(svc: TestService, course = courseBody(), inDays = 30) {
  const staff = svc.as(callers.staff);
  const draft = await ok(staff, "POST", "/v1/courses", course);
  const published = await ok(staff, "POST", `/v1/courses/${draft.id}/publish`);
  const session = await ok(staff, "POST", "/v1/sessions", sessionBody(draft.id, {}, inDays));
  return { course: published, session };
}

/**
 * Confirmed enrolments for `personIds` through the public API: staff of the session's site enrol each
 * person on their behalf (waiving prerequisites with a reason). Answers person -> enrolment id.
 */
export async function confirmEnrolmentsFixture(
  svc: TestService,
  sessionId: string,
  personIds: readonly string[],
  staff: TokenClaims = callers.staff,
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  // The enrolments are made while the window was open (tests often set sessions in the past to
  // complete them): the clock goes back to the window's first day, and then forward again.
  const session = await ok(svc.as(staff), "GET", `/v1/sessions/${sessionId}`);
  const now = svc.clock.now();
  const opens = new Date(`${session.enrolment.opensOn as string}T12:00:00Z`);
  const closes = new Date(`${session.enrolment.closesOn as string}T12:00:00Z`);
  if (now < opens || now > closes) svc.clock.set(opens);
  try {
    for (const personId of personIds) {
      const enrolment = await ok(svc.as(staff), "POST", `/v1/sessions/${sessionId}/enrolments`, {
        personId,
        overrideReason: "Ammesso dallo staff per il test",
      });
      if (enrolment.status !== "confirmed")
        throw new Error(`${personId} is ${enrolment.status} on ${sessionId}, not confirmed`);
      ids[personId] = enrolment.id as string;
    }
  } finally {
    svc.clock.set(now);
  }
  return ids;
}

/** A paged list's answer: its items (as loosely typed as `ok`'s answers), the next page's cursor, the rest. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ListPage = { items: any[]; nextCursor?: string } & Record<string, unknown>;

/** Every page of a list, `limit` items at a time, following nextCursor to the end. */
export async function allPages(client: Client, path: string, limit = 100) {
  const pages: ListPage[] = [];
  let cursor: string | undefined;
  do {
    const query = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page = (await ok(client, "GET", `${path}${path.includes("?") ? "&" : "?"}${query}`)) as ListPage;
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor);
  return { items: pages.flatMap((p) => p.items), pages };
}
