// The waitlist over HTTP on the real broker and store: people wait in line for a service at a site;
// when a booking is cancelled (the service hears its own BookingCancelled) the slot is offered to the
// first in line whose preferences it meets, held for them (nobody else can book it), accepted as a
// booking; an offer left unanswered lapses (the periodic job, on the test clock) and the slot goes to
// the next; a declined one too. Each test has an operator of its own, which its entries prefer.
import { topics, WaitlistOfferedEvent } from "@lto/contracts";
import { waitFor } from "@lto/testkit";
import { readTopic, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  anOrientatore,
  book,
  freeStarts,
  HOUR,
  mondayAt,
  personOnPath,
  staff,
  WEDNESDAY,
  type PersonOnPath,
} from "./booking-changes-support.js";
import { callers, startSelfEmployment } from "./support.js";

let svc: TestService;
/** How long an offer may take: the first waits for the consumer to read the shared topic's backlog. */
const OFFER_WAIT = 170_000;

beforeAll(async () => {
  svc = await startSelfEmployment({ env: { WAITLIST_SWEEP_MS: "100", WAITLIST_OFFER_HOURS: "24" } });
  svc.clock.set(WEDNESDAY);
});
afterAll(() => svc?.close());

async function join(who: PersonOnPath, operatorId: string, client = staff(svc)) {
  const res = await client.post("/v1/waitlist", {
    personId: who.personId,
    serviceCode: "accoglienza",
    site: "lto-mantova",
    preferences: { operatorId, days: [1] },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** The entry once it holds a pending offer. */
async function offered(entryId: string) {
  const entry = async () => (await staff(svc).get(`/v1/waitlist/${entryId}`)).body;
  return waitFor(
    `an offer for entry ${entryId}`,
    async () => ((await entry()).offer ? entry() : undefined),
    OFFER_WAIT,
  );
}

describe("waitlist", () => {
  it("joins once, in line order; leaves; joins again", async () => {
    svc.clock.set(WEDNESDAY);
    const operatorId = await anOrientatore(svc);
    const [a, b] = [await personOnPath(svc), await personOnPath(svc)];
    const first = await join(a, operatorId);
    expect(first).toMatchObject({
      status: "waiting",
      joinedBy: callers.staff.sub,
      position: expect.any(Number),
    });
    const second = await join(b, operatorId, svc.as(b.login));
    expect(second.joinedBy).toBe(b.login.sub);
    expect(second.position).toBe(first.position + 1);

    const twice = await staff(svc).post("/v1/waitlist", {
      personId: a.personId,
      serviceCode: "accoglienza",
      site: "lto-mantova",
    });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ reason: "already_waiting", entryId: first.id });

    const list = (await staff(svc).get("/v1/waitlist?service=accoglienza&site=lto-mantova&limit=100")).body;
    const ids = list.items.map((e: { id: string }) => e.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    // Paged in line order: one at a time, the cursor goes on.
    const page1 = (await staff(svc).get("/v1/waitlist?service=accoglienza&site=lto-mantova&limit=1")).body;
    const page2 = (
      await staff(svc).get(
        `/v1/waitlist?service=accoglienza&site=lto-mantova&limit=1&cursor=${page1.nextCursor}`,
      )
    ).body;
    expect([page1.items[0].id, page2.items[0].id]).toEqual(ids.slice(0, 2));

    const left = await svc.as(a.login).request("DELETE", `/v1/waitlist/${first.id}?reason=trovato%20lavoro`);
    expect(left.status, JSON.stringify(left.body)).toBe(200);
    expect(left.body).toMatchObject({ status: "left", left: { by: a.login.sub, reason: "trovato lavoro" } });
    expect((await staff(svc).get(`/v1/waitlist/${second.id}`)).body.position).toBe(second.position - 1);
    expect((await staff(svc).request("DELETE", `/v1/waitlist/${first.id}`)).status).toBe(409);
    const again = await join(a, operatorId);
    expect(again.id).not.toBe(first.id);
  });

  it("a cancelled slot is offered to the first in line, held for them, and accepted as a booking", async () => {
    svc.clock.set(WEDNESDAY);
    const operatorId = await anOrientatore(svc);
    const [holder, first, second] = [
      await personOnPath(svc),
      await personOnPath(svc),
      await personOnPath(svc),
    ];
    const booked = await book(svc, holder, operatorId, mondayAt("09:00"));
    const firstEntry = await join(first, operatorId);
    const secondEntry = await join(second, operatorId);

    expect((await staff(svc).post(`/v1/bookings/${booked.id}/cancel`, {})).status).toBe(200);
    const entry = await offered(firstEntry.id);
    const offer = entry.offer;
    expect(offer).toMatchObject({
      status: "pending",
      personId: first.personId,
      slot: { operatorId, start: mondayAt("09:00") },
      // 24 hours from now, well before the slot's start minus its notice.
      expiresAt: new Date(WEDNESDAY.getTime() + 24 * HOUR).toISOString(),
    });
    expect((await staff(svc).get(`/v1/waitlist/${secondEntry.id}`)).body.offer).toBeUndefined();

    const records = await readTopic(topics.selfemployment, (rs) =>
      rs.some((r) => r.key === first.personId && r.headers.ce_type?.endsWith("WaitlistOffered")),
    );
    const event = WaitlistOfferedEvent.decode(
      records.find((r) => r.key === first.personId && r.headers.ce_type?.endsWith("WaitlistOffered"))!.value,
    );
    expect(event).toMatchObject({
      personId: first.personId,
      waitlistEntryId: firstEntry.id,
      serviceType: "accoglienza",
      slot: { operatorId, startsAt: mondayAt("09:00") },
      expiresAt: offer.expiresAt,
    });

    // Held for the offer: not free, and nobody else books it.
    expect(await freeStarts(svc, operatorId)).not.toContain(mondayAt("09:00"));
    const other = await staff(svc).post("/v1/bookings", {
      person: second.personId,
      serviceType: "accoglienza",
      site: "lto-mantova",
      start: mondayAt("09:00"),
      operatorId,
      mode: "in_person",
    });
    expect(other.status).toBe(409);

    // The other person in line cannot take it.
    expect((await svc.as(second.login).post(`/v1/waitlist/offers/${offer.id}/accept`, {})).status).toBe(403);
    const accepted = await svc.as(first.login).post(`/v1/waitlist/offers/${offer.id}/accept`, {});
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    expect(accepted.body.offer).toMatchObject({ status: "accepted", bookingId: offer.id });
    expect(accepted.body.booking).toMatchObject({
      id: offer.id,
      personId: first.personId,
      status: "confirmed",
      start: mondayAt("09:00"),
      operatorId,
    });
    expect((await staff(svc).get(`/v1/waitlist/${firstEntry.id}`)).body).toMatchObject({
      status: "booked",
      bookingId: offer.id,
    });
    const path = (await staff(svc).get(`/v1/paths/${first.pathId}`)).body;
    expect(path.bookings).toEqual([expect.objectContaining({ bookingId: offer.id, status: "booked" })]);
    expect((await svc.as(first.login).post(`/v1/waitlist/offers/${offer.id}/accept`, {})).status).toBe(409);
  }, 240_000);

  it("an unanswered offer lapses and the slot goes to the next; a declined one goes on too", async () => {
    svc.clock.set(WEDNESDAY);
    const operatorId = await anOrientatore(svc);
    const [holder, first, second] = [
      await personOnPath(svc),
      await personOnPath(svc),
      await personOnPath(svc),
    ];
    const booked = await book(svc, holder, operatorId, mondayAt("09:00"));
    const firstEntry = await join(first, operatorId);
    const secondEntry = await join(second, operatorId);
    expect((await staff(svc).post(`/v1/bookings/${booked.id}/cancel`, {})).status).toBe(200);
    const offer = (await offered(firstEntry.id)).offer;

    // Past the deadline the periodic job lapses it; the next in line is offered the slot.
    svc.clock.set(new Date(Date.parse(offer.expiresAt) + HOUR));
    const next = (await offered(secondEntry.id)).offer;
    expect(next).toMatchObject({ personId: second.personId, slot: { start: mondayAt("09:00") } });
    const lapsed = (await staff(svc).get(`/v1/waitlist/offers/${offer.id}`)).body;
    expect(lapsed).toMatchObject({ status: "lapsed", decidedBy: "system" });
    // The first keeps their place, without an offer; accepting now is refused.
    expect((await staff(svc).get(`/v1/waitlist/${firstEntry.id}`)).body).toMatchObject({ status: "waiting" });
    expect((await svc.as(first.login).post(`/v1/waitlist/offers/${offer.id}/accept`, {})).status).toBe(409);

    // Declined: nobody else in line wants it (the first was passed over), so the slot is free again.
    const declined = await svc.as(second.login).post(`/v1/waitlist/offers/${next.id}/decline`, {});
    expect(declined.status, JSON.stringify(declined.body)).toBe(200);
    expect(declined.body.status).toBe("declined");
    await waitFor("the slot free again", async () =>
      (await freeStarts(svc, operatorId)).includes(mondayAt("09:00")),
    );
    expect((await staff(svc).get(`/v1/waitlist/${secondEntry.id}`)).body.offer).toBeUndefined();
    svc.clock.set(WEDNESDAY);
  }, 240_000);
});
