// Calendar feeds: an operator's calendar and a person's bookings as ICS behind secret, rotatable links,
// kept as a read model of the service's own booking events. Calendar apps cannot sign in: the token in
// the link is the credential, and a wrong or rotated one is told apart from nothing else (404).
// Managing the links needs a token: staff of the operator's (or person's) site, admins, and the person
// themself (the learner whose subject is the person's learnerSubject).
import { feedTokenMatches, isFeedTokenShape } from "@lto/calendar";
import { ConflictError, ForbiddenError, NotFoundError } from "@lto/errors";
import {
  applyBookingFact,
  entriesCalendar,
  entryEvent,
  entryInvitation,
  inFeed,
  serviceType,
  siteById,
  type BookingFact,
  type CalendarEntry,
  type EntryNames,
  type FeedAudience,
} from "../domain/index.js";
import { isLearnerOf, requireRole, requireSitesStaff, type Viewer } from "./access.js";
import type { CalendarFeedLink, FeedOwnerKind, Ports } from "./ports.js";

const ATTEMPTS = 5;
const DAY = 86_400_000;

/** A link we did not issue, a rotated one, an unknown owner: all the same to whoever holds it. */
const unknownFeed = () =>
  new NotFoundError("calendar feed", "at this address", {
    details: { hint: "ask staff of your site (or your own profile) for the current link of this calendar" },
  });

/** What a feed's owner may see of it: the link (a path; the edge makes it absolute) and its history. */
export interface FeedLinkView {
  path: string;
  kind: FeedOwnerKind;
  ownerId: string;
  generation: number;
  createdAt: string;
  updatedAt: string;
}

