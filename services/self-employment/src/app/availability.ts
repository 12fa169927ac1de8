// Availability: the free slots of a service type at a site over a range of Europe/Rome days, computed
// by the pure engine from the site's operators, its closed days, the service's slot rules, now, and
// what the calendars already hold. And the equipment credential gate: the catalogue is asked, fresh,
// whether a person holds the credential an item needs.
import { addDays, firstInstantAtOrAfter, romeDate, type LocalDate } from "@lto/civil-time";
import { NotFoundError, ValidationError } from "@lto/errors";
import {
  availableSlots,
  closedDaysOf,
  closedReason,
  romeWallClock,
  seatsOf,
  serviceType,
  siteById,
  SITES,
  slotRulesOf,
  type BusyInterval,
  type CredentialRequirement,
  type Slot,
  type WallClock,
} from "../domain/index.js";
import { requireSiteReader, requireSitesStaff, signedIn, type Viewer } from "./access.js";
import type { Ports } from "./ports.js";

/** At most this many days per call: a client pages through longer ranges. */
export const MAX_AVAILABILITY_DAYS = 62;

export interface AvailabilityQuery {
  service: string;
  site: string;
  from: LocalDate;
  to: LocalDate;
  operator?: string;
}

/** "2026-10-25T02:30+02:00": the offset tells the two 02:30 of the night the clocks go back apart. */
const label = (w: WallClock) => `${w.date}T${w.time}${w.offset}`;

const daysBetween = (from: LocalDate, to: LocalDate) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** A slot as offered: the seats it has left, and the room of the group session it joins (if one). */
type Offered = Slot & { freeSeats: number; roomId?: string };

/** Availability is not personal data: staff of the site, programme, admin, and a young person booking for themself. */
function requireAvailabilityReader(viewer: Viewer, site: string) {
  const me = signedIn(viewer);
  if (me.role === "learner") return me;
  return requireSiteReader(me, [site]);
}

