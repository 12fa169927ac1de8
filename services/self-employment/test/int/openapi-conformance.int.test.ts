// The self-employment service answers exactly what its live /openapi.json documents: every operation
// is sent unauthenticated, with the wrong role, with invalid input and with a valid request (and, where
// they apply, without or with a stale If-Match, a body that is not JSON, a reused Idempotency-Key);
// each answer's status must be documented for that operation, with its content type and body schema.
import { operations, probeOperations, type Probe } from "@lto/testkit/openapi-conformance";
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BookingConfirmedEvent, IdeaAdoptedEvent, selfEmploymentV1 } from "@lto/contracts";
import { addDays, romeDate } from "@lto/civil-time";
import { uniqueId, waitFor } from "@lto/testkit";
import { eventProducer } from "@lto/testkit/service";
import { aLabConflict } from "./lab-holds-support.js";
import { deliveryBody, ideaAdopted, personLogin, personWithPath } from "./paths-support.js";
import { bookingChangeProbes } from "./booking-changes-support.js";
import { callers, ok, operatorBody, personBody, startSelfEmployment } from "./support.js";

let svc: TestService;
const ids: Record<string, string> = {};
const staff = () => svc.as(callers.staff);
const operator = () => ok(staff(), "POST", "/v1/operators", operatorBody());
const v1 = { "if-match": '"1"' };

