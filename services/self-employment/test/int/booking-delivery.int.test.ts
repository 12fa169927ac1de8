// Recording the delivery of a booking over HTTP on the real broker and store: the booking becomes
// delivered with the path's delivery (one ServiceDelivered, no second fact), a retry records nothing
// twice, what the booking refuses (not started, cancelled, a no-show, delivered with other figures) is
// a 409 with nothing stored, a void makes it confirmed again, and a crash between the path's write and
// the booking's is caught up by the service's own ServiceDelivered.
import type { Identity } from "@lto/auth";
import { ServiceDeliveredEvent, topics } from "@lto/contracts";
import { AggregateStore } from "@lto/store";
import { consumerGroupAtEnd, waitFor } from "@lto/testkit";
import { readTopic, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app/index.js";
import { selfEmploymentPorts } from "../../src/infra/ports.js";
import {
  anOrientatore,
  book,
  HOUR,
  mondayAt,
  personOnPath,
  staff,
  WEDNESDAY,
  type PersonOnPath,
} from "./booking-changes-support.js";
import { callers, startSelfEmployment } from "./support.js";

let svc: TestService;

beforeAll(async () => {
  // The crash's catch-up is the service hearing its own event: it starts at the topics' end.
  const group = await consumerGroupAtEnd("booking-delivery", Object.values(topics));
  svc = await startSelfEmployment({ env: { SEED_DEMO_WHEN_EMPTY: "false", KAFKA_CONSUMER_GROUP: group } });
  svc.clock.set(WEDNESDAY);
});
afterAll(() => svc?.close());

const after = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * HOUR);

/** The delivery body of an accoglienza held from `start` for an hour. */
function deliveryOf(
  bookingId: string,
  operatorId: string,
  start: string,
  over: Record<string, unknown> = {},
) {
  return {
    serviceCode: "accoglienza",
    operatorId,
    bookingId,
    start,
    end: after(start, 1).toISOString(),
    outcome: "servizio_svolto",
    notes: "Colloquio di accoglienza svolto",
    ...over,
  };
}

/** A person with a path and an accoglienza booked on Monday at `time` with a new operator. */
async function booked(
  time = "09:00",
): Promise<{ who: PersonOnPath; operatorId: string; booking: { id: string; version: number } }> {
  svc.clock.set(WEDNESDAY);
  const operatorId = await anOrientatore(svc);
  const who = await personOnPath(svc);
  return { who, operatorId, booking: await book(svc, who, operatorId, mondayAt(time)) };
}

const getBooking = async (id: string) => (await staff(svc).get(`/v1/bookings/${id}`)).body;
const getPath = async (id: string) => (await staff(svc).get(`/v1/paths/${id}`)).body;

/** The ServiceDelivered events about the booking on the topic, once `count` are there. */
async function deliveredEvents(bookingId: string, count = 1) {
  const mine = (rs: readonly { headers: Record<string, string>; value: Buffer }[]) =>
    rs
      .filter((r) => r.headers.ce_type?.endsWith("ServiceDelivered"))
      .map((r) => ServiceDeliveredEvent.decode(r.value))
      .filter((e) => e.bookingId === bookingId);
  return mine(await readTopic(topics.selfemployment, (rs) => mine(rs).length >= count));
}

