// Paths (percorsi): staff of the path's site open them at reception, plan hours, propose services,
// record deliveries; the person's side confirms them; the programme office and staff read the hours.
// An adopted idea (IdeaAdopted) opens its team's path through the school referent. Every write is one
// versioned update of the path with its events; a consumed event's id is recorded in the same write.
import { romeDate } from "@lto/civil-time";
import { ConflictError, ForbiddenError, Issues, NotFoundError, PreconditionFailedError } from "@lto/errors";
import type { Identity } from "@lto/auth";
import {
  ageOn,
  ADULT_AGE,
  bookOnPath,
  closePath,
  confirmDelivery,
  confirmingSide,
  correctDelivery,
  currentRevision,
  deliveryOfBooking,
  deliveryStatus,
  holderId,
  hoursUsage,
  isOutcomeCode,
  openPath,
  proposeServices,
  recordInternshipCommitments,
  markDelivered,
  recordDelivery,
  reopenPath,
  repeatedDelivery,
  reportRows,
  romeMonth,
  SERVICE_TYPES,
  serviceType,
  setFunder,
  setPlannedHours,
  siteById,
  summariseHours,
  timesheet,
  TUTORING_SERVICE,
  undoDelivered,
  voidDelivery,
  type Booking,
  type Delivery,
  type HoursUsage,
  type InternshipCommitment,
  type DeliveryCorrection,
  type OutcomeCode,
  type Path,
  type ReportDimension,
  type ServiceType,
} from "../domain/index.js";
import {
  isLearnerOf,
  requireSiteReader,
  requireSitesStaff,
  signedIn,
  requireRole,
  type Viewer,
} from "./access.js";
import { checkVersion } from "./checks.js";
import type { PathEvent, Ports } from "./ports.js";

/** The services an adopted team's path proposes: the self-employment counselling, then the business plan. */
export const ADOPTION_SERVICES = ["consulenza_autoimpiego", "business_plan"] as const;

export interface IdeaAdoptedFact {
  eventId: string;
  ideaId: string;
  adoptionId: string;
  schoolId: string;
  /** The school user who accepted the offer: the team's referent. */
  referent: string;
  at: Date;
  /** The sponsor's internship commitments (none when it promised none). */
  internships: InternshipCommitment[];
}

const ATTEMPTS = 8;

function knownService(issues: Issues, field: string, code: unknown): ServiceType | undefined {
  const type = typeof code === "string" ? serviceType(code) : undefined;
  issues.check(type !== undefined, field, `is not a service type (see GET /v1/service-types)`);
  return type;
}

/** The path as the edges show it (JSON: dates as ISO strings). */
export type PathView = Record<string, unknown> & {
  id: string;
  holderId: string;
  site: string;
  createdAt: string;
  version: number;
  services: (HoursUsage & { serviceCode: string; nameIt: string; proposed: boolean })[];
};

/** A path as the API shows it: no personal data (the holder is an id), dates as ISO strings. */
export function pathView(path: Path) {
  const codes = [
    ...new Set([
      ...path.plan.map((p) => p.serviceCode),
      ...path.proposed,
      ...path.bookings.map((b) => b.serviceCode),
      ...path.deliveries.map((d) => d.serviceCode),
    ]),
  ];
  return JSON.parse(
    JSON.stringify({
      ...path,
      holderId: holderId(path.holder),
      confirmedBy: confirmingSide(path),
      services: codes.map((code) => {
        const type = serviceType(code);
        const usage = hoursUsage(path, { code, maxHoursPerPerson: type?.maxHoursPerPerson ?? 0 });
        return {
          serviceCode: code,
          nameIt: type?.nameIt ?? code,
          proposed: path.proposed.includes(code),
          ...usage,
        };
      }),
      deliveries: path.deliveries.map((d) => ({ ...d, status: deliveryStatus(d) })),
    }),
  ) as PathView;
}

