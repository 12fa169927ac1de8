// What the booking-change and waitlist tests share: a clock on a known Wednesday, an operator of their
// own (so no other test's booking or waitlist entry meets theirs), persons with open paths and a
// learner account, the free slots of that operator, and a booking made through POST /v1/bookings.
import type { TokenClaims } from "@lto/auth";
import { romeDate } from "@lto/civil-time";
import { uniqueId, waitFor } from "@lto/testkit";
import type { Probe } from "@lto/testkit/openapi-conformance";
import type { Client, TestService } from "@lto/testkit/service";
import { anOperator } from "../fixtures.js";
import { callers, ok, personBody } from "./support.js";

export const HOUR = 3_600_000;
/** Wednesday 2 December 2026, 10:00 in Rome: the Mondays 7 and 14 December are bookable. */
export const WEDNESDAY = new Date("2026-12-02T09:00:00Z");
/** Monday 7 December 2026 in Rome (the operators work Mondays 09:00-17:00). */
export const MONDAY = "2026-12-07";

export const staff = (svc: TestService): Client => svc.as(callers.staff);

/** An orientatore working Mondays at lto-mantova, new for each call. */
export async function anOrientatore(svc: TestService): Promise<string> {
  return (await ok(staff(svc), "POST", "/v1/operators", anOperator({ name: uniqueId("Operatore") }))).id;
}

export interface PersonOnPath {
  personId: string;
  pathId: string;
  /** The person's own learner login (their record names it). */
  login: TokenClaims;
}

/** An adult at lto-mantova with a learner account and an open path. */
export async function personOnPath(svc: TestService): Promise<PersonOnPath> {
  const learnerSubject = uniqueId("learner");
  const person = await ok(staff(svc), "POST", "/v1/persons", personBody(svc, { learnerSubject }));
  const path = await ok(staff(svc), "POST", `/v1/persons/${person.id}/path`, {});
  return {
    personId: person.id,
    pathId: path.id,
    login: { sub: learnerSubject, role: "learner", org: learnerSubject },
  };
}

/** The free starts of `service` with the operator on `day` (ISO instants). */
export async function freeStarts(
  svc: TestService,
  operatorId: string,
  day = MONDAY,
  service = "accoglienza",
): Promise<string[]> {
  const view = await ok(
    staff(svc),
    "GET",
    `/v1/availability?service=${service}&site=lto-mantova&from=${day}&to=${day}&operator=${operatorId}`,
  );
  return view.days.flatMap((d: { slots: { start: string }[] }) => d.slots.map((s) => s.start));
}

/** Rome's wall clock on the Monday: "09:00" -> the instant (December: UTC+1). */
export const mondayAt = (time: string, day = MONDAY) => new Date(`${day}T${time}:00+01:00`).toISOString();

const MONDAYS = ["2026-12-07", "2026-12-14", "2026-12-21", "2026-12-28"];
const HOURS = ["09:00", "10:00", "11:00", "14:00", "15:00"];
const ROOMS = ["lto-mantova-sala-1", "lto-mantova-sala-2", "lto-mantova-aula", "lto-mantova-fablab"];
let allotted = 0;

/**
 * `count` starts in one room that no other call of this test file gets: the site has four rooms, so
 * the many bookings of a role matrix would otherwise meet on them (each has an operator of its own).
 */
export function roomSlots(count = 1): { roomId: string; starts: string[] } {
  if ((allotted % HOURS.length) + count > HOURS.length) allotted += HOURS.length - (allotted % HOURS.length);
  const block = Math.floor(allotted / HOURS.length);
  const monday = MONDAYS[Math.floor(block / ROOMS.length)];
  if (!monday) throw new Error("the test ran out of Monday slots: add Mondays within the horizon");
  const first = allotted % HOURS.length;
  allotted += count;
  return {
    roomId: ROOMS[block % ROOMS.length]!,
    starts: HOURS.slice(first, first + count).map((h) => mondayAt(h, monday)),
  };
}

/** Books reception (accoglienza) for the person with the operator at `start` (staff of the site). */
export async function book(
  svc: TestService,
  who: PersonOnPath,
  operatorId: string,
  start: string,
  client: Client = staff(svc),
  roomId?: string,
) {
  return ok(client, "POST", "/v1/bookings", {
    person: who.personId,
    serviceType: "accoglienza",
    site: "lto-mantova",
    start,
    operatorId,
    mode: "in_person",
    ...(roomId ? { roomId } : {}),
  });
}

/** The next Monday (Rome) at least three days after the service's now whose slots the operator has. */
async function nextMondayStarts(svc: TestService, operatorId: string): Promise<string[]> {
  for (let d = 3; d <= 30; d++) {
    const day = romeDate(new Date(svc.clock.now().getTime() + d * 24 * HOUR));
    const [y, m, dd] = day.split("-").map(Number) as [number, number, number];
    if (new Date(Date.UTC(y, m - 1, dd)).getUTCDay() !== 1) continue;
    const starts = await freeStarts(svc, operatorId, day);
    if (starts.length >= 4) return starts;
  }
  throw new Error("no Monday with free slots within 30 days");
}