export function calendarFeedUseCases(ports: Ports) {
  const {
    calendarEntries: entries,
    calendarFeedLinks: links,
    calendarFeedTokens: tokens,
    calendarText: text,
    calendarFeedSettings: settings,
    clock,
    operators,
    persons,
  } = ports;

  /** Who may manage an operator's link: staff of one of the operator's sites, admins. */
  async function operatorOwner(viewer: Viewer, operatorId: string) {
    const me = requireRole(viewer, "staff", "admin");
    const operator = await operators.get(operatorId);
    if (!operator) throw new NotFoundError("operator", operatorId);
    // One shared site is enough (staff there book the operator); none: the 403 naming the operator's sites.
    if (me.role === "staff" && !operator.sites.some((s) => me.sites.includes(s)))
      requireSitesStaff(viewer, operator.sites);
  }

  /** Who may manage a person's link: staff of the person's site, admins, the person themself. */
  async function personOwner(viewer: Viewer, personId: string) {
    const me = requireRole(viewer, "staff", "admin", "learner");
    const person = await persons.get(personId);
    if (!person) throw new NotFoundError("person", personId);
    if (me.role !== "learner") return void requireSitesStaff(viewer, [person.site]);
    if (!isLearnerOf(me, person))
      throw new ForbiddenError(
        "A learner manages only their own calendar link (the person whose learner account you are); ask staff of your site",
      );
  }

  function view(link: CalendarFeedLink, token: string): FeedLinkView {
    return {
      path: `/v1/calendar/${link.kind}s/${encodeURIComponent(link.ownerId)}.ics?token=${token}`,
      kind: link.kind,
      ownerId: link.ownerId,
      generation: link.generation,
      createdAt: link.createdAt.toISOString(),
      updatedAt: link.updatedAt.toISOString(),
    };
  }

  /** The owner's link, made on first ask; with `rotate` a new one (the old one stops working). */
  async function link(kind: FeedOwnerKind, ownerId: string, rotate: boolean): Promise<FeedLinkView> {
    const id = `${kind}:${ownerId}`;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const now = clock.now();
      const current = await links.get(id);
      if (!current) {
        const { token, hash } = await tokens.token(id, 1);
        const created = { id, kind, ownerId, generation: 1, tokenHash: hash, createdAt: now, updatedAt: now };
        if (await links.insert({ ...created, version: 1 })) return view({ ...created, version: 1 }, token);
        continue; // made meanwhile by another request: answer that one
      }
      const generation = current.generation + (rotate ? 1 : 0);
      const { token, hash } = await tokens.token(id, generation);
      if (!rotate && hash === current.tokenHash) return view(current, token);
      // Rotated, or the service's feed key changed (every old link is dead then): store the new hash.
      const next = { ...current, generation, tokenHash: hash, updatedAt: now };
      if (await links.update(next)) return view({ ...next, version: current.version + 1 }, token);
    }
    throw new ConflictError("The calendar link is being changed by another request; try again");
  }

  /** The names an entry is shown with (service in Italian, site and room; operator or person). */
  async function namesOf(list: CalendarEntry[], audience: FeedAudience) {
    const unique = (f: (e: CalendarEntry) => string) => [...new Set(list.map(f))];
    const operatorNames = new Map<string, string>();
    const personNames = new Map<string, string>();
    if (audience === "person")
      for (const id of unique((e) => e.operatorId)) {
        const operator = await operators.get(id);
        if (operator) operatorNames.set(id, operator.name);
      }
    // An operator sees whom they meet by name only: no codice fiscale, birth date or contact.
    if (audience === "operator")
      for (const id of unique((e) => e.personId)) {
        const person = await persons.get(id);
        personNames.set(id, person ? `${person.givenName} ${person.familyName}` : "Team di un'idea adottata");
      }
    return (entry: CalendarEntry): EntryNames => {
      const site = siteById(entry.site);
      const room = site?.rooms.find((r) => r.id === entry.roomId)?.name;
      const operator = operatorNames.get(entry.operatorId);
      const person = personNames.get(entry.personId);
      return {
        service: serviceType(entry.serviceCode)?.nameIt ?? entry.serviceCode,
        site: site?.name ?? entry.site,
        ...(room ? { room } : {}),
        ...(operator ? { operator } : {}),
        ...(person ? { person } : {}),
      };
    };
  }

  async function feed(kind: FeedOwnerKind, ownerId: string, token: string): Promise<string> {
    if (!isFeedTokenShape(token)) throw unknownFeed();
    const stored = await links.get(`${kind}:${ownerId}`);
    if (!stored || !feedTokenMatches(token, stored.tokenHash)) throw unknownFeed();
    const now = clock.now();
    const since = new Date(now.getTime() - settings.pastDays * DAY);
    const listed = (
      kind === "operator" ? await entries.ofOperator(ownerId, since) : await entries.ofPerson(ownerId, since)
    ).filter((e) => inFeed(e, now, settings));
    const names = await namesOf(listed, kind);
    const events = listed.map((e) => entryEvent(e, kind, names(e)));
    const calendar =
      kind === "operator"
        ? entriesCalendar(
            `LTO: agenda di ${(await operators.get(ownerId))?.name ?? "un operatore"}`,
            "Gli appuntamenti dei servizi al lavoro e all'autoimpiego, ora di Roma",
            events,
          )
        : entriesCalendar(
            "LTO: i miei appuntamenti",
            "I servizi al lavoro e all'autoimpiego prenotati per te, ora di Roma",
            events,
          );
    return text.render(calendar, now);
  }

  return {
    /** Where feed links point (the edge uses the request's address when unset). */
    baseUrl: settings.baseUrl,

    /**
     * A booking event applied to its entry; false when it changes nothing (redelivered, older than
     * the entry, or after the cancellation). Racing writers of one entry: read again and retry.
     */
    async applyBookingEvent(fact: BookingFact): Promise<boolean> {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const entry = await entries.get(fact.bookingId);
        const next = applyBookingFact(entry, fact);
        if (!next) return false;
        if (entry ? await entries.replace(next, entry.version) : await entries.insert(next)) return true;
      }
      throw new ConflictError(`The calendar entry of booking ${fact.bookingId} keeps changing; try again`);
    },

    async operatorFeedLink(viewer: Viewer, operatorId: string, rotate = false) {
      await operatorOwner(viewer, operatorId);
      return link("operator", operatorId, rotate);
    },

    async personFeedLink(viewer: Viewer, personId: string, rotate = false) {
      await personOwner(viewer, personId);
      return link("person", personId, rotate);
    },

    /**
     * One booking as an iTIP message to the person (METHOD:REQUEST, or CANCEL once cancelled), from its
     * operator (or the service's organizer address): for staff of the booking's site, admins, the person.
     */
    async bookingInvitation(viewer: Viewer, bookingId: string) {
      const me = requireRole(viewer, "staff", "admin", "learner");
      const entry = await entries.get(bookingId);
      if (!entry) throw new NotFoundError("booking", bookingId);
      const person = await persons.get(entry.personId);
      if (me.role !== "learner") requireSitesStaff(viewer, [entry.site]);
      else if (!isLearnerOf(me, person))
        throw new ForbiddenError("A learner reads only the invitations of their own bookings");
      if (!person?.email)
        throw new ConflictError(
          "The booking's person has no e-mail on record, and an invitation is addressed to one: record their e-mail, or subscribe to their calendar feed instead",
        );
      const operator = await operators.get(entry.operatorId);
      const names = (await namesOf([entry], "person"))(entry);
      const organizer = operator?.email
        ? { name: operator.name, email: operator.email }
        : { name: names.site, email: settings.organizerEmail };
      const attendee = { email: person.email, name: `${person.givenName} ${person.familyName}` };
      return text.message(entryInvitation(entry, names, { organizer, attendee }), clock.now());
    },

    operatorFeed: (operatorId: string, token: string) => feed("operator", operatorId, token),
    personFeed: (personId: string, token: string) => feed("person", personId, token),
  };
}
