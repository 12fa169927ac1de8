// A reschedule interrupted by a crash, on the real store: the service's use cases run on the ports of
// the service's own database, with the one step after which the process "dies" made to fail. Never
// neither, never both: before the booking is written the old slot stays held and the new keys are
// given back by the claim sweeper; after it, the new keys stay held by the booking and the old ones
// are given back by the booking-change sweep. A cancellation interrupted after its write likewise.
import type { Identity } from "@lto/auth";
import { AggregateStore } from "@lto/store";
import { waitFor } from "@lto/testkit";
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type Ports } from "../../src/app/index.js";
import { acceptOffer, bookingClaimKeys, serviceType } from "../../src/domain/index.js";
import { selfEmploymentPorts } from "../../src/infra/ports.js";
import {
  anOrientatore,
  book,
  HOUR,
  mondayAt,
  personOnPath,
  staff,
  WEDNESDAY,
} from "./booking-changes-support.js";
import { callers, startSelfEmployment } from "./support.js";

let svc: TestService;
let store: AggregateStore;

const staffIdentity: Identity = {
  subject: callers.staff.sub,
  role: "staff",
  organisationId: callers.staff.org,
  sites: [...callers.staff.sites],
  token: "",
};
const ACCOGLIENZA = serviceType("accoglienza")!;

beforeAll(async () => {
  svc = await startSelfEmployment();
  svc.clock.set(WEDNESDAY);
  store = await AggregateStore.open({ url: svc.mongoUrl, dbName: svc.dbName });
});
afterAll(async () => {
  await store?.close();
  await svc?.close();
});

class Crash extends Error {}

/** The service's use cases on its database, with `patch` changing some ports (the crash). */
function appWith(patch: (ports: Ports) => Partial<Ports>) {
  const { ports, close } = selfEmploymentPorts(store, svc.clock);
  return { app: createApp({ ...ports, ...patch(ports) }), ports, close };
}

async function holders(keys: readonly string[]) {
  const claims = await store.claims({ name: "slot_claims" }).holdersOf(keys);
  return new Map(claims.map((c) => [c.key, { holderId: c.holderId, settled: c.settled }]));
}

const placeAt = (start: string, operatorId: string) => ({
  operatorId,
  roomId: undefined as string | undefined,
  equipmentIds: [] as string[],
  start: new Date(start),
  end: new Date(Date.parse(start) + HOUR),
});

