// What the reminder tests share: booking events as the bookings part publishes them (the generated
// contract types), and the .eml files the service writes, parsed back (headers, the text part, the
// .ics part read with ical.js).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  BookingCancelledEvent,
  BookingConfirmedEvent,
  BookingRescheduledEvent,
  selfEmploymentEventsV1,
  selfEmploymentV1,
} from "@lto/contracts";
import ICAL from "ical.js";

export const HOUR = 3_600_000;

export interface SlotInput {
  start: Date;
  minutes?: number;
  site?: string;
  operatorId: string;
  roomId?: string;
  remote?: boolean;
}

export function bookingSlot(s: SlotInput): selfEmploymentEventsV1.BookingSlot {
  return {
    site: s.site ?? "lto-mantova",
    operatorId: s.operatorId,
    roomId: s.remote ? "" : (s.roomId ?? "lto-mantova-sala-1"),
    equipmentIds: [],
    startsAt: s.start.toISOString(),
    endsAt: new Date(s.start.getTime() + (s.minutes ?? 60) * 60_000).toISOString(),
    mode: s.remote
      ? selfEmploymentV1.DeliveryMode.DELIVERY_MODE_REMOTE
      : selfEmploymentV1.DeliveryMode.DELIVERY_MODE_IN_PERSON,
  };
}

export function confirmed(personId: string, bookingId: string, slot: SlotInput, version = 1) {
  return BookingConfirmedEvent.create({
    personId,
    bookingId,
    serviceType: "accoglienza",
    slot: bookingSlot(slot),
    hours: 1,
    funder: "lto_diffuso",
    occurredAt: new Date().toISOString(),
    actorSubject: "staff-mantova",
    version,
  });
}

export function rescheduled(
  personId: string,
  bookingId: string,
  slot: SlotInput,
  previous: SlotInput,
  version: number,
  /** The booking's SEQUENCE; left out, the event is one written before events carried it. */
  sequence?: number,
) {
  return BookingRescheduledEvent.create({
    personId,
    bookingId,
    serviceType: "accoglienza",
    slot: bookingSlot(slot),
    previousSlot: bookingSlot(previous),
    hours: 1,
    funder: "lto_diffuso",
    occurredAt: new Date().toISOString(),
    actorSubject: "staff-mantova",
    version,
    ...(sequence !== undefined ? { sequence } : {}),
  });
}

export function cancelled(
  personId: string,
  bookingId: string,
  slot: SlotInput,
  version: number,
  late = false,
) {
  return BookingCancelledEvent.create({
    personId,
    bookingId,
    serviceType: "accoglienza",
    slot: bookingSlot(slot),
    late,
    by: selfEmploymentEventsV1.CancellationBy.CANCELLATION_BY_STAFF,
    reason: "richiesta della persona",
    funder: "lto_diffuso",
    occurredAt: new Date().toISOString(),
    actorSubject: "staff-mantova",
    version,
  });
}

/** The .eml files in `dir` that concern `bookingId`, by name (sorted). */
export async function mailFiles(dir: string, bookingId: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith(".eml") && n.includes(bookingId)).sort();
}

export interface ParsedMail {
  raw: string;
  headers: Record<string, string>;
  subject: string;
  text: string;
  /** The calendar part as written. */
  icsText: string;
  ics: {
    method: string;
    uid: string;
    sequence: number;
    status: string;
    start: Date;
    end: Date;
    contentType: string;
  };
}

/** RFC 2047 encoded words (=?UTF-8?Q?...?= / =?UTF-8?B?...?=) decoded. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
      enc.toUpperCase() === "B"
        ? Buffer.from(data, "base64").toString("utf8")
        : decodeQuotedPrintable(data.replace(/_/g, " ")),
    );
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const soft = text.replace(/=\r?\n/g, "");
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === "=" && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i]!, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

function splitHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r\n[ \t]+/g, " ").split("\r\n"))
    if (line.includes(":"))
      headers[line.slice(0, line.indexOf(":")).toLowerCase()] = line.slice(line.indexOf(":") + 1).trim();
  return headers;
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const enc = (headers["content-transfer-encoding"] ?? "7bit").toLowerCase();
  if (enc === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (enc === "quoted-printable") return decodeQuotedPrintable(body);
  return body;
}

/** One .eml file as a mail client reads it: headers, the text part and the calendar part. */
export async function readMail(dir: string, name: string): Promise<ParsedMail> {
  const raw = await readFile(join(dir, name), "utf8");
  const split = raw.indexOf("\r\n\r\n");
  const headers = splitHeaders(raw.slice(0, split));
  const boundary = /boundary="?([^";]+)"?/.exec(headers["content-type"] ?? "")?.[1];
  if (!boundary) throw new Error(`${name} is not multipart: ${headers["content-type"]}`);
  const parts = raw
    .slice(split + 4)
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const p = part.replace(/^\r\n/, "");
      const at = p.indexOf("\r\n\r\n");
      const h = splitHeaders(p.slice(0, at));
      return { headers: h, body: decodeBody(h, p.slice(at + 4).replace(/\r\n$/, "")) };
    });
  const text = parts.find((p) => p.headers["content-type"]?.startsWith("text/plain"));
  const cal = parts.find((p) => p.headers["content-type"]?.startsWith("text/calendar"));
  if (!text || !cal) throw new Error(`${name} lacks its text or calendar part`);
  const root = new ICAL.Component(ICAL.parse(cal.body));
  for (const tz of root.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
  const vevent = root.getFirstSubcomponent("vevent")!;
  const event = new ICAL.Event(vevent);
  return {
    raw,
    headers,
    subject: decodeWords(headers.subject ?? ""),
    text: text.body.replace(/\r\n/g, "\n"),
    icsText: cal.body,
    ics: {
      method: String(root.getFirstPropertyValue("method")),
      uid: event.uid,
      sequence: Number(vevent.getFirstPropertyValue("sequence")),
      status: String(vevent.getFirstPropertyValue("status")),
      start: new Date(event.startDate.toUnixTime() * 1000),
      end: new Date(event.endDate.toUnixTime() * 1000),
      contentType: cal.headers["content-type"]!,
    },
  };
}
