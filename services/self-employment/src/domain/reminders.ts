// Reminders of bookings, pure: which e-mails a booking event calls for (a confirmation now and a
// reminder 24 hours before; on a move the change and a new reminder, the old one withdrawn; on a
// cancellation the notice, the reminder withdrawn), under ids that name the fact, so the same event
// applied twice asks for the same mails; and the Italian text of each, with its calendar invitation.
import { calendarEvent, type CalendarEvent } from "@lto/calendar";
// The booking's stable calendar UID: every copy of it (mail, feed) updates the same event.
import { bookingUid } from "./calendar-entries.js";
import { romeDate, wallClockOf } from "@lto/civil-time";
import type { DeliveryMode, ServiceType } from "./service-types.js";
import type { Site } from "./sites.js";

/** How long before a booking its reminder goes out. */
export const REMINDER_LEAD_MS = 24 * 3_600_000;

/** Where and when a booking takes place, as its events carry it. */
export interface NoticeSlot {
  site: string;
  operatorId: string;
  roomId?: string;
  equipmentIds: string[];
  mode: DeliveryMode;
  start: Date;
  end: Date;
}

/** A booking event as the reminders see it (the service's own BookingConfirmed/Rescheduled/Cancelled). */
export type BookingNoticeFact = {
  bookingId: string;
  /** The person's pseudonymous id, or the team id of a team path. */
  personId: string;
  serviceCode: string;
  slot: NoticeSlot;
  /** The booking's version after the change (each booking event carries it). */
  version: number;
  /**
   * The booking's SEQUENCE after the change, as the event carries it; absent from an event written
   * before events carried it, and then counted from the state (see `planNotices`).
   */
  sequence?: number;
  at: Date;
} & (
  | { kind: "confirmed" }
  | { kind: "rescheduled"; previous?: NoticeSlot }
  | { kind: "cancelled"; late: boolean }
);

/** What the reminders remember of a booking: the last version applied and the calendar SEQUENCE. */
export interface BookingReminderState {
  /** The booking id. */
  id: string;
  bookingVersion: number;
  /** ICS SEQUENCE: 0 at booking, one more on every move and on the cancellation (as the booking's). */
  sequence: number;
  cancelled: boolean;
  /** The stored document's own version. */
  version: number;
}

export type NoticeKind = "confirmed" | "rescheduled" | "cancelled" | "reminder";

/** One e-mail the fact calls for: its id names the fact, so enqueueing it twice stores it once. */
export interface PlannedNotice {
  id: string;
  kind: NoticeKind;
  /** Not before (the reminder). */
  notBefore?: Date;
}

export interface NoticePlan {
  state: BookingReminderState;
  /** Mails to enqueue (none when the booking has already begun). */
  enqueue: PlannedNotice[];
  /** Reminder ids to withdraw (a moved or cancelled booking's). */
  cancel: string[];
}

export const reminderId = (bookingId: string, sequence: number) => `reminder-${bookingId}-s${sequence}`;
export const noticeId = (bookingId: string, version: number, kind: Exclude<NoticeKind, "reminder">) =>
  `booking-${bookingId}-v${version}-${kind}`;

/**
 * What `fact` asks for, given what was applied before (`state`), at `now`; undefined when the fact is
 * not newer than the version applied (a redelivery, or an event overtaken by a later one).
 * SEQUENCE is the event's (the booking's), so a skipped event (parked, or before this consumer's start)
 * cannot put it out of step; an older event without it counts on from the state (a booking seen first
 * through such a move or cancellation starts from 1).
 */