describe("a booking change interrupted by a crash", () => {
  it("before the booking is written: it stays where it was, the new keys are given back by the sweeper", async () => {
    svc.clock.set(WEDNESDAY);
    const operatorId = await anOrientatore(svc);
    const booked = await book(svc, await personOnPath(svc), operatorId, mondayAt("09:00"));
    const { app, close } = appWith((p) => ({
      bookings: { ...p.bookings, update: async () => Promise.reject(new Crash("the process died")) },
    }));
    try {
      await expect(
        app.bookingChanges.reschedule(staffIdentity, booked.id, { start: new Date(mondayAt("11:00")) }),
      ).rejects.toBeInstanceOf(Crash);
      const oldKeys = bookingClaimKeys(
        { ...placeAt(mondayAt("09:00"), operatorId), roomId: booked.roomId },
        ACCOGLIENZA,
      );
      const newKeys = bookingClaimKeys(
        { ...placeAt(mondayAt("11:00"), operatorId), roomId: booked.roomId },
        ACCOGLIENZA,
      );
      const before = await holders([...oldKeys, ...newKeys]);
      expect(oldKeys.every((k) => before.get(k)?.holderId === booked.id)).toBe(true);
      expect(newKeys.every((k) => before.get(k)?.holderId === booked.id && !before.get(k)!.settled)).toBe(
        true,
      );

      // Past the grace period the claim sweeper finds the new keys unsettled, held by a booking that
      // is not there: given back. The old ones stay.
      svc.clock.set(new Date(WEDNESDAY.getTime() + HOUR));
      await app.bookings.sweep();
      const after = await holders([...oldKeys, ...newKeys]);
      expect(newKeys.filter((k) => after.has(k))).toEqual([]);
      expect(oldKeys.every((k) => after.get(k)?.holderId === booked.id)).toBe(true);
      const stored = (await staff(svc).get(`/v1/bookings/${booked.id}`)).body;
      expect(stored).toMatchObject({ start: mondayAt("09:00"), sequence: 0 });
    } finally {
      close();
      svc.clock.set(WEDNESDAY);
    }
  });

  it("after the booking is written: the new keys stay the booking's, the sweep gives back the old", async () => {
    svc.clock.set(WEDNESDAY);
    const operatorId = await anOrientatore(svc);
    const booked = await book(svc, await personOnPath(svc), operatorId, mondayAt("09:00"));
    const { app, close } = appWith((p) => ({
      slots: { ...p.slots, release: async () => Promise.reject(new Crash("the process died")) },
    }));
    try {
      await expect(
        app.bookingChanges.reschedule(staffIdentity, booked.id, { start: new Date(mondayAt("11:00")) }),
      ).rejects.toBeInstanceOf(Crash);
      const stored = (await staff(svc).get(`/v1/bookings/${booked.id}`)).body;
      expect(stored).toMatchObject({ start: mondayAt("11:00"), sequence: 1 });
      const oldKeys = bookingClaimKeys(
        { ...placeAt(mondayAt("09:00"), operatorId), roomId: booked.roomId },
        ACCOGLIENZA,
      );
      const newKeys = bookingClaimKeys(
        { ...placeAt(mondayAt("11:00"), operatorId), roomId: booked.roomId },
        ACCOGLIENZA,
      );
      const before = await holders([...oldKeys, ...newKeys]);
      // Both held for now (never neither).
      expect([...oldKeys, ...newKeys].every((k) => before.get(k)?.holderId === booked.id)).toBe(true);

      svc.clock.set(new Date(WEDNESDAY.getTime() + HOUR));
      const healthy = createApp(selfEmploymentPorts(store, svc.clock).ports);
      await healthy.bookings.sweep();
      // (The first test's interrupted record is swept too: it gives back nothing the booking holds.)
      expect((await healthy.bookingChanges.sweep()).released).toBeGreaterThanOrEqual(1);
      const after = await holders([...oldKeys, ...newKeys]);
      expect(oldKeys.filter((k) => after.has(k))).toEqual([]);
      expect(newKeys.every((k) => after.get(k)?.holderId === booked.id && after.get(k)!.settled)).toBe(true);
    } finally {
      close();
      svc.clock.set(WEDNESDAY);
    }
  });

  it("a cancellation written but not given back: the sweep gives its keys back", async () => {
    svc.clock.set(WEDNESDAY);
    const operatorId = await anOrientatore(svc);
    const booked = await book(svc, await personOnPath(svc), operatorId, mondayAt("09:00"));
    const { app, close } = appWith((p) => ({
      slots: { ...p.slots, release: async () => Promise.reject(new Crash("the process died")) },
    }));
    try {
      await expect(app.bookingChanges.cancel(staffIdentity, booked.id, {})).rejects.toBeInstanceOf(Crash);
      expect((await staff(svc).get(`/v1/bookings/${booked.id}`)).body.status).toBe("cancelled");
      const keys = bookingClaimKeys(
        { ...placeAt(mondayAt("09:00"), operatorId), roomId: booked.roomId },
        ACCOGLIENZA,
      );
      expect((await holders(keys)).size).toBe(keys.length);
      svc.clock.set(new Date(WEDNESDAY.getTime() + HOUR));
      await createApp(selfEmploymentPorts(store, svc.clock).ports).bookingChanges.sweep();
      expect((await holders(keys)).size).toBe(0);
    } finally {
      close();
      svc.clock.set(WEDNESDAY);
    }
  });

  it("a cancellation written but not on the path (a crash between): its event brings the path up to date", async () => {
    svc.clock.set(WEDNESDAY);
    const operatorId = await anOrientatore(svc);
    const who = await personOnPath(svc);
    const booked = await book(svc, who, operatorId, mondayAt("09:00"));
    // Inside the notice, so the path must learn that it was late.
    svc.clock.set(new Date(Date.parse(mondayAt("09:00")) - 2 * HOUR));
    // The process dies right after the booking's write, before it reads the path. (Dying at the path's
    // update instead races the service's own consumer, which may record the cancellation first.)
    const { app, close } = appWith((p) => ({
      paths: { ...p.paths, get: async () => Promise.reject(new Crash("the process died")) },
    }));
    try {
      await expect(
        app.bookingChanges.cancel(staffIdentity, booked.id, { reason: "ritardo" }),
      ).rejects.toBeInstanceOf(Crash);
      expect((await staff(svc).get(`/v1/bookings/${booked.id}`)).body.status).toBe("cancelled");
      const path = await waitFor(
        "the path to record the cancellation",
        async () => {
          const p = (await staff(svc).get(`/v1/paths/${who.pathId}`)).body;
          return p.bookings[0].status === "booked" ? undefined : p;
        },
        170_000,
      );
      expect(path.bookings[0]).toMatchObject({ bookingId: booked.id, status: "late_cancelled" });
      expect(path.history.at(-1)).toMatchObject({
        what: "booking_cancelled_late",
        by: callers.staff.sub,
        reason: "ritardo",
      });
    } finally {
      close();
      svc.clock.set(WEDNESDAY);
    }
  }, 240_000);

  it("an offer accepted but never booked (a crash between): the job gives it up and the slot goes on", async () => {
    svc.clock.set(WEDNESDAY);
    const operatorId = await anOrientatore(svc);
    const booked = await book(svc, await personOnPath(svc), operatorId, mondayAt("09:00"));
    const waiting = await personOnPath(svc);
    const entry = (
      await staff(svc).post("/v1/waitlist", {
        personId: waiting.personId,
        serviceCode: "accoglienza",
        site: "lto-mantova",
        preferences: { operatorId },
      })
    ).body;
    expect((await staff(svc).post(`/v1/bookings/${booked.id}/cancel`, {})).status).toBe(200);
    const offerId = await waitFor(
      "the offer",
      async () => (await staff(svc).get(`/v1/waitlist/${entry.id}`)).body.offer?.id as string | undefined,
      // The service's consumer reads the shared topic from its start: the first offer waits for it.
      170_000,
    );
    const { ports, close } = appWith(() => ({}));
    try {
      // The state a crash between the acceptance and the booking leaves.
      const offer = (await ports.offers.get(offerId))!;
      expect(
        await ports.offers.updateIf(acceptOffer(offer, offer.id, waiting.login.sub, svc.clock.now())),
      ).toBeDefined();
      const keys = bookingClaimKeys(
        { ...placeAt(mondayAt("09:00"), operatorId), roomId: booked.roomId },
        ACCOGLIENZA,
      );
      expect([...(await holders(keys)).values()].every((c) => c.holderId === offerId)).toBe(true);

      svc.clock.set(new Date(WEDNESDAY.getTime() + HOUR));
      await createApp(selfEmploymentPorts(store, svc.clock).ports).waitlist.sweep();
      expect((await staff(svc).get(`/v1/waitlist/offers/${offerId}`)).body).toMatchObject({
        status: "lapsed",
        decidedBy: "system",
      });
      // Nobody else waits: the slot is given back.
      expect((await holders(keys)).size).toBe(0);
      expect((await staff(svc).get(`/v1/waitlist/${entry.id}`)).body.status).toBe("waiting");
    } finally {
      close();
      svc.clock.set(WEDNESDAY);
    }
  }, 240_000);
});