export function pathUseCases({
  paths,
  bookings,
  persons,
  operators,
  clock,
  ids,
  pathSettings,
  evidencePdf,
  internshipTutoring,
}: Ports) {
  /** The sponsor's internship commitments on the team's path: tutoring proposed, hours planned. */
  const withInternships = (path: Path, fact: IdeaAdoptedFact) =>
    recordInternshipCommitments(
      path,
      fact.internships,
      serviceType(TUTORING_SERVICE)!,
      internshipTutoring.hoursPerPlace,
      fact.referent,
      clock.now(),
    );

  /** Who may read the path: staff of its site, programme, admin; the person themself (their learner
   * account, as for bookings); the school referent of a team (a school token of its school). */
  async function requireReader(viewer: Viewer, path: Path): Promise<Identity> {
    const me = signedIn(viewer);
    if (me.role === "learner" && path.holder.kind === "person") {
      if (isLearnerOf(me, await persons.get(path.holder.personId))) return me;
    }
    if (me.role === "school" && path.holder.kind === "team" && me.organisationId === path.holder.schoolId)
      return me;
    return requireSiteReader(viewer, [path.site]);
  }

  async function load(id: string): Promise<Path> {
    const path = await paths.get(id);
    if (!path) throw new NotFoundError("path", id);
    return path;
  }

  /**
   * Applies `change` to the stored path after `authorise`, with the events it publishes. With an
   * If-Match a stale version is a 412; without one, a write that raced another is retried on the new state.
   */
  async function change<R extends { path: Path }>(
    id: string,
    ifMatch: number | undefined,
    authorise: (path: Path) => Identity,
    apply: (path: Path, me: Identity, now: Date) => R,
    events: (result: R) => PathEvent[] = () => [],
  ): Promise<R & { stored: Path }> {
    for (let attempt = 1; ; attempt++) {
      const path = await load(id);
      const me = authorise(path);
      checkVersion("path", path.version, ifMatch);
      const result = apply(path, me, clock.now());
      // A change that changes nothing (a retried request) writes nothing and publishes nothing.
      if (result.path === path) return { ...result, stored: path };
      try {
        const stored = await paths.update({ ...result.path, version: path.version }, events(result));
        return { ...result, stored };
      } catch (e) {
        if (!(e instanceof PreconditionFailedError) || ifMatch !== undefined || attempt >= ATTEMPTS) throw e;
      }
    }
  }

  const manage = (viewer: Viewer) => (path: Path) => requireSitesStaff(viewer, [path.site]);

  /**
   * The booking follows its path: delivered while the path holds a delivery of it, confirmed again once
   * that delivery is voided. The path's write (with ServiceDelivered) is the record; this write follows
   * it at once, and the service's own ServiceDelivered catches it up after a crash in between. It
   * publishes nothing (the delivery's one fact is ServiceDelivered). Idempotent: a booking that says it
   * already is left alone, as is one that became something else (cancelled, no-show) meanwhile.
   */
  async function bookingFollowsPath(bookingId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const booking = await bookings.get(bookingId);
      if (!booking) return;
      const path = await paths.get(booking.pathId);
      if (!path) return;
      const delivery = deliveryOfBooking(path, bookingId);
      let next: Booking | undefined;
      if (delivery && booking.status === "confirmed") {
        const first = delivery.revisions[0]!;
        next = markDelivered(booking, first.by, first.at < booking.start ? booking.start : first.at);
      } else if (!delivery && booking.status === "delivered") {
        const voided = path.deliveries.findLast((d) => d.bookingId === bookingId && d.voided)?.voided;
        if (!voided) return;
        next = undoDelivered(booking, voided.by, voided.at, voided.reason);
      }
      if (!next) return;
      try {
        await bookings.update({ ...next, version: booking.version }, []);
        return;
      } catch (e) {
        if (!(e instanceof PreconditionFailedError) || attempt >= ATTEMPTS) throw e;
      }
    }
  }

  return {
    /** Reception: staff of the person's site open their path (one per person). */
    async openForPerson(viewer: Viewer, personId: string, input: { funder?: string; proposed?: string[] }) {
      const person = await persons.get(personId);
      if (!person) throw new NotFoundError("person", personId);
      const me = requireSitesStaff(viewer, [person.site]);
      const issues = new Issues();
      (input.proposed ?? []).forEach((code, i) => knownService(issues, `proposed.${i}`, code));
      issues.throwIfAny("The path cannot be opened");
      const now = clock.now();
      const { path } = openPath(
        {
          id: ids.newId(),
          holder: { kind: "person", personId, minor: ageOn(person.birthDate, romeDate(now)) < ADULT_AGE },
          site: person.site,
          origin: { kind: "reception" },
          funder: input.funder ?? pathSettings.defaultFunder,
          proposed: input.proposed ?? [],
        },
        me.subject,
        now,
      );
      if (!(await paths.insert(path, [{ type: "PathOpened", path }]))) {
        const existing = await paths.byHolder(personId);
        throw new ConflictError(
          `The person has a path already${existing ? ` (${existing.id}, ${existing.status})` : ""}: plan on it, or reopen it if closed`,
          existing ? { details: { pathId: existing.id } } : {},
        );
      }
      return pathView(path);
    },

    async get(viewer: Viewer, id: string) {
      const path = await load(id);
      await requireReader(viewer, path);
      return pathView(path);
    },

    /** The path of a person, or of an adopted idea's team (by the idea's id). */
    async ofHolder(viewer: Viewer, holder: string, what: "person" | "idea") {
      signedIn(viewer);
      const path = await paths.byHolder(holder);
      if (!path || path.holder.kind !== (what === "person" ? "person" : "team"))
        throw new NotFoundError(`path of the ${what}`, holder);
      await requireReader(viewer, path);
      return pathView(path);
    },

    /** The path as gRPC answers it (same readers). */
    async forPeer(viewer: Viewer, holder: string) {
      signedIn(viewer);
      const path = await paths.byHolder(holder);
      if (!path) throw new NotFoundError("path of the person", holder);
      await requireReader(viewer, path);
      return pathView(path);
    },

    async setPlannedHours(
      viewer: Viewer,
      id: string,
      code: string,
      input: { hours: number; reason?: string },
      ifMatch: number,
    ) {
      const issues = new Issues();
      const type = knownService(issues, "serviceCode", code);
      issues.throwIfAny("The planned hours are not valid");
      const r = await change(id, ifMatch, manage(viewer), (path, me, now) =>
        setPlannedHours(path, type!, input.hours, me.subject, now, input.reason),
      );
      return pathView(r.stored);
    },

    async propose(viewer: Viewer, id: string, services: string[], ifMatch: number | undefined) {
      const issues = new Issues();
      services.forEach((code, i) => knownService(issues, `services.${i}`, code));
      issues.throwIfAny("The proposal is not valid");
      const r = await change(id, ifMatch, manage(viewer), (path, me, now) =>
        proposeServices(path, services, me.subject, now),
      );
      return pathView(r.stored);
    },

    async setFunder(viewer: Viewer, id: string, input: { funder: string; reason: string }, ifMatch?: number) {
      const r = await change(id, ifMatch, manage(viewer), (path, me, now) =>
        setFunder(path, input.funder, input.reason, me.subject, now),
      );
      return pathView(r.stored);
    },

    async close(viewer: Viewer, id: string, input: { reason: string; outcome?: string }, ifMatch?: number) {
      const r = await change(id, ifMatch, manage(viewer), (path, me, now) =>
        closePath(path, input.reason, me.subject, now, input.outcome as OutcomeCode | undefined),
      );
      return pathView(r.stored);
    },

    async reopen(viewer: Viewer, id: string, input: { reason: string }, ifMatch?: number) {
      const r = await change(id, ifMatch, manage(viewer), (path, me, now) =>
        reopenPath(path, input.reason, me.subject, now),
      );
      return pathView(r.stored);
    },

    /**
     * What a booking of the service at this time would meet on the path, without booking: the order
     * (409 naming what must come first; staff may give the reason to waive it) and the hour cap (409
     * with the hours that remain; warnings from 80%). The booking work records the same check.
     */
    async checkBooking(
      viewer: Viewer,
      id: string,
      input: { serviceCode: string; start: Date; end: Date; overrideReason?: string },
    ) {
      const path = await load(id);
      const me = requireSitesStaff(viewer, [path.site]);
      const issues = new Issues();
      const type = knownService(issues, "serviceCode", input.serviceCode);
      issues.throwIfAny("The booking check is not valid");
      const result = bookOnPath(
        path,
        { bookingId: "check", site: path.site, operatorId: "check", start: input.start, end: input.end },
        type!,
        me.subject,
        clock.now(),
        {
          ...(input.overrideReason !== undefined ? { override: { reason: input.overrideReason } } : {}),
          catalogue: SERVICE_TYPES,
        },
      );
      return {
        ok: true,
        hours: result.booking.hours,
        waived:
          result.path.overrides.at(-1)?.bookingId === "check" ? result.path.overrides.at(-1)!.waived : [],
        warnings: result.warnings,
        ...hoursUsage(result.path, type!),
      };
    },

    /**
     * The operator (staff of the path's site) records a delivered service, awaiting confirmation. With a
     * booking, the booking becomes delivered: what the booking refuses (cancelled, a no-show, not started
     * yet, delivered already with other figures) is a 409 before anything is written. The same delivery
     * sent again (a retry) answers the one recorded and records nothing twice.
     */
    async recordDelivery(
      viewer: Viewer,
      id: string,
      input: {
        serviceCode: string;
        site?: string;
        operatorId: string;
        start: Date;
        end: Date;
        outcome: string;
        notes?: string;
        bookingId?: string;
      },
    ) {
      const issues = new Issues();
      const type = knownService(issues, "serviceCode", input.serviceCode);
      if (input.site !== undefined) issues.check(siteById(input.site) !== undefined, "site", "is not a site");
      const operator = await operators.get(input.operatorId);
      issues.check(
        operator !== undefined,
        "operatorId",
        "is not an operator (see GET /v1/sites/{siteId}/operators)",
      );
      issues.check(
        isOutcomeCode(input.outcome),
        "outcome",
        "is not an outcome of the list (e.g. cv_prodotto)",
      );
      const booking = input.bookingId !== undefined ? await bookings.get(input.bookingId) : undefined;
      if (input.bookingId !== undefined)
        issues.check(
          booking !== undefined && booking.pathId === id,
          "bookingId",
          `${input.bookingId} is not a booking of this path`,
        );
      issues.throwIfAny("The delivery cannot be recorded");
      const deliveryId = ids.newId();
      const r = await change(
        id,
        undefined,
        (path) => requireSitesStaff(viewer, [...new Set([path.site, input.site ?? path.site])]),
        (path, me, now) => {
          const fact = {
            serviceCode: input.serviceCode,
            site: input.site ?? path.site,
            operatorId: input.operatorId,
            start: input.start,
            end: input.end,
            outcome: input.outcome as OutcomeCode,
            ...(input.notes !== undefined ? { notes: input.notes } : {}),
            ...(input.bookingId !== undefined ? { bookingId: input.bookingId } : {}),
          };
          const recorded = repeatedDelivery(path, fact);
          if (recorded) return { path, delivery: recorded, warnings: [] };
          // The booking's own rules, checked on it before the path is written (a booking the path
          // still shows booked may be cancelled or a no-show already). One whose delivery was voided
          // and that a crash left delivered is caught up below.
          if (booking && !(booking.status === "delivered" && !deliveryOfBooking(path, booking.id)))
            markDelivered(booking, me.subject, now);
          return recordDelivery(path, { id: deliveryId, ...fact }, me.subject, now, type);
        },
        (res) => [{ type: "ServiceDelivered", path: res.path, delivery: res.delivery }],
      );
      if (input.bookingId !== undefined) await bookingFollowsPath(input.bookingId);
      return { ...pathView(r.stored), delivery: deliveryView(r.delivery), warnings: r.warnings };
    },

    /**
     * The booking catches up with its path (the service's own ServiceDelivered): a crash between the
     * path's write and the booking's leaves the booking confirmed; the event, published with the
     * path's write, marks it delivered. Idempotent.
     */
    bookingFollowsPath,

    /** A correction: a new revision (history), published again, awaiting a new confirmation. */
    async correctDelivery(
      viewer: Viewer,
      id: string,
      deliveryId: string,
      input: DeliveryCorrection & { reason: string },
      ifMatch?: number,
    ) {
      const { reason, ...changes } = input;
      const r = await change(
        id,
        ifMatch,
        manage(viewer),
        (path, me, now) => correctDelivery(path, deliveryId, changes, reason, me.subject, now),
        (res) => [{ type: "ServiceDelivered", path: res.path, delivery: res.delivery }],
      );
      return { ...pathView(r.stored), delivery: deliveryView(r.delivery) };
    },

    /**
     * The person's side signs the current revision: the adult person (their learner account), the
     * school referent of a minor (a school token whose subject is the referent's
     * recorded with the person), or the school referent of a team (a school token of the team's school).
     */
    async confirmDelivery(viewer: Viewer, id: string, deliveryId: string) {
      const holder = (await load(id)).holder;
      // The person is read once, before the versioned write of the path (their record is not part of it).
      const person = holder.kind === "person" ? await persons.get(holder.personId) : undefined;
      const minorReferent = holder.kind === "person" && holder.minor ? person?.referent?.subject : undefined;
      const r = await change(
        id,
        undefined,
        (path) => {
          const me = requireRole(viewer, "learner", "school");
          const side = confirmingSide(path);
          const mine =
            (side === "person" && path.holder.kind === "person" && isLearnerOf(me, person)) ||
            (side === "referent" &&
              path.holder.kind === "team" &&
              me.role === "school" &&
              me.organisationId === path.holder.schoolId) ||
            (side === "referent" &&
              path.holder.kind === "person" &&
              me.role === "school" &&
              minorReferent !== undefined &&
              me.subject === minorReferent);
          if (!mine)
            throw new ForbiddenError(
              side === "person"
                ? "Only the person themself confirms their deliveries (signed in as the learner of this path)"
                : path.holder.kind === "team"
                  ? `Only the school referent of the team (school ${path.holder.schoolId}) confirms its deliveries`
                  : minorReferent === undefined
                    ? "The person is a minor: their school referent confirms, and no school account of the referent is recorded with the person; record the signed paper timesheet with staff"
                    : "The person is a minor: their school referent confirms, signed in with the school account recorded with the person",
            );
          return me;
        },
        // The person signs as themself (their pseudonymous id, as the timesheet names them), not as the
        // account they signed in with; a referent signs with their own account.
        (path, me, now) =>
          confirmDelivery(
            path,
            deliveryId,
            { by: isLearnerOf(me, person) ? person!.id : me.subject, as: confirmingSide(path) },
            now,
          ),
      );
      return { ...pathView(r.stored), delivery: deliveryView(r.delivery) };
    },

    async voidDelivery(
      viewer: Viewer,
      id: string,
      deliveryId: string,
      input: { reason: string },
      ifMatch?: number,
    ) {
      const r = await change(id, ifMatch, manage(viewer), (path, me, now) =>
        voidDelivery(path, deliveryId, input.reason, me.subject, now),
      );
      if (r.delivery.bookingId !== undefined) await bookingFollowsPath(r.delivery.bookingId);
      return { ...pathView(r.stored), delivery: deliveryView(r.delivery) };
    },

    /** The timesheet of a path (the evidence pack's lines): staff of its site, programme, admin. */
    async timesheet(viewer: Viewer, id: string) {
      const path = await load(id);
      requireSiteReader(viewer, [path.site]);
      return { path, lines: timesheet(path, SERVICE_TYPES) };
    },

    /** The evidence pack's PDF: the timesheet with its totals (staff of its site, programme, admin). */
    async evidencePdf(viewer: Viewer, id: string): Promise<Uint8Array> {
      const path = await load(id);
      requireSiteReader(viewer, [path.site]);
      const lines = timesheet(path, SERVICE_TYPES);
      const sum = (ls: typeof lines) => ls.reduce((a, l) => a + l.hours, 0);
      return evidencePdf({
        pathId: path.id,
        holderId: holderId(path.holder),
        siteName: siteById(path.site)?.name ?? path.site,
        funder: path.funder,
        lines,
        deliveredHours: sum(lines),
        signedHours: sum(lines.filter((l) => l.signed)),
        madeAt: clock.now(),
      });
    },

    /**
     * Hours planned, booked, delivered and signed, summed by `group`: the programme office and admins
     * over every site (or `site`), staff over their own sites only. Calendar hours fall in the Rome month
     * they start in and are kept within `from`..`to` (months, inclusive); planned hours have no month.
     */
    async hoursReport(
      viewer: Viewer,
      query: { group: ReportDimension[]; from?: string; to?: string; site?: string },
    ) {
      const me = requireRole(viewer, "staff", "programme", "admin");
      if (query.site !== undefined && !siteById(query.site)) throw new NotFoundError("site", query.site);
      let sites: string[] | undefined = query.site !== undefined ? [query.site] : undefined;
      if (me.role === "staff") {
        if (query.site !== undefined) requireSitesStaff(viewer, [query.site]);
        sites = sites ?? me.sites;
      }
      const rows = reportRows(await paths.atSites(sites));
      const inRange = (start: Date) => {
        const month = romeMonth(start);
        return (
          (query.from === undefined || month >= query.from) && (query.to === undefined || month <= query.to)
        );
      };
      const filtered = {
        planned: rows.planned,
        booked: rows.booked.filter((r) => inRange(r.start)),
        delivered: rows.delivered.filter((r) => inRange(r.start)),
      };
      return {
        group: query.group,
        ...(query.from !== undefined ? { from: query.from } : {}),
        ...(query.to !== undefined ? { to: query.to } : {}),
        sites: sites ?? "all",
        lines: summariseHours(filtered, query.group),
      };
    },

    /**
     * IdeaAdopted: the team's path opens through its school referent, counselling and business plan
     * proposed; the sponsor's internship commitments add the internship tutoring with planned hours.
     */
    ideaEvents: {
      async ideaAdopted(fact: IdeaAdoptedFact): Promise<void> {
        // IdeaAdopted names no team: the adopted idea stands for its team (one path per adopted idea).
        const teamId = fact.ideaId;
        // Without the school there is no referent to act for the team: nothing to open.
        if (!fact.schoolId) return;
        for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
          const existing = await paths.byHolder(teamId);
          if (!existing) {
            const { path: opened } = openPath(
              {
                id: ids.newId(),
                holder: { kind: "team", teamId, schoolId: fact.schoolId },
                site: pathSettings.adoptedTeamSite,
                origin: {
                  kind: "adoption",
                  ideaId: fact.ideaId,
                  teamId,
                  adoptionId: fact.adoptionId,
                  referent: fact.referent,
                },
                funder: pathSettings.defaultFunder,
                proposed: [...ADOPTION_SERVICES],
              },
              fact.referent,
              clock.now(),
            );
            const path = withInternships(opened, fact);
            if (await paths.insert(path, [{ type: "PathOpened", path }], fact.eventId)) return;
            continue; // another consumer opened it first: apply to that one
          }
          if (await paths.hasProcessed(existing.id, fact.eventId)) return;
          const missing = ADOPTION_SERVICES.filter((c) => !existing.proposed.includes(c));
          const proposed =
            existing.status === "open" && missing.length
              ? proposeServices(existing, missing, fact.referent, clock.now()).path
              : existing;
          const path = existing.status === "open" ? withInternships(proposed, fact) : existing;
          if (path === existing) {
            await paths.markProcessed(existing.id, fact.eventId);
            return;
          }
          try {
            await paths.update({ ...path, version: existing.version }, [], fact.eventId);
            return;
          } catch (e) {
            if (!(e instanceof PreconditionFailedError)) throw e;
          }
        }
        throw new ConflictError(`The path of idea ${fact.ideaId} kept changing; the event will be retried`);
      },
    },
  };
}

export function deliveryView(d: Delivery) {
  return JSON.parse(
    JSON.stringify({ ...d, status: deliveryStatus(d), current: currentRevision(d) }),
  ) as Record<string, unknown>;
}
