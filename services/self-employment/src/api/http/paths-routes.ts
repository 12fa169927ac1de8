// The path routes: reception opens a person's path, staff of its site plan and record deliveries, the
// person's side confirms them; reports for the programme office and staff. Handlers only translate
// HTTP to use cases; rules live in app and domain.
import type { ApiRouter, HandlerResult } from "@lto/http-kit";
import {
  problemResponses as problems,
  versionedResult as ok,
  writeProblemResponses as writeProblems,
  z,
} from "@lto/http-kit";
import type { SelfEmploymentApp } from "../../app/index.js";
import { CSV, toCsv } from "./csv.js";
import {
  bookingCheckBody,
  bookingCheckResponse,
  closureBody,
  correctionBody,
  deliveryBody,
  deliveryParams,
  deliveryResponse,
  funderBody,
  ideaPathParams,
  openPathBody,
  pathParams,
  pathResponse,
  personPathParams,
  plannedHoursBody,
  planParams,
  proposalBody,
  reopeningBody,
  reportQuery,
  reportResponse,
  voidBody,
} from "./paths-schemas.js";

const defined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const REPORT_COLUMNS = {
  site: "sede",
  serviceCode: "servizio",
  operatorId: "operatore",
  month: "mese",
  funder: "finanziatore",
} as const;

function csv(body: string, filename: string): HandlerResult {
  return {
    status: 200,
    headers: { "content-type": CSV, "content-disposition": `attachment; filename="${filename}"` },
    body,
  };
}