describe("a booking interrupted by a crash between the path and the booking", () => {
  /** Ports where writing the booking kills the process: nothing of the flow runs after it. */
  function dyingAtTheBooking() {
    let dead = false;
    const die = () => {
      dead = true;
      return Promise.reject(new Crash("the process died"));
    };
    return appWith((p) => ({
      bookings: { ...p.bookings, insert: die },
      paths: { ...p.paths, update: (...a) => (dead ? die() : p.paths.update(...a)) },
      slots: { ...p.slots, release: (...a) => (dead ? die() : p.slots.release(...a)) },
    }));
  }

  it("the claim sweeper takes the booking off the path, as history, so it counts nowhere; the slot is free", async () => {
    svc.clock.set(WEDNESDAY);
    const operatorId = await anOrientatore(svc);
    const who = await personOnPath(svc);
    const { app, close } = dyingAtTheBooking();
    const body = {
      person: who.personId,
      serviceType: "accoglienza",
      site: "lto-mantova",
      start: new Date(mondayAt("09:00")),
      operatorId,
      mode: "in_person" as const,
    };
    try {
      await expect(app.bookings.book(staffIdentity, body)).rejects.toBeInstanceOf(Crash);
      // The state the crash leaves: the path counts a booking that does not exist.
      const crashed = (await staff(svc).get(`/v1/paths/${who.pathId}`)).body;
      expect(crashed.bookings).toHaveLength(1);
      const bookingId = crashed.bookings[0].bookingId as string;
      expect(crashed.bookings[0].status).toBe("booked");
      expect((await staff(svc).get(`/v1/bookings/${bookingId}`)).status).toBe(404);
      const accoglienza = (p: { services: { serviceCode: string; bookedHours: number }[] }) =>
        p.services.find((s) => s.serviceCode === "accoglienza")!;
      expect(accoglienza(crashed).bookedHours).toBe(1);

      // Within the grace period nothing is touched (the booking may still be under way).
      const healthy = createApp(selfEmploymentPorts(store, svc.clock).ports);
      await healthy.bookings.sweep();
      expect((await staff(svc).get(`/v1/paths/${who.pathId}`)).body.bookings[0].status).toBe("booked");

      svc.clock.set(new Date(WEDNESDAY.getTime() + HOUR));
      const swept = await healthy.bookings.sweep();
      expect(swept.unrecorded).toBeGreaterThanOrEqual(1);
      const after = (await staff(svc).get(`/v1/paths/${who.pathId}`)).body;
      expect(after.bookings[0]).toMatchObject({ bookingId, status: "cancelled" });
      expect(accoglienza(after).bookedHours).toBe(0);
      expect(after.history.at(-1)).toMatchObject({
        what: "booking_cancelled",
        by: "system:slot-claims",
        reason: "booking never completed",
        bookingId,
      });
      // A second sweep finds nothing more to do on the path, and the slot is booked again.
      await healthy.bookings.sweep();
      expect((await staff(svc).get(`/v1/paths/${who.pathId}`)).body.version).toBe(after.version);
      svc.clock.set(WEDNESDAY);
      const again = await book(svc, who, operatorId, mondayAt("09:00"));
      expect(again.id).not.toBe(bookingId);
    } finally {
      close();
      svc.clock.set(WEDNESDAY);
    }
  });
});