const valid: Record<string, () => Promise<Probe>> = {
  "GET /v1/service-types": async () => ({}),
  "GET /v1/service-types/{code}": async () => ({ path: "/v1/service-types/business_plan" }),
  "GET /v1/sites": async () => ({}),
  "GET /v1/sites/{siteId}": async () => ({ path: "/v1/sites/informagiovani-castiglione" }),
  "POST /v1/operators": async () => ({ as: callers.staff, body: operatorBody() }),
  "GET /v1/operators/{operatorId}": async () => ({ as: callers.programme }),
  "GET /v1/sites/{siteId}/operators": async () => ({ as: callers.staff }),
  "PUT /v1/operators/{operatorId}/plan": async () => ({
    path: `/v1/operators/${(await operator()).id}/plan`,
    as: callers.staff,
    body: { plan: [], dailyCap: 3 },
    headers: v1,
  }),
  "PUT /v1/operators/{operatorId}/exceptions": async () => ({
    path: `/v1/operators/${(await operator()).id}/exceptions`,
    as: callers.staff,
    body: {
      exceptions: [
        { kind: "extra", date: "2027-01-09", site: "lto-mantova", hours: { start: "09:00", end: "12:00" } },
      ],
    },
    headers: v1,
  }),
  "POST /v1/persons": async () => ({ as: callers.staff, body: personBody(svc) }),
  "GET /v1/persons/{personId}": async () => ({ as: callers.staff }),
  "GET /v1/sites/{siteId}/persons": async () => ({ as: callers.programme }),
  // availability and the equipment gate (an item needing no credential: no catalogue call)
  "GET /v1/availability": async () => ({
    path: "/v1/availability?service=colloquio_specialistico&site=lto-mantova&from=2027-01-04&to=2027-01-10",
    as: callers.learner,
  }),
  "GET /v1/equipment/{itemId}/access": async () => ({
    path: `/v1/equipment/lto-mantova-stampante-3d-1/access?person=${ids.personId}`,
    as: callers.staff,
  }),
  // --- paths ---
  "POST /v1/persons/{personId}/path": async () => ({
    path: `/v1/persons/${(await ok(staff(), "POST", "/v1/persons", personBody(svc))).id}/path`,
    as: callers.staff,
    body: { funder: "fse_plus", proposed: ["coaching"] },
  }),
  "GET /v1/persons/{personId}/path": async () => ({
    path: `/v1/persons/${(await personWithPath(svc)).personId}/path`,
    as: callers.programme,
  }),
  "GET /v1/ideas/{ideaId}/path": async () => ({ as: callers.school }),
  "GET /v1/paths/{pathId}": async () => ({ as: callers.staff }),
  "PUT /v1/paths/{pathId}/plan/{serviceCode}": async () => ({
    path: `/v1/paths/${(await personWithPath(svc)).pathId}/plan/coaching`,
    as: callers.staff,
    body: { hours: 2.5, reason: "two CV sessions" },
    headers: v1,
  }),
  "POST /v1/paths/{pathId}/proposals": async () => ({ as: callers.staff, body: { services: ["coaching"] } }),
  "PUT /v1/paths/{pathId}/funder": async () => ({
    as: callers.staff,
    body: { funder: "dote_unica_lavoro", reason: "regional measure" },
  }),
  "POST /v1/paths/{pathId}/closure": async () => ({
    path: `/v1/paths/${(await personWithPath(svc)).pathId}/closure`,
    as: callers.staff,
    body: { reason: "hired", outcome: "assunto" },
  }),
  "POST /v1/paths/{pathId}/reopening": async () => {
    const { pathId } = await personWithPath(svc);
    await ok(staff(), "POST", `/v1/paths/${pathId}/closure`, { reason: "moved away" });
    return { path: `/v1/paths/${pathId}/reopening`, as: callers.staff, body: { reason: "came back" } };
  },
  "POST /v1/paths/{pathId}/booking-checks": async () => {
    const start = new Date(svc.clock.now().getTime() + 86_400_000);
    const end = new Date(start.getTime() + 3_600_000);
    return {
      as: callers.staff,
      body: { serviceCode: "accoglienza", start: start.toISOString(), end: end.toISOString() },
    };
  },
  "POST /v1/paths/{pathId}/deliveries": async () => ({
    as: callers.staff,
    body: deliveryBody(svc, ids.operatorId!, "accoglienza", {}, 30),
  }),
  "POST /v1/paths/{pathId}/deliveries/{deliveryId}/corrections": async () => ({
    path: `${await pathDelivery()}/corrections`,
    as: callers.staff,
    body: { outcome: "cv_prodotto", reason: "the CV was finished" },
  }),
  "POST /v1/paths/{pathId}/deliveries/{deliveryId}/confirmation": async () => ({
    path: `${await pathDelivery()}/confirmation`,
    as: personLogin(lastPerson),
  }),
  "POST /v1/paths/{pathId}/deliveries/{deliveryId}/void": async () => ({
    path: `${await pathDelivery()}/void`,
    as: callers.staff,
    body: { reason: "recorded on the wrong person" },
  }),
  "GET /v1/paths/{pathId}/timesheet.csv": async () => ({ as: callers.programme }),
  "GET /v1/paths/{pathId}/evidence.pdf": async () => ({ as: callers.staff }),
  "GET /v1/reports/hours": async () => ({
    path: "/v1/reports/hours?group=site,operator,month",
    as: callers.programme,
  }),
  "GET /v1/reports/hours.csv": async () => ({
    path: "/v1/reports/hours.csv?group=funder",
    as: callers.staff,
  }),
  // --- calendar feeds (the .ics by the current link, fetched anew: a rotation probe may run first) ---
  "GET /v1/calendar/operators/{operatorId}.ics": async () => ({
    path: feedPath(await ok(staff(), "GET", `/v1/calendar/operators/${ids.operatorId}/feed`)),
  }),
  "GET /v1/calendar/persons/{personId}.ics": async () => ({
    path: feedPath(await ok(staff(), "GET", `/v1/calendar/persons/${ids.personId}/feed`)),
  }),
  "GET /v1/calendar/operators/{operatorId}/feed": async () => ({ as: callers.staff }),
  "POST /v1/calendar/operators/{operatorId}/feed/rotate": async () => ({ as: callers.admin }),
  "GET /v1/calendar/persons/{personId}/feed": async () => ({ as: callers.staff }),
  "POST /v1/calendar/persons/{personId}/feed/rotate": async () => ({ as: callers.staff }),
  "GET /v1/calendar/bookings/{bookingId}.ics": async () => ({
    path: `/v1/calendar/bookings/${await aBookingInTheFeeds()}.ics`,
    as: callers.staff,
  }),
  // --- links between the four jobs: labs held by course meetings (lab conflicts) ---
  "GET /v1/lab-conflicts": async () => ({ path: "/v1/lab-conflicts?site=lto-mantova", as: callers.staff }),
  "GET /v1/lab-conflicts/{conflictId}": async () => ({
    path: `/v1/lab-conflicts/${(await aLabConflict(svc)).id}`,
    as: callers.programme,
  }),
  "POST /v1/lab-conflicts/{conflictId}/resolution": async () => ({
    path: `/v1/lab-conflicts/${(await aLabConflict(svc, { freed: true })).id}/resolution`,
    as: callers.staff,
    body: { note: "the booking moved to Sala colloqui 2" },
  }),
  // persons linked to their learner accounts, and a learner's own record
  "PUT /v1/persons/{personId}/login": async () => ({
    path: `/v1/persons/${(await ok(staff(), "POST", "/v1/persons", personBody(svc))).id}/login`,
    as: callers.staff,
    body: { learnerSubject: uniqueId("learner") },
  }),
  "DELETE /v1/persons/{personId}/login": async () => ({ as: callers.staff }),
  "GET /v1/me": async () => {
    const account = uniqueId("learner");
    const person = await ok(staff(), "POST", "/v1/persons", personBody(svc, { learnerSubject: account }));
    await ok(staff(), "POST", `/v1/persons/${person.id}/path`, {});
    return { as: { sub: account, role: "learner", org: account } };
  },
  // --- bookings: each valid booking on a fresh path in the next free slot of the operator ---
  "POST /v1/bookings": async () => ({ as: callers.staff, body: await bookable() }),
  "GET /v1/bookings/{bookingId}": async () => ({
    path: `/v1/bookings/${(await ok(staff(), "POST", "/v1/bookings", await bookable())).id}`,
    as: callers.programme,
  }),
  "GET /v1/bookings": async () => ({ path: "/v1/bookings?site=lto-mantova&limit=5", as: callers.staff }),
  // --- booking changes and the waitlist ---
  ...bookingChangeProbes(() => svc),
};

