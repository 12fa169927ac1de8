// What the path tests share: a person with an open path, an operator, deliveries in the past of the
// service's clock, an IdeaAdopted as the adoption service publishes it, and a CSV reader (RFC 4180).
import type { TokenClaims } from "@lto/auth";
import { IdeaAdoptedEvent } from "@lto/contracts";
import { uniqueId } from "@lto/testkit";
import type { TestService } from "@lto/testkit/service";
import { callers, ok, operatorBody, personBody } from "./support.js";

export const HOUR = 3_600_000;

/** The learner account each person registered here was given (their `learnerSubject`). */
const logins = new Map<string, string>();

/**
 * The learner token of a person registered through `aPerson` / `personWithPath`: its subject is their
 * learner account (the person's `learnerSubject`), as for bookings, never their pseudonymous id.
 */
export function personLogin(personId: string): TokenClaims {
  const sub = logins.get(personId);
  if (!sub) throw new Error(`person ${personId} was not registered with a learner account here`);
  return { sub, role: "learner", org: sub };
}

/** Registers a person (adult, or `age`) at lto-mantova with a learner account of their own. */
export async function aPerson(svc: TestService, over: Record<string, unknown> = {}, age = 20) {
  const learnerSubject = uniqueId("learner");
  const person = await ok(
    svc.as(callers.staff),
    "POST",
    "/v1/persons",
    personBody(svc, { learnerSubject, ...over }, age),
  );
  logins.set(person.id as string, learnerSubject);
  return person;
}

export async function anOperator(svc: TestService): Promise<string> {
  return (await ok(svc.as(callers.staff), "POST", "/v1/operators", operatorBody())).id;
}

/** A registered adult (or `age`) at lto-mantova, with a learner account, with an open path. */
export async function personWithPath(svc: TestService, age = 20, body: Record<string, unknown> = {}) {
  const person = await aPerson(svc, {}, age);
  const path = await ok(svc.as(callers.staff), "POST", `/v1/persons/${person.id}/path`, body);
  return { personId: person.id as string, pathId: path.id as string, path };
}

/** A delivery body `hoursAgo` hours back, lasting `minutes`. */
export function deliveryBody(
  svc: TestService,
  operatorId: string,
  serviceCode: string,
  over: Record<string, unknown> = {},
  minutes = 60,
  hoursAgo = 3,
) {
  const start = new Date(svc.clock.now().getTime() - hoursAgo * HOUR);
  return {
    serviceCode,
    operatorId,
    start: start.toISOString(),
    end: new Date(start.getTime() + minutes * 60_000).toISOString(),
    outcome: "servizio_svolto",
    notes: "Primo colloquio, CV da rivedere",
    ...over,
  };
}

export function ideaAdopted(
  ideaId = uniqueId("idea"),
  schoolId = callers.school.org,
  adoptionId = uniqueId("adoption"),
) {
  return IdeaAdoptedEvent.create({
    adoptionId,
    ideaId,
    callId: "call-paths",
    schoolId,
    companyId: "company-omv",
    companyName: "OMV S.p.A.",
    occurredAt: new Date().toISOString(),
    actorSubject: callers.school.sub,
    version: 1,
  });
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field || row.length)
    throw new Error(`the CSV does not end with CRLF: ${JSON.stringify(text.slice(-40))}`);
  return rows;
}

/** CSV rows as records keyed by the header's column names. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ""])));
}

/** The path operations: their role matrix is test/int/paths-access.int.test.ts. */
export const PATH_OPERATIONS = [
  "POST /v1/persons/{personId}/path",
  "GET /v1/persons/{personId}/path",
  "GET /v1/ideas/{ideaId}/path",
  "GET /v1/paths/{pathId}",
  "PUT /v1/paths/{pathId}/plan/{serviceCode}",
  "POST /v1/paths/{pathId}/proposals",
  "PUT /v1/paths/{pathId}/funder",
  "POST /v1/paths/{pathId}/closure",
  "POST /v1/paths/{pathId}/reopening",
  "POST /v1/paths/{pathId}/booking-checks",
  "POST /v1/paths/{pathId}/deliveries",
  "POST /v1/paths/{pathId}/deliveries/{deliveryId}/corrections",
  "POST /v1/paths/{pathId}/deliveries/{deliveryId}/confirmation",
  "POST /v1/paths/{pathId}/deliveries/{deliveryId}/void",
  "GET /v1/paths/{pathId}/timesheet.csv",
  "GET /v1/paths/{pathId}/evidence.pdf",
  "GET /v1/reports/hours",
  "GET /v1/reports/hours.csv",
];
