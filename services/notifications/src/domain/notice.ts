// A notice: one thing one recipient should know, with its texts in Italian and English, the ids of what
// it is about (so the portal can link to it) and a deadline when there is one. A recipient is a person
// (their token subject) or every account of an organisation with a role (every referent of a school);
// read state is kept per person, so one referent reading a school's notice leaves it unread for another.

export const NOTICE_KINDS = [
  "offer_received",
  "offer_accepted",
  "offer_declined",
  "offer_withdrawn",
  "hold_expiring",
  "delivery_to_confirm",
  "seat_offered",
  "session_cancelled",
  "booking_rescheduled",
  "booking_cancelled",
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** The kinds that ask the recipient to act: these are also sent by e-mail. */
export const ACTION_KINDS: ReadonlySet<NoticeKind> = new Set([
  "offer_received",
  "hold_expiring",
  "seat_offered",
  "delivery_to_confirm",
]);

/** Roles an organisation's notices go to (a minor's go to the school). */
export type OrganisationRole = "school" | "company";

export type Recipient =
  | { kind: "person"; subject: string }
  | { kind: "organisation"; role: OrganisationRole; organisationId: string };

export const LOCALES = ["it", "en"] as const;
export type Locale = (typeof LOCALES)[number];

export interface NoticeText {
  title: string;
  body: string;
}

export interface Notice {
  /** Derived from the fact and the recipient: the same fact seen twice makes the same id. */
  id: string;
  kind: NoticeKind;
  recipient: Recipient;
  /** `person:<subject>` or `<role>:<organisationId>`: what a caller's own keys are matched against. */
  recipientKey: string;
  texts: Record<Locale, NoticeText>;
  /** The ids of what it is about (ideaId, offerId, sessionId, bookingId...). */
  refs: Record<string, string>;
  deadline?: Date;
  needsAction: boolean;
  /** When the fact happened (the list's order). */
  at: Date;
  /** Subjects who have read it. */
  readBy: string[];
  version: number;
}

export function recipientKey(r: Recipient): string {
  return r.kind === "person" ? `person:${r.subject}` : `${r.role}:${r.organisationId}`;
}

/** The keys of the notices a caller may see: their own, and their organisation's for their role. */
export function keysOf(caller: { subject: string; role: string; organisationId: string }): string[] {
  const keys = [recipientKey({ kind: "person", subject: caller.subject })];
  if ((caller.role === "school" || caller.role === "company") && caller.organisationId)
    keys.push(
      recipientKey({ kind: "organisation", role: caller.role, organisationId: caller.organisationId }),
    );
  return keys;
}

export function isReadBy(notice: Pick<Notice, "readBy">, subject: string): boolean {
  return notice.readBy.includes(subject);
}

/** The notice once `subject` has read it (unchanged when they had). */
export function markRead(notice: Notice, subject: string): Notice {
  return isReadBy(notice, subject) ? notice : { ...notice, readBy: [...notice.readBy, subject] };
}