let feedBooking: Promise<string> | undefined;
/** A booking of the test's person, published as the booking work does, once the feeds hold it. */
function aBookingInTheFeeds(): Promise<string> {
  feedBooking ??= (async () => {
    const bookingId = uniqueId("booking");
    const start = new Date(svc.clock.now().getTime() + 86_400_000);
    const events = await eventProducer();
    await events.send(
      BookingConfirmedEvent,
      ids.personId!,
      BookingConfirmedEvent.create({
        personId: ids.personId!,
        bookingId,
        serviceType: "accoglienza",
        slot: {
          site: "lto-mantova",
          operatorId: ids.operatorId!,
          roomId: "lto-mantova-sala-1",
          equipmentIds: [],
          mode: selfEmploymentV1.DeliveryMode.DELIVERY_MODE_IN_PERSON,
          startsAt: start.toISOString(),
          endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
        },
        version: 1,
      }),
    );
    await events.stop();
    await waitFor(
      "the booking in the feeds",
      async () => (await staff().get(`/v1/calendar/bookings/${bookingId}.ics`)).status === 200,
      170_000,
    );
    return bookingId;
  })();
  return feedBooking;
}

/** The path and query of a calendar feed link. */
function feedPath(link: { url: string }) {
  const url = new URL(link.url);
  return `${url.pathname}${url.search}`;
}

/** A booking body for the next free accoglienza slot of the operator, for a person with a fresh path. */
async function bookable() {
  const today = romeDate(svc.clock.now());
  const free = await ok(
    staff(),
    "GET",
    `/v1/availability?service=accoglienza&site=lto-mantova&from=${today}&to=${addDays(today, 13)}&operator=${ids.operatorId}`,
  );
  const slot = free.days.flatMap((d: { slots: { start: string }[] }) => d.slots)[0];
  const { personId } = await personWithPath(svc);
  return {
    person: personId,
    serviceType: "accoglienza",
    site: "lto-mantova",
    start: slot.start,
    operatorId: ids.operatorId,
    mode: "in_person",
  };
}

let lastPerson = "";
/** A delivery on a fresh path (its person is `lastPerson`): the URL of the delivery. */
async function pathDelivery() {
  const { personId, pathId } = await personWithPath(svc);
  lastPerson = personId;
  const body = await ok(
    staff(),
    "POST",
    `/v1/paths/${pathId}/deliveries`,
    deliveryBody(svc, ids.operatorId!, "accoglienza"),
  );
  return `/v1/paths/${pathId}/deliveries/${body.delivery.id}`;
}

beforeAll(async () => {
  svc = await startSelfEmployment();
  ids.operatorId = (await operator()).id;
  ids.personId = (await ok(staff(), "POST", "/v1/persons", personBody(svc))).id;
  ids.siteId = "lto-mantova";
  ids.code = "coaching";
  // --- paths ---
  const { pathId } = await personWithPath(svc);
  ids.pathId = pathId;
  ids.serviceCode = "coaching";
  ids.deliveryId = "none";
  ids.ideaId = uniqueId("idea");
  const events = await eventProducer();
  await events.send(IdeaAdoptedEvent, ids.ideaId, ideaAdopted(ids.ideaId));
  await events.stop();
  await waitFor(
    "the adopted team's path",
    async () => (await staff().get(`/v1/ideas/${ids.ideaId}/path`)).status === 200,
    170_000,
  );
}, 240_000);
afterAll(async () => {
  await svc?.close();
});

describe("the OpenAPI document", () => {
  it("documents every answer as the service sends it", async () => {
    const doc = (await svc.as().get("/openapi.json")).body;
    expect(doc.info.title).toMatch(/self-employment/);
    expect(operations(doc).length).toBe(Object.keys(valid).length);
    const violations = await probeOperations({
      doc,
      as: (caller) => svc.as(caller),
      valid,
      wrongRole: callers.company,
      ids,
    });
    expect(violations).toEqual([]);
  }, 300_000);

  it("replays a registration with the same Idempotency-Key instead of answering 409", async () => {
    const headers = { "idempotency-key": `person-${Math.random()}` };
    const body = personBody(svc);
    const first = await staff().post("/v1/persons", body, { headers });
    const again = await staff().post("/v1/persons", body, { headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
  });
});
