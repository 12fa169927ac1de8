// Reminders, pure: which mails a booking event calls for (ids naming the fact, so twice is once;
// older versions ignored; SEQUENCE as the events carry it, counted for older events without it) and the
// Italian text with its invitation.
import { describe, expect, it } from "vitest";
import {
  bookingUid,
  composeNotice,
  italianDay,
  planNotices,
  REMINDER_LEAD_MS,
  serviceType,
  siteById,
  type BookingNoticeFact,
  type NoticeSlot,
  type NoticeDetails,
} from "../../src/domain/index.js";

const HOUR = 3_600_000;
const now = new Date("2026-11-25T09:00:00Z"); // Wednesday 25 November, 10:00 in Rome
const id = "0193a2b4-0000-7000-8000-000000000001";
const slot = (start: Date, over: Partial<NoticeSlot> = {}): NoticeSlot => ({
  site: "lto-mantova",
  operatorId: "op-1",
  roomId: "lto-mantova-sala-1",
  equipmentIds: [],
  mode: "in_person",
  start,
  end: new Date(start.getTime() + HOUR),
  ...over,
});
const in3Days = new Date("2026-11-28T09:30:00Z"); // Saturday 28 November, 10:30 in Rome

function fact(
  kind: "confirmed" | "rescheduled" | "cancelled",
  version: number,
  start = in3Days,
  sequence?: number,
) {
  const base = {
    bookingId: id,
    personId: "p-1",
    serviceCode: "accoglienza",
    slot: slot(start),
    version,
    ...(sequence !== undefined ? { sequence } : {}),
    at: now,
  };
  return (kind === "cancelled" ? { ...base, kind, late: false } : { ...base, kind }) as BookingNoticeFact;
}

describe("planning a booking's mails", () => {
  it("confirmed: a confirmation now and a reminder 24 h before, SEQUENCE 0", () => {
    const plan = planNotices(undefined, fact("confirmed", 1), now)!;
    expect(plan.enqueue).toEqual([
      { id: `booking-${id}-v1-confirmed`, kind: "confirmed" },
      {
        id: `reminder-${id}-s0`,
        kind: "reminder",
        notBefore: new Date(in3Days.getTime() - REMINDER_LEAD_MS),
      },
    ]);
    expect(plan.cancel).toEqual([]);
    expect(plan.state).toEqual({ id, bookingVersion: 1, sequence: 0, cancelled: false, version: 0 });
  });

  it("confirmed less than 24 h ahead: the confirmation only; once begun: nothing", () => {
    const soon = new Date(now.getTime() + 5 * HOUR);
    expect(planNotices(undefined, fact("confirmed", 1, soon), now)!.enqueue.map((n) => n.kind)).toEqual([
      "confirmed",
    ]);
    const past = new Date(now.getTime() - HOUR);
    expect(planNotices(undefined, fact("confirmed", 1, past), now)!.enqueue).toEqual([]);
  });

  // Without a carried SEQUENCE (events written before they carried it) it is counted from the state.
  it("rescheduled: the old reminder withdrawn, the change and a new reminder with SEQUENCE + 1", () => {
    const confirmed = { ...planNotices(undefined, fact("confirmed", 1), now)!.state, version: 1 };
    const later = new Date(in3Days.getTime() + 48 * HOUR);
    const plan = planNotices(confirmed, fact("rescheduled", 2, later), now)!;
    expect(plan.cancel).toEqual([`reminder-${id}-s0`]);
    expect(plan.enqueue.map((n) => n.id)).toEqual([`booking-${id}-v2-rescheduled`, `reminder-${id}-s1`]);
    expect(plan.state).toMatchObject({ bookingVersion: 2, sequence: 1, version: 1 });
  });

  it("cancelled: every reminder withdrawn, the notice, SEQUENCE + 1, no new reminder", () => {
    const moved = { id, bookingVersion: 2, sequence: 1, cancelled: false, version: 2 };
    const plan = planNotices(moved, fact("cancelled", 3), now)!;
    expect(plan.cancel).toEqual([`reminder-${id}-s0`, `reminder-${id}-s1`]);
    expect(plan.enqueue).toEqual([{ id: `booking-${id}-v3-cancelled`, kind: "cancelled" }]);
    expect(plan.state).toMatchObject({ bookingVersion: 3, sequence: 2, cancelled: true });
  });

  it("takes the SEQUENCE the event carries: a move skipped leaves no gap, every earlier reminder withdrawn", () => {
    const confirmed = { ...planNotices(undefined, fact("confirmed", 1, in3Days, 0), now)!.state, version: 1 };
    // version 2 (the first move, SEQUENCE 1) was parked: version 3 carries SEQUENCE 2
    const later = new Date(in3Days.getTime() + 48 * HOUR);
    const plan = planNotices(confirmed, fact("rescheduled", 3, later, 2), now)!;
    expect(plan.cancel).toEqual([`reminder-${id}-s0`, `reminder-${id}-s1`]);
    expect(plan.enqueue.map((n) => n.id)).toEqual([`booking-${id}-v3-rescheduled`, `reminder-${id}-s2`]);
    expect(plan.state).toMatchObject({ bookingVersion: 3, sequence: 2 });
    const cancelled = planNotices(undefined, fact("cancelled", 4, later, 3), now)!;
    expect(cancelled.state).toMatchObject({ bookingVersion: 4, sequence: 3, cancelled: true });
    expect(planNotices(plan.state, fact("rescheduled", 3, later, 2), now)).toBeUndefined();
  });

  it("ignores a redelivery and anything older than the version applied; the same fact plans the same ids", () => {
    const applied = { id, bookingVersion: 3, sequence: 2, cancelled: true, version: 3 };
    expect(planNotices(applied, fact("cancelled", 3), now)).toBeUndefined();
    expect(planNotices(applied, fact("confirmed", 1), now)).toBeUndefined();
    expect(planNotices(applied, fact("rescheduled", 2), now)).toBeUndefined();
    expect(planNotices(undefined, fact("confirmed", 1), now)).toEqual(
      planNotices(undefined, fact("confirmed", 1), now),
    );
  });
});

