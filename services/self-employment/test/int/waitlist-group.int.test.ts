// A freed seat of a group session goes to the waitlist: a cancelled group booking's seat is offered to
// the first in line while its session stands, held for them (the seat key, in the session's group) and
// accepted as a booking in that same session and seat.
import { uniqueId, waitFor } from "@lto/testkit";
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anOperator } from "../fixtures.js";
import { mondayAt, personOnPath, staff, WEDNESDAY, type PersonOnPath } from "./booking-changes-support.js";
import { deliveryBody } from "./paths-support.js";
import { ok, startSelfEmployment } from "./support.js";

let svc: TestService;
let orientatore: string;

beforeAll(async () => {
  svc = await startSelfEmployment({ env: { WAITLIST_SWEEP_MS: "100", WAITLIST_OFFER_HOURS: "24" } });
  svc.clock.set(WEDNESDAY);
  orientatore = (await ok(staff(svc), "POST", "/v1/operators", anOperator({ name: uniqueId("Orientatore") })))
    .id as string;
});
afterAll(async () => {
  await svc?.close();
});

const GROUP = "analisi_propensioni";

/** A psychologist working Mondays at lto-mantova, new for each call. */
const aPsychologist = async () =>
  (
    await ok(
      staff(svc),
      "POST",
      "/v1/operators",
      anOperator({ name: uniqueId("Psicologa"), profiles: ["psicologo_orientamento"] }),
    )
  ).id as string;

const bookSeat = (who: PersonOnPath, operatorId: string) =>
  ok(staff(svc), "POST", "/v1/bookings", {
    person: who.personId,
    serviceType: GROUP,
    site: "lto-mantova",
    start: mondayAt("09:00"),
    operatorId,
    mode: "in_person",
    overrideReason: "group intake",
  });

/** A person whose path has what the group service needs first (delivered), waiting for its seats. */
async function waiting(operatorId: string) {
  const who = await personOnPath(svc);
  for (const [code, hoursAgo] of [
    ["accoglienza", 5],
    ["definizione_percorso", 3],
  ] as const)
    await ok(
      staff(svc),
      "POST",
      `/v1/paths/${who.pathId}/deliveries`,
      deliveryBody(svc, orientatore, code, {}, 90, hoursAgo),
    );
  const entry = await ok(staff(svc), "POST", "/v1/waitlist", {
    personId: who.personId,
    serviceCode: GROUP,
    site: "lto-mantova",
    preferences: { operatorId },
  });
  return { who, entryId: entry.id as string };
}

/** The seats availability offers at the session's start with the operator. */
async function seatsLeft(operatorId: string): Promise<number | undefined> {
  const view = (
    await staff(svc).get(
      `/v1/availability?service=${GROUP}&site=lto-mantova&from=2026-12-07&to=2026-12-07&operator=${operatorId}`,
    )
  ).body;
  return view.days[0].slots.find((s: { start: string }) => s.start === mondayAt("09:00"))?.freeSeats;
}

const offerOf = (entryId: string) =>
  waitFor(
    "the offer",
    async () => (await staff(svc).get(`/v1/waitlist/${entryId}`)).body.offer as { id: string } | undefined,
    // The service's consumer reads the shared topic from its start: the first offer waits for it.
    170_000,
  );

describe("a freed group seat", () => {
  it("is offered to the first in line, held for them, and accepted in the same session and seat", async () => {
    svc.clock.set(WEDNESDAY);
    const psy = await aPsychologist();
    const [a, b] = [await personOnPath(svc), await personOnPath(svc)];
    const first = await bookSeat(a, psy);
    const second = await bookSeat(b, psy);
    const { who, entryId } = await waiting(psy);

    expect((await staff(svc).post(`/v1/bookings/${second.id}/cancel`, {})).status).toBe(200);
    const offer = await offerOf(entryId);
    expect(offer).toMatchObject({
      status: "pending",
      personId: who.personId,
      slot: { operatorId: psy, start: mondayAt("09:00"), roomId: first.roomId },
    });

    // Held for the offer: availability counts the seat taken (one booked, one held: six left).
    expect(await seatsLeft(psy)).toBe(6);

    const accepted = await svc.as(who.login).post(`/v1/waitlist/offers/${offer.id}/accept`, {});
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    expect(accepted.body.booking).toMatchObject({
      id: offer.id,
      personId: who.personId,
      status: "confirmed",
      groupSession: first.groupSession,
      seat: second.seat,
      roomId: first.roomId,
    });
    // Two seats booked again: still six left.
    expect(await seatsLeft(psy)).toBe(6);
  }, 240_000);
});
