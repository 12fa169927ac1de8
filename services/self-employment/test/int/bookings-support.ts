// What the booking tests share: a service clock on a Monday morning, an operator working Monday to
// Friday at lto-mantova, persons with an open path (and a learner account), booking bodies.
import type { TokenClaims } from "@lto/auth";
import { uniqueId } from "@lto/testkit";
import type { TestService } from "@lto/testkit/service";
import { callers, ok, operatorBody, personBody } from "./support.js";

/** Monday 2 March 2026, 08:00 in Rome. */
export const MONDAY = new Date("2026-03-02T07:00:00Z");
/** Tuesday 3 March 2026 at `hhmm` in Rome (winter time, +01:00). */
export const tuesday = (hhmm: string) => new Date(`2026-03-03T${hhmm}:00+01:00`);

export function weekPlan(profiles: string[], name = "Laura Bianchi") {
  return operatorBody({
    name,
    profiles,
    plan: ([1, 2, 3, 4, 5] as const).map((weekday) => ({
      weekday,
      site: "lto-mantova",
      hours: { start: "09:00", end: "13:00" },
      breaks: [],
    })),
  });
}

export async function anOperatorWith(svc: TestService, profiles: string[], name?: string): Promise<string> {
  return (await ok(svc.as(callers.staff), "POST", "/v1/operators", weekPlan(profiles, name))).id as string;
}

/** A learner login, and a person at lto-mantova whose record names it, with an open path. */
export async function personWithLogin(svc: TestService) {
  const staff = svc.as(callers.staff);
  const login: TokenClaims = { sub: uniqueId("learner"), role: "learner", org: "learners" };
  const person = await ok(staff, "POST", "/v1/persons", personBody(svc, { learnerSubject: login.sub }));
  const path = await ok(staff, "POST", `/v1/persons/${person.id}/path`, {});
  return { personId: person.id as string, pathId: path.id as string, login };
}

export function bookingBody(personId: string, operatorId: string, over: Record<string, unknown> = {}) {
  return {
    person: personId,
    serviceType: "accoglienza",
    site: "lto-mantova",
    start: tuesday("09:00").toISOString(),
    operatorId,
    mode: "in_person",
    ...over,
  };
}

/**
 * The slot claims of bookings and offers: every test service on the shared broker also consumes the other
 * test files' catalogue events, whose course meetings hold labs (`course-meeting:` claims) in its ledger.
 */
export const NOT_COURSE_MEETINGS = { holderId: { $not: /^course-meeting:/ } };