export function pathRoutes(app: SelfEmploymentApp) {
  return (api: ApiRouter) => {
    const path = (pathId: string, result: Record<string, unknown>, status = 200): HandlerResult =>
      status === 201
        ? { ...ok(result, 201), headers: { location: `/v1/paths/${pathId}` } }
        : ok(result, status);

    api.route({
      method: "post",
      path: "/v1/persons/{personId}/path",
      summary: "Reception: open the person's path (staff of the person's site, admin); one path per person",
      tags: ["paths"],
      auth: "required",
      request: { params: personPathParams, body: openPathBody },
      responses: { 201: { description: "The path", schema: pathResponse }, ...writeProblems },
      handler: async ({ identity, params, body }) => {
        const opened = await app.paths.openForPerson(identity, params.personId, defined(body));
        return path(opened.id, opened, 201);
      },
    });
    api.route({
      method: "get",
      path: "/v1/persons/{personId}/path",
      summary: "A person's path (staff of its site, programme, admin; the person themself)",
      tags: ["paths"],
      auth: "required",
      request: { params: personPathParams },
      responses: { 200: { description: "The path", schema: pathResponse }, ...problems },
      handler: async ({ identity, params }) =>
        ok(await app.paths.ofHolder(identity, params.personId, "person")),
    });
    api.route({
      method: "get",
      path: "/v1/ideas/{ideaId}/path",
      summary:
        "The path an adopted idea opened for its team (staff of its site, programme, admin; the team's school)",
      tags: ["paths"],
      auth: "required",
      request: { params: ideaPathParams },
      responses: { 200: { description: "The path", schema: pathResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await app.paths.ofHolder(identity, params.ideaId, "idea")),
    });
    api.route({
      method: "get",
      path: "/v1/paths/{pathId}",
      summary: "Read a path with its hours per service, deliveries and history (as GET of its holder)",
      tags: ["paths"],
      auth: "required",
      request: { params: pathParams },
      responses: { 200: { description: "The path", schema: pathResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await app.paths.get(identity, params.pathId)),
    });
    api.route({
      method: "put",
      path: "/v1/paths/{pathId}/plan/{serviceCode}",
      summary: "Set the planned hours of a service (staff of the path's site, admin); 0 takes it out",
      tags: ["paths"],
      auth: "required",
      ifMatch: "required",
      request: { params: planParams, body: plannedHoursBody },
      responses: { 200: { description: "The path", schema: pathResponse }, ...writeProblems },
      handler: async ({ identity, params, body, requireIfMatch }) =>
        ok(
          await app.paths.setPlannedHours(
            identity,
            params.pathId,
            params.serviceCode,
            defined(body),
            requireIfMatch(),
          ),
        ),
    });
    api.route({
      method: "post",
      path: "/v1/paths/{pathId}/proposals",
      summary: "Propose services to the person (staff of the path's site, admin)",
      tags: ["paths"],
      auth: "required",
      ifMatch: "optional",
      request: { params: pathParams, body: proposalBody },
      responses: { 200: { description: "The path", schema: pathResponse }, ...writeProblems },
      handler: async ({ identity, params, body, ifMatch }) =>
        ok(await app.paths.propose(identity, params.pathId, body.services, ifMatch)),
    });
    api.route({
      method: "put",
      path: "/v1/paths/{pathId}/funder",
      summary: "Change the funder of the path's services from now on, with the reason (staff, admin)",
      tags: ["paths"],
      auth: "required",
      ifMatch: "optional",
      request: { params: pathParams, body: funderBody },
      responses: { 200: { description: "The path", schema: pathResponse }, ...writeProblems },
      handler: async ({ identity, params, body, ifMatch }) =>
        ok(await app.paths.setFunder(identity, params.pathId, body, ifMatch)),
    });
    api.route({
      method: "post",
      path: "/v1/paths/{pathId}/closure",
      summary: "Close the path with the reason and an optional final outcome (staff, admin)",
      description: "409 while booked services are still due.",
      tags: ["paths"],
      auth: "required",
      ifMatch: "optional",
      request: { params: pathParams, body: closureBody },
      responses: { 200: { description: "The path", schema: pathResponse }, ...writeProblems },
      handler: async ({ identity, params, body, ifMatch }) =>
        ok(await app.paths.close(identity, params.pathId, defined(body), ifMatch)),
    });
    api.route({
      method: "post",
      path: "/v1/paths/{pathId}/reopening",
      summary: "Reopen a closed path with the reason (staff, admin)",
      tags: ["paths"],
      auth: "required",
      ifMatch: "optional",
      request: { params: pathParams, body: reopeningBody },
      responses: { 200: { description: "The path", schema: pathResponse }, ...writeProblems },
      handler: async ({ identity, params, body, ifMatch }) =>
        ok(await app.paths.reopen(identity, params.pathId, body, ifMatch)),
    });
    api.route({
      method: "post",
      path: "/v1/paths/{pathId}/booking-checks",
      summary: "Check a booking of a service against the path's order and hour cap, without booking (staff)",
      description:
        "409 naming what must come first (send overrideReason to waive it), or the hours that remain under the cap; 200 with warnings from 80% of the cap.",
      tags: ["paths"],
      auth: "required",
      request: { params: pathParams, body: bookingCheckBody },
      responses: {
        200: { description: "The booking would be accepted", schema: bookingCheckResponse },
        ...writeProblems,
      },
      handler: async ({ identity, params, body }) =>
        ok(await app.paths.checkBooking(identity, params.pathId, defined(body))),
    });
    api.route({
      method: "post",
      path: "/v1/paths/{pathId}/deliveries",
      summary:
        "Record a delivered service: actual times, outcome, notes (staff of the path's site: the operator)",
      description:
        "Hours are whole quarter hours of the real interval; past the cap it is recorded with a warning.",
      tags: ["deliveries"],
      auth: "required",
      request: { params: pathParams, body: deliveryBody },
      responses: {
        201: { description: "The path and the delivery", schema: deliveryResponse },
        ...writeProblems,
      },
      handler: async ({ identity, params, body }) =>
        ok(await app.paths.recordDelivery(identity, params.pathId, defined(body)), 201),
    });
    api.route({
      method: "post",
      path: "/v1/paths/{pathId}/deliveries/{deliveryId}/corrections",
      summary: "Correct a delivery with the reason: a new revision that needs a new confirmation (staff)",
      tags: ["deliveries"],
      auth: "required",
      ifMatch: "optional",
      request: { params: deliveryParams, body: correctionBody },
      responses: {
        200: { description: "The path and the delivery", schema: deliveryResponse },
        ...writeProblems,
      },
      handler: async ({ identity, params, body, ifMatch }) =>
        ok(
          await app.paths.correctDelivery(identity, params.pathId, params.deliveryId, defined(body), ifMatch),
        ),
    });
    api.route({
      method: "post",
      path: "/v1/paths/{pathId}/deliveries/{deliveryId}/confirmation",
      summary: "Confirm (sign) a delivery: the adult person themself, or the school referent of a team",
      tags: ["deliveries"],
      auth: "required",
      request: { params: deliveryParams },
      responses: {
        200: { description: "The path and the delivery", schema: deliveryResponse },
        ...writeProblems,
      },
      handler: async ({ identity, params }) =>
        ok(await app.paths.confirmDelivery(identity, params.pathId, params.deliveryId)),
    });
    api.route({
      method: "post",
      path: "/v1/paths/{pathId}/deliveries/{deliveryId}/void",
      summary: "Void a delivery recorded by mistake, with the reason: kept, counted nowhere (staff)",
      tags: ["deliveries"],
      auth: "required",
      ifMatch: "optional",
      request: { params: deliveryParams, body: voidBody },
      responses: {
        200: { description: "The path and the delivery", schema: deliveryResponse },
        ...writeProblems,
      },
      handler: async ({ identity, params, body, ifMatch }) =>
        ok(await app.paths.voidDelivery(identity, params.pathId, params.deliveryId, body, ifMatch)),
    });

    // --- reports ---
    api.route({
      method: "get",
      path: "/v1/paths/{pathId}/timesheet.csv",
      summary: "The path's timesheet as CSV, the evidence pack's lines (staff of its site, programme, admin)",
      tags: ["reports"],
      auth: "required",
      request: { params: pathParams },
      responses: {
        200: {
          description: "RFC 4180 CSV, UTF-8, Italian column names",
          schema: z.string(),
          contentType: "text/csv",
        },
        ...problems,
      },
      handler: async ({ identity, params }) => {
        const { lines } = await app.paths.timesheet(identity, params.pathId);
        return csv(
          toCsv(
            [
              "data",
              "servizio",
              "codice_servizio",
              "sede",
              "operatore",
              "finanziatore",
              "inizio",
              "fine",
              "minuti",
              "ore",
              "esito",
              "codice_esito",
              "note",
              "revisione",
              "corretta",
              "firmata",
              "confermata_da",
              "confermata_come",
              "confermata_il",
              "id_erogazione",
              "id_prenotazione",
            ],
            lines.map((l) => [
              l.date,
              l.serviceNameIt,
              l.serviceCode,
              l.site,
              l.operatorId,
              l.funder,
              l.start,
              l.endDate === l.date ? l.end : `${l.endDate} ${l.end}`,
              l.minutes,
              l.hours,
              l.outcomeIt,
              l.outcome,
              l.notes,
              l.revision,
              l.corrected,
              l.signed,
              l.confirmedBy,
              l.confirmedAs,
              l.confirmedAt?.toISOString(),
              l.deliveryId,
              l.bookingId,
            ]),
          ),
          `foglio-presenze-${params.pathId}.csv`,
        );
      },
    });
    api.route({
      method: "get",
      path: "/v1/paths/{pathId}/evidence.pdf",
      summary:
        "The evidence pack's PDF: the timesheet with hours delivered and signed (staff of its site, programme, admin)",
      tags: ["reports"],
      auth: "required",
      request: { params: pathParams },
      responses: {
        200: {
          description: "The PDF",
          schema: z.string().meta({ format: "binary" }),
          contentType: "application/pdf",
        },
        ...problems,
      },
      handler: async ({ identity, params }) => ({
        status: 200,
        headers: {
          "content-type": "application/pdf",
          "content-disposition": `attachment; filename="foglio-presenze-${params.pathId}.pdf"`,
        },
        body: await app.paths.evidencePdf(identity, params.pathId),
      }),
    });
    api.route({
      method: "get",
      path: "/v1/reports/hours",
      summary:
        "Hours planned, booked, delivered and signed by site, service, operator, month, funder (programme, admin; staff: their sites)",
      tags: ["reports"],
      auth: "required",
      request: { query: reportQuery },
      responses: { 200: { description: "The report", schema: reportResponse }, ...problems },
      handler: async ({ identity, query }) => ok(await app.paths.hoursReport(identity, defined(query))),
    });
    api.route({
      method: "get",
      path: "/v1/reports/hours.csv",
      summary: "The hours report as CSV (RFC 4180, UTF-8, Italian column names, numbers with a dot)",
      tags: ["reports"],
      auth: "required",
      request: { query: reportQuery },
      responses: {
        200: { description: "RFC 4180 CSV", schema: z.string(), contentType: "text/csv" },
        ...problems,
      },
      handler: async ({ identity, query }) => {
        const report = await app.paths.hoursReport(identity, defined(query));
        return csv(
          toCsv(
            [
              ...report.group.map((g) => REPORT_COLUMNS[g]),
              "ore_pianificate",
              "ore_prenotate",
              "ore_erogate",
              "ore_firmate",
              "erogazioni",
            ],
            report.lines.map((l) => [
              ...report.group.map((g) => l.key[g] ?? ""),
              l.plannedHours,
              l.bookedHours,
              l.deliveredHours,
              l.signedHours,
              l.deliveries,
            ]),
          ),
          "ore.csv",
        );
      },
    });
  };
}