export function availabilityUseCases({
  siteOperators,
  busy,
  credentials,
  calendar,
  persons,
  clock,
  slots: ledger,
  bookings,
}: Ports) {
  return {
    async slots(viewer: Viewer, q: AvailabilityQuery, checkpoint: () => void = () => {}) {
      // Who asks first (401, 403), then what is asked about (404), then the range (400).
      requireAvailabilityReader(viewer, q.site);
      const type = serviceType(q.service);
      if (!type) throw new NotFoundError("service type", q.service);
      const site = siteById(q.site);
      if (!site) throw new NotFoundError("site", q.site);
      if (q.to < q.from)
        throw new ValidationError("The range ends before it starts", [
          { path: "to", message: `must not be before from (${q.from})` },
        ]);
      if (daysBetween(q.from, q.to) + 1 > MAX_AVAILABILITY_DAYS)
        throw new ValidationError(`Ask for at most ${MAX_AVAILABILITY_DAYS} days per call`, [
          { path: "to", message: `must be at most ${MAX_AVAILABILITY_DAYS - 1} days after from` },
        ]);

      let operators = await siteOperators.atSite(site.id);
      if (q.operator !== undefined) {
        operators = operators.filter((o) => o.id === q.operator);
        if (!operators.length) throw new NotFoundError("operator at this site", q.operator);
      }
      const ids = operators.map((o) => o.id);
      const rules = slotRulesOf(type);
      const guard = (rules.bufferBeforeMinutes + rules.bufferAfterMinutes + rules.durationMinutes) * 60_000;
      const range = {
        start: new Date(firstInstantAtOrAfter({ date: q.from, time: "00:00" }).getTime() - guard),
        end: new Date(firstInstantAtOrAfter({ date: addDays(q.to, 1), time: "00:00" }).getTime() + guard),
      };
      // A service given in person only needs a room large enough that is free too (any claim on it).
      const rooms = type.modes.includes("remote")
        ? undefined
        : site.rooms.filter((r) => r.seats >= seatsOf(type)).map((r) => r.id);
      const [busyIntervals, bookingsPerDay, roomsBusy, sessions] = await Promise.all([
        busy.busyIntervals(ids, range),
        busy.bookingsPerDay(ids, { from: q.from, to: q.to }),
        rooms ? ledger.busy("room", rooms, range) : Promise.resolve({} as Record<string, BusyInterval[]>),
        // A group session with seats left is offered at its time (its operator is busy then).
        type.format.kind === "group" ? bookings.groupSessions(type.code, ids, range) : Promise.resolve([]),
      ]);
      checkpoint();

      const now = clock.now();
      const years = [...new Set([q.from, q.to].map((d) => Number(d.slice(0, 4))))];
      const closedDays = closedDaysOf(site, calendar.extraClosedDays, years);
      const offered = availableSlots({
        rules,
        site: site.id,
        from: q.from,
        to: q.to,
        operators,
        busy: busyIntervals,
        bookingsPerDay,
        closedDays,
        now,
      });
      const overlaps = (s: Slot, i: { start: Date; end: Date }) => i.start < s.end && s.start < i.end;
      const free = rooms
        ? offered.filter((s) => rooms.some((r) => !(roomsBusy[r] ?? []).some((i) => overlaps(s, i))))
        : offered;
      const earliest = now.getTime() + type.minNoticeMinutes * 60_000;
      // The seats a slot offers: all of them at a new start, those left in a group session to join.
      const seats = seatsOf(type);
      // Seats are taken by whatever claims them (a booking, a waitlist offer holding a freed seat).
      const seatClaims = await Promise.all(
        sessions.map(
          async (g) => (await ledger.ofGroup(g.groupSession)).filter((c) => c.key.startsWith("seat:")).length,
        ),
      );
      checkpoint();
      const joinable: Offered[] = sessions
        .map((g, i) => ({ ...g, seatsTaken: Math.max(g.seatsTaken, seatClaims[i]!) }))
        .filter((g) => g.seatsTaken < seats && g.start.getTime() >= earliest)
        .filter((g) => romeDate(g.start) >= q.from && romeDate(g.start) <= q.to)
        .map((g) => ({
          start: g.start,
          end: g.end,
          date: romeDate(g.start),
          startLocal: romeWallClock(g.start),
          endLocal: romeWallClock(g.end),
          operatorIds: [g.operatorId],
          freeSeats: seats - g.seatsTaken,
          ...(g.roomId !== undefined ? { roomId: g.roomId } : {}),
        }));
      const slots = [...free.map((s): Offered => ({ ...s, freeSeats: seats })), ...joinable].sort(
        (a, b) => a.start.getTime() - b.start.getTime(),
      );
      const names = new Map(operators.map((o) => [o.id, o.name]));
      const byDay = new Map<LocalDate, Offered[]>();
      for (const s of slots) byDay.set(s.date, [...(byDay.get(s.date) ?? []), s]);
      const days = [];
      for (let date = q.from; date <= q.to; date = addDays(date, 1)) {
        const closed = closedReason(date, closedDays);
        days.push({
          date,
          ...(closed ? { closed } : {}),
          slots: (byDay.get(date) ?? []).map((s) => ({
            start: s.start.toISOString(),
            end: s.end.toISOString(),
            startLocal: label(s.startLocal),
            endLocal: label(s.endLocal),
            ...(s.startLocal.occurrence ? { occurrence: s.startLocal.occurrence } : {}),
            operators: s.operatorIds.map((id) => ({ id, name: names.get(id) ?? id })),
            freeSeats: s.freeSeats,
            ...(s.roomId !== undefined ? { roomId: s.roomId } : {}),
          })),
        });
      }
      return {
        service: type.code,
        site: site.id,
        from: q.from,
        to: q.to,
        durationMinutes: type.durationMinutes,
        bookableUntil: addDays(romeDate(now), rules.horizonDays),
        computedAt: now.toISOString(),
        days,
      };
    },

    /**
     * May this person use this equipment item? Staff of the item's site (or an admin) ask; the booking
     * wave calls the same check at booking time. Asked of the catalogue fresh: when it does not answer
     * in time, UnavailableError (503, Retry-After) and nothing is stored.
     */
    async equipmentAccess(viewer: Viewer, itemId: string, personId: string) {
      const site = siteOfItem(itemId);
      // Who asks first: staff and admins (an unknown item is a 404 to them), staff of the item's site.
      const me = requireSitesStaff(viewer, site ? [site.site.id] : []);
      if (!site) throw new NotFoundError("equipment item", itemId);
      const person = await persons.get(personId);
      if (!person) throw new NotFoundError("person", personId);
      const requirement = site.item.requiresCredential;
      if (!requirement)
        return {
          item: itemId,
          person: personId,
          allowed: true,
          requirement: null,
          reason: "no credential needed",
        };
      if (!person.learnerSubject)
        return {
          item: itemId,
          person: personId,
          allowed: false,
          requirement,
          reason:
            "the person has no learner account on record, so no credential can be found for them: record their learner account (learnerSubject) when registering them",
        };
      const answer = await credentials.check(person.learnerSubject, requirement, me.token);
      return {
        item: itemId,
        person: personId,
        allowed: answer.satisfied,
        requirement,
        reason: answer.satisfied
          ? `holds credential ${answer.credentialId ?? ""} at level ${answer.level ?? requirement.minimumLevel}`
          : `holds no valid credential for ${describe(requirement)}`,
        ...(answer.credentialId ? { credentialId: answer.credentialId } : {}),
      };
    },
  };
}

function describe(r: CredentialRequirement): string {
  return `${r.framework} ${r.version} competence ${r.competence} at level ${r.minimumLevel} or higher`;
}

function siteOfItem(itemId: string) {
  for (const site of SITES) {
    const item = site.equipment.find((e) => e.id === itemId);
    if (item) return { site, item };
  }
  return undefined;
}