describe("recording the delivery of a booking", () => {
  it("marks the booking delivered with the path's delivery; a retry records nothing twice", async () => {
    const { who, operatorId, booking } = await booked("09:00");
    svc.clock.set(after(mondayAt("09:00"), 2));
    const body = deliveryOf(booking.id, operatorId, mondayAt("09:05"));

    const res = await staff(svc).post(`/v1/paths/${who.pathId}/deliveries`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const deliveryId = res.body.delivery.id;
    expect(res.body.bookings).toEqual([
      expect.objectContaining({ bookingId: booking.id, status: "delivered" }),
    ]);

    // The booking says delivered at once (the staff calendar reads it), written once, by the operator's
    // colleague who recorded it; its history keeps the booking before it.
    const delivered = await getBooking(booking.id);
    expect(delivered).toMatchObject({ status: "delivered", version: booking.version + 1, sequence: 0 });
    expect(delivered.deliveredAt).toBe(svc.clock.now().toISOString());
    expect(delivered.history.map((h: { what: string }) => h.what)).toEqual(["booked", "delivered"]);
    const listed = await staff(svc).get(
      `/v1/bookings?site=lto-mantova&from=${mondayAt("00:00")}&to=${mondayAt("23:00")}&limit=100`,
    );
    expect(listed.body.items.find((b: { id: string }) => b.id === booking.id)).toMatchObject({
      status: "delivered",
    });

    // The same request again (a retry after a lost answer): the delivery recorded, nothing new written.
    const pathBefore = await getPath(who.pathId);
    const again = await staff(svc).post(`/v1/paths/${who.pathId}/deliveries`, body);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.delivery.id).toBe(deliveryId);
    const pathAfter = await getPath(who.pathId);
    expect(pathAfter.version).toBe(pathBefore.version);
    expect(pathAfter.deliveries).toHaveLength(1);
    expect((await getBooking(booking.id)).version).toBe(delivered.version);

    // One fact for the one delivery: ServiceDelivered with its booking and hours.
    const [event, ...more] = await deliveredEvents(booking.id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({ personId: who.personId, bookingId: booking.id, hours: 1, revision: 1 });

    // Other figures for the same booking: 409 naming the recorded delivery, nothing stored.
    const other = await staff(svc).post(`/v1/paths/${who.pathId}/deliveries`, {
      ...body,
      end: after(mondayAt("09:05"), 1.5).toISOString(),
    });
    expect(other.status).toBe(409);
    expect(other.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(other.body).toMatchObject({ reason: "delivered_otherwise", deliveryId });
    expect(other.body.detail).toMatch(/recorded already .* with other figures; correct that record instead/);
    expect((await getPath(who.pathId)).version).toBe(pathBefore.version);
  });

  it("refuses a booking that has not started, is cancelled or a no-show: 409, nothing stored", async () => {
    // Not started: the clock an hour before the booking, the delivery's times in the past.
    const early = await booked("11:00");
    svc.clock.set(after(mondayAt("11:00"), -1));
    const before = await getPath(early.who.pathId);
    const notYet = await staff(svc).post(
      `/v1/paths/${early.who.pathId}/deliveries`,
      deliveryOf(early.booking.id, early.operatorId, after(mondayAt("11:00"), -3).toISOString()),
    );
    expect(notYet.status).toBe(409);
    expect(notYet.body).toMatchObject({ reason: "not_started" });
    expect(notYet.body.detail).toBe("Cannot mark as delivered the booking: it has not started yet");
    const unchanged = await getPath(early.who.pathId);
    expect(unchanged.version).toBe(before.version);
    expect(unchanged.deliveries).toEqual([]);
    expect((await getBooking(early.booking.id)).status).toBe("confirmed");

    // Cancelled.
    const gone = await booked("14:00");
    await staff(svc).post(`/v1/bookings/${gone.booking.id}/cancel`, { reason: "non può venire" });
    svc.clock.set(after(mondayAt("14:00"), 2));
    const cancelled = await staff(svc).post(
      `/v1/paths/${gone.who.pathId}/deliveries`,
      deliveryOf(gone.booking.id, gone.operatorId, mondayAt("14:00")),
    );
    expect(cancelled.status).toBe(409);
    expect(cancelled.body.detail).toMatch(/cancelled/);
    expect((await getPath(gone.who.pathId)).deliveries).toEqual([]);

    // A no-show.
    const absent = await booked("15:00");
    svc.clock.set(after(mondayAt("15:00"), 0.5));
    expect((await staff(svc).post(`/v1/bookings/${absent.booking.id}/no-show`, {})).status).toBe(200);
    svc.clock.set(after(mondayAt("15:00"), 2));
    const noShow = await staff(svc).post(
      `/v1/paths/${absent.who.pathId}/deliveries`,
      deliveryOf(absent.booking.id, absent.operatorId, mondayAt("15:00")),
    );
    expect(noShow.status).toBe(409);
    expect(noShow.body.detail).toMatch(/no.show/);
    expect((await getPath(absent.who.pathId)).deliveries).toEqual([]);
    expect((await getBooking(absent.booking.id)).status).toBe("no_show");

    // A booking of someone else's path: 400 naming bookingId, nothing stored.
    const stranger = await personOnPath(svc);
    const foreign = await staff(svc).post(
      `/v1/paths/${stranger.pathId}/deliveries`,
      deliveryOf(early.booking.id, early.operatorId, mondayAt("11:00")),
    );
    expect(foreign.status).toBe(400);
    expect(JSON.stringify(foreign.body)).toContain("is not a booking of this path");
    expect((await getPath(stranger.pathId)).deliveries).toEqual([]);
  });

  it("a voided delivery makes the booking confirmed again; a new delivery then marks it delivered", async () => {
    const { who, operatorId, booking } = await booked("10:00");
    svc.clock.set(after(mondayAt("10:00"), 2));
    const first = await staff(svc).post(
      `/v1/paths/${who.pathId}/deliveries`,
      deliveryOf(booking.id, operatorId, mondayAt("10:00")),
    );
    expect(first.status).toBe(201);
    const voided = await staff(svc).post(
      `/v1/paths/${who.pathId}/deliveries/${first.body.delivery.id}/void`,
      { reason: "registrata sulla persona sbagliata" },
    );
    expect(voided.status, JSON.stringify(voided.body)).toBe(200);
    const back = await getBooking(booking.id);
    expect(back.status).toBe("confirmed");
    expect(back.history.at(-1)).toMatchObject({
      what: "delivery_voided",
      reason: "registrata sulla persona sbagliata",
    });
    const second = await staff(svc).post(
      `/v1/paths/${who.pathId}/deliveries`,
      deliveryOf(booking.id, operatorId, mondayAt("10:00"), { outcome: "cv_prodotto" }),
    );
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body.delivery.id).not.toBe(first.body.delivery.id);
    expect((await getBooking(booking.id)).status).toBe("delivered");
  });
});

describe("a crash between the path's write and the booking's", () => {
  it("the service's own ServiceDelivered marks the booking delivered", async () => {
    const { who, operatorId, booking } = await booked("16:00");
    svc.clock.set(after(mondayAt("16:00"), 2));
    const store = await AggregateStore.open({ url: svc.mongoUrl, dbName: svc.dbName });
    const { ports, close } = selfEmploymentPorts(store, svc.clock);
    // The process "dies" when it would write the booking: the path (with its event) is written.
    const app = createApp({
      ...ports,
      bookings: { ...ports.bookings, update: () => Promise.reject(new Error("the process died")) },
    });
    const me: Identity = {
      subject: callers.staff.sub,
      role: "staff",
      organisationId: callers.staff.org,
      sites: [...callers.staff.sites],
      token: "",
    };
    try {
      const body = deliveryOf(booking.id, operatorId, mondayAt("16:00"));
      await expect(
        app.paths.recordDelivery(me, who.pathId, {
          ...body,
          start: new Date(body.start),
          end: new Date(body.end),
        }),
      ).rejects.toThrow("the process died");
      expect((await getPath(who.pathId)).deliveries).toHaveLength(1);
      // The running service hears its ServiceDelivered and catches the booking up, once.
      await waitFor(
        "the booking delivered",
        async () => (await getBooking(booking.id)).status === "delivered",
      );
      const caught = await getBooking(booking.id);
      expect(caught.version).toBe(booking.version + 1);
      expect(caught.history.at(-1)).toMatchObject({ what: "delivered", by: callers.staff.sub });
      expect(await deliveredEvents(booking.id)).toHaveLength(1);
    } finally {
      await close();
      await store.close();
    }
  });
});