export function planNotices(
  state: BookingReminderState | undefined,
  fact: BookingNoticeFact,
  now: Date,
): NoticePlan | undefined {
  if (state && fact.version <= state.bookingVersion) return undefined;
  const counted = fact.kind === "confirmed" ? (state?.sequence ?? 0) : (state?.sequence ?? 0) + 1;
  const sequence = fact.sequence ?? counted;
  const next: BookingReminderState = {
    id: fact.bookingId,
    bookingVersion: fact.version,
    sequence,
    cancelled: fact.kind === "cancelled",
    version: state?.version ?? 0,
  };
  // Every earlier reminder of the booking: cancelling one that was never enqueued does nothing.
  const earlier =
    fact.kind === "confirmed"
      ? []
      : Array.from({ length: sequence }, (_, s) => reminderId(fact.bookingId, s));
  // A booking that has begun (or passed) is not announced, moved or cancelled by mail any more.
  if (fact.slot.start.getTime() <= now.getTime()) return { state: next, enqueue: [], cancel: earlier };
  const enqueue: PlannedNotice[] = [
    { id: noticeId(fact.bookingId, fact.version, fact.kind), kind: fact.kind },
  ];
  const due = new Date(fact.slot.start.getTime() - REMINDER_LEAD_MS);
  if (fact.kind !== "cancelled" && due.getTime() > now.getTime())
    enqueue.push({ id: reminderId(fact.bookingId, sequence), kind: "reminder", notBefore: due });
  return { state: next, enqueue, cancel: earlier };
}

// --- the text ---

/** Who the mail goes to: the adult person, or the school referent of a minor. */
export interface NoticeRecipient {
  email: string;
  /** The name the mail greets. */
  name: string;
  /** A minor's referent: the mail says whose appointment it is. */
  onBehalfOf?: string;
}

/** Everything the mail names, resolved from the booking's ids. */
export interface NoticeDetails {
  bookingId: string;
  service: Pick<ServiceType, "code" | "nameIt" | "cancellationNoticeHours">;
  site: Pick<Site, "name" | "municipality" | "rooms" | "equipment">;
  operatorName: string;
  slot: NoticeSlot;
  /** The slot before a move (the change mail says where it was). */
  previous?: NoticeSlot;
  /** A cancellation inside the notice period (recorded as late). */
  late?: boolean;
  sequence: number;
  /** When the fact happened: the invitation's DTSTAMP and LAST-MODIFIED. */
  at: Date;
}

export interface ComposedNotice {
  subject: string;
  text: string;
  /** The invitation (METHOD:REQUEST) or its withdrawal (METHOD:CANCEL, once cancelled). */
  calendar: CalendarEvent;
}

const WEEKDAYS = ["domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"];
const MONTHS = [
  "gennaio",
  "febbraio",
  "marzo",
  "aprile",
  "maggio",
  "giugno",
  "luglio",
  "agosto",
  "settembre",
  "ottobre",
  "novembre",
  "dicembre",
];