let probeBookings = 0;
/**
 * A booking made now (real time: the OpenAPI probes run on the service's clock as it is), on the next
 * Monday, at a start no other probe booking uses (the site's rooms are shared), and a second free start.
 */
async function probeBooking(svc: TestService) {
  svc.clock.set(new Date());
  const operatorId = await anOrientatore(svc);
  const who = await personOnPath(svc);
  const starts = await nextMondayStarts(svc, operatorId);
  const n = probeBookings++;
  const booked = await book(svc, who, operatorId, starts[(2 * n) % starts.length]!);
  return { booked, who, operatorId, other: starts[(2 * n + 1) % starts.length]! };
}

/** A person waiting for an operator's slots, offered one: another's booking with that operator, cancelled. */
async function probeOffer(svc: TestService) {
  const { booked, operatorId } = await probeBooking(svc);
  const who = await personOnPath(svc);
  const entry = await ok(staff(svc), "POST", "/v1/waitlist", {
    personId: who.personId,
    serviceCode: "accoglienza",
    site: "lto-mantova",
    preferences: { operatorId },
  });
  await ok(staff(svc), "POST", `/v1/bookings/${booked.id}/cancel`, {});
  const offer = await waitFor(
    "the offer",
    async () => (await staff(svc).get(`/v1/waitlist/${entry.id}`)).body.offer,
    // The service's consumer reads the shared topic from its start: the first offer waits for it.
    170_000,
  );
  return { who, offerId: offer.id as string };
}

/** Valid requests of the booking-change and waitlist endpoints, for the OpenAPI conformance probes. */
export function bookingChangeProbes(service: () => TestService): Record<string, () => Promise<Probe>> {
  const svc = () => service();
  return {
    "POST /v1/bookings/{bookingId}/reschedule": async () => {
      const { booked, other } = await probeBooking(svc());
      return { path: `/v1/bookings/${booked.id}/reschedule`, as: callers.staff, body: { start: other } };
    },
    "POST /v1/bookings/{bookingId}/cancel": async () => {
      const { booked, who } = await probeBooking(svc());
      return { path: `/v1/bookings/${booked.id}/cancel`, as: who.login, body: { reason: "malattia" } };
    },
    "POST /v1/bookings/{bookingId}/no-show": async () => {
      const { booked } = await probeBooking(svc());
      // Only once it has started: the clock goes past its start (the next probe sets it back).
      svc().clock.set(new Date(Date.parse(booked.start) + 30 * 60_000));
      return { path: `/v1/bookings/${booked.id}/no-show`, as: callers.staff, body: {} };
    },
    "POST /v1/waitlist": async () => {
      svc().clock.set(new Date());
      const who = await personOnPath(svc());
      return {
        as: who.login,
        body: {
          personId: who.personId,
          serviceCode: "coaching",
          site: "lto-mantova",
          preferences: { days: [1, 3] },
        },
      };
    },
    "GET /v1/waitlist": async () => ({
      path: "/v1/waitlist?service=coaching&site=lto-mantova&limit=5",
      as: callers.programme,
    }),
    "GET /v1/waitlist/{entryId}": async () => {
      const who = await personOnPath(svc());
      const entry = await ok(staff(svc()), "POST", "/v1/waitlist", {
        personId: who.personId,
        serviceCode: "coaching",
        site: "lto-mantova",
      });
      return { path: `/v1/waitlist/${entry.id}`, as: who.login };
    },
    "DELETE /v1/waitlist/{entryId}": async () => {
      const who = await personOnPath(svc());
      const entry = await ok(staff(svc()), "POST", "/v1/waitlist", {
        personId: who.personId,
        serviceCode: "coaching",
        site: "lto-mantova",
      });
      return { path: `/v1/waitlist/${entry.id}?reason=trovato%20lavoro`, as: callers.staff };
    },
    "GET /v1/waitlist/offers/{offerId}": async () => {
      const { who, offerId } = await probeOffer(svc());
      return { path: `/v1/waitlist/offers/${offerId}`, as: who.login };
    },
    "POST /v1/waitlist/offers/{offerId}/accept": async () => {
      const { who, offerId } = await probeOffer(svc());
      return { path: `/v1/waitlist/offers/${offerId}/accept`, as: who.login };
    },
    "POST /v1/waitlist/offers/{offerId}/decline": async () => {
      const { offerId } = await probeOffer(svc());
      return { path: `/v1/waitlist/offers/${offerId}/decline`, as: callers.staff };
    },
  };
}