describe("the mail of a notice", () => {
  const details = (over: Partial<NoticeDetails> = {}): NoticeDetails => ({
    bookingId: id,
    service: serviceType("bilancio_competenze")!,
    site: siteById("lto-mantova")!,
    operatorName: "Laura Bianchi",
    slot: slot(in3Days),
    sequence: 0,
    at: now,
    ...over,
  });
  const organizer = { name: "LTO Mantova", email: "noreply@lto.local" };
  const giulia = { email: "giulia@example.it", name: "Giulia Rossi" };

  it("says in Italian what, when (Rome), where, with whom, what to bring and the notice to cancel", () => {
    const mail = composeNotice("confirmed", details(), giulia, organizer);
    expect(mail.subject).toBe(
      "Prenotazione confermata: Bilancio delle competenze, sabato 28 novembre 2026 alle 10:30",
    );
    expect(mail.text).toContain("Gentile Giulia Rossi,");
    expect(mail.text).toContain("Quando: sabato 28 novembre 2026, dalle 10:30 alle 11:30 (ora italiana)");
    expect(mail.text).toContain("Dove: LTO Mantova, Mantova, Sala colloqui 1");
    expect(mail.text).toContain("Operatore: Laura Bianchi");
    expect(mail.text).toContain("Cosa portare: un documento d'identità");
    expect(mail.text).toContain("il curriculum vitae e gli attestati");
    const notice = serviceType("bilancio_competenze")!.cancellationNoticeHours;
    expect(mail.text).toContain(`almeno ${notice} ore prima`);
    expect(mail.calendar).toMatchObject({
      uid: `${id}@self-employment.lto-mantova.it`,
      sequence: 0,
      status: "CONFIRMED",
      startLocal: "2026-11-28T10:30:00",
      organizer,
      attendees: [{ email: "giulia@example.it", name: "Giulia Rossi" }],
    });
    expect(bookingUid(id)).toBe(mail.calendar.uid);
  });

  it("a minor's referent is told whose appointment it is", () => {
    const mail = composeNotice(
      "reminder",
      details(),
      { email: "ferrari@scuola.example.it", name: "Prof.ssa Elena Ferrari", onBehalfOf: "Sara Conti" },
      organizer,
    );
    expect(mail.subject).toMatch(
      /^Promemoria: Bilancio delle competenze, sabato 28 novembre 2026 alle 10:30$/,
    );
    expect(mail.text).toContain("Gentile Prof.ssa Elena Ferrari,");
    expect(mail.text).toContain("come referente scolastico di Sara Conti");
    expect(mail.calendar.attendees).toEqual([
      { email: "ferrari@scuola.example.it", name: "Prof.ssa Elena Ferrari", rsvp: false },
    ]);
  });

  it("a move names the new time and the old one, with the higher SEQUENCE", () => {
    const before = slot(in3Days);
    const after = slot(new Date(in3Days.getTime() + 25 * HOUR), { roomId: "lto-mantova-sala-2" });
    const mail = composeNotice(
      "rescheduled",
      details({ slot: after, previous: before, sequence: 1 }),
      giulia,
      organizer,
    );
    expect(mail.subject).toBe(
      "Appuntamento spostato: Bilancio delle competenze, ora domenica 29 novembre 2026 alle 11:30",
    );
    expect(mail.text).toContain(
      "Prima era: sabato 28 novembre 2026, dalle 10:30 alle 11:30 (ora italiana), LTO Mantova, Mantova, Sala colloqui 1",
    );
    expect(mail.calendar).toMatchObject({
      sequence: 1,
      status: "CONFIRMED",
      location: "LTO Mantova, Mantova, Sala colloqui 2",
    });
  });

  it("a cancellation is STATUS:CANCELLED with its SEQUENCE, says when late, and asks nothing to bring", () => {
    const mail = composeNotice("cancelled", details({ sequence: 1, late: true }), giulia, organizer);
    expect(mail.subject).toBe(
      "Appuntamento annullato: Bilancio delle competenze, sabato 28 novembre 2026 alle 10:30",
    );
    expect(mail.text).toContain("annullato (disdetta tardiva");
    expect(mail.text).not.toContain("Cosa portare");
    expect(mail.calendar).toMatchObject({ status: "CANCELLED", sequence: 1 });
  });

  it("remote: no room, what to connect with; equipment named", () => {
    const remote = composeNotice(
      "confirmed",
      details({ slot: slot(in3Days, { mode: "remote", roomId: undefined }) }),
      giulia,
      organizer,
    );
    expect(remote.text).toContain("Dove: a distanza");
    expect(remote.text).toContain("microfono e webcam");
    const lab = composeNotice(
      "confirmed",
      details({
        slot: slot(in3Days, { roomId: "lto-mantova-fablab", equipmentIds: ["lto-mantova-stampante-3d-1"] }),
      }),
      giulia,
      organizer,
    );
    expect(lab.text).toContain("Attrezzature riservate: Stampante 3D FDM");
  });

  it("days in Rome: 23:30 UTC on 31 March is 1 April in Rome", () => {
    expect(italianDay(new Date("2026-03-31T23:30:00Z"))).toBe("mercoledì 1 aprile 2026");
  });
});