/** "giovedì 3 dicembre 2026": the Rome day of an instant, in Italian. */
export function italianDay(instant: Date): string {
  const [y, m, d] = romeDate(instant).split("-").map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${WEEKDAYS[weekday]} ${d} ${MONTHS[m - 1]} ${y}`;
}

/** "10:30": Rome's wall clock. */
export function romeTime(instant: Date): string {
  return wallClockOf(instant).slice(11, 16);
}

function when(slot: NoticeSlot): string {
  return `${italianDay(slot.start)}, dalle ${romeTime(slot.start)} alle ${romeTime(slot.end)} (ora italiana)`;
}

function place(details: NoticeDetails, slot: NoticeSlot): string {
  const site = `${details.site.name}, ${details.site.municipality}`;
  if (slot.mode === "remote")
    return `a distanza (il collegamento vi arriva dall'operatore); sede di riferimento ${site}`;
  const room = details.site.rooms.find((r) => r.id === slot.roomId)?.name;
  return room ? `${site}, ${room}` : site;
}

/** What to bring, by service: always an identity document; what the service works on besides. */
function toBring(details: NoticeDetails): string {
  const extra: Record<string, string> = {
    colloquio_specialistico: "il curriculum vitae, se l'avete",
    bilancio_competenze: "il curriculum vitae e gli attestati di studi, corsi e lavori",
    inserimento_lavoro: "il curriculum vitae aggiornato",
    tutoring_tirocinio: "il progetto formativo del tirocinio",
    consulenza_autoimpiego: "appunti sull'idea d'impresa",
    business_plan: "la bozza del business plan e i dati raccolti",
  };
  const items = ["un documento d'identità e la tessera sanitaria (codice fiscale)"];
  const more = extra[details.service.code];
  if (more) items.push(more);
  if (details.slot.mode === "remote") items.push("un computer o uno smartphone con microfono e webcam");
  return items.join("; ");
}

function cancellationNote(details: NoticeDetails): string {
  const hours = details.service.cancellationNoticeHours;
  if (hours === 0) return "Se non potete venire, avvisate la sede appena possibile.";
  const by = new Date(details.slot.start.getTime() - hours * 3_600_000);
  return (
    `Se non potete venire, avvisate la sede almeno ${hours} ore prima (entro ${italianDay(by)} alle ` +
    `${romeTime(by)}): una disdetta più tarda è registrata come tardiva.`
  );
}

function detailLines(details: NoticeDetails, slot: NoticeSlot): string[] {
  const equipment = slot.equipmentIds
    .map((id) => details.site.equipment.find((e) => e.id === id)?.name ?? id)
    .join(", ");
  return [
    `Servizio: ${details.service.nameIt}`,
    `Quando: ${when(slot)}`,
    `Dove: ${place(details, slot)}`,
    `Operatore: ${details.operatorName}`,
    ...(equipment ? [`Attrezzature riservate: ${equipment}`] : []),
  ];
}

/**
 * The e-mail of one notice about a booking, in Italian, with the calendar event to attach: the
 * booking's UID and SEQUENCE, STATUS:CANCELLED for a cancellation. `organizer` is the address the
 * invitation comes from (the service's).
 */
export function composeNotice(
  kind: NoticeKind,
  details: NoticeDetails,
  recipient: NoticeRecipient,
  organizer: { name: string; email: string },
): ComposedNotice {
  const service = details.service.nameIt;
  const day = `${italianDay(details.slot.start)} alle ${romeTime(details.slot.start)}`;
  const subject = {
    confirmed: `Prenotazione confermata: ${service}, ${day}`,
    rescheduled: `Appuntamento spostato: ${service}, ora ${day}`,
    cancelled: `Appuntamento annullato: ${service}, ${day}`,
    reminder: `Promemoria: ${service}, ${day}`,
  }[kind];
  const whose = recipient.onBehalfOf
    ? `vi scriviamo come referente scolastico di ${recipient.onBehalfOf}. `
    : "";
  const opening = {
    confirmed: `${whose}L'appuntamento è confermato.`,
    rescheduled: `${whose}L'appuntamento è stato spostato: ecco il nuovo orario.`,
    cancelled: `${whose}L'appuntamento è stato annullato${details.late ? " (disdetta tardiva: oltre il preavviso)" : ""}.`,
    reminder: `${whose}Vi ricordiamo il prossimo appuntamento.`,
  }[kind];
  const lines = [`Gentile ${recipient.name},`, "", opening, "", ...detailLines(details, details.slot)];
  if (kind === "rescheduled" && details.previous)
    lines.push(`Prima era: ${when(details.previous)}, ${place(details, details.previous)}`);
  if (kind === "cancelled") {
    lines.push("", "Per fissare un nuovo appuntamento contattate la sede.");
  } else {
    lines.push("", `Cosa portare: ${toBring(details)}.`, cancellationNote(details));
  }
  lines.push(
    "",
    "In allegato l'appuntamento per il vostro calendario.",
    "",
    details.site.name,
    "Messaggio automatico: per rispondere scrivete alla sede.",
  );
  const cancelled = kind === "cancelled";
  const calendar = calendarEvent({
    uid: bookingUid(details.bookingId),
    sequence: details.sequence,
    start: details.slot.start,
    end: details.slot.end,
    summary: `${service} - ${details.site.name}`,
    description: detailLines(details, details.slot).join("\n"),
    location: place(details, details.slot),
    status: cancelled ? "CANCELLED" : "CONFIRMED",
    lastModified: details.at,
    organizer,
    attendees: [{ email: recipient.email, name: recipient.name, rsvp: false }],
  });
  return { subject, text: `${lines.join("\n")}\n`, calendar };
}
