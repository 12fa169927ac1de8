// The REST API under /v1/figures: one endpoint per figure, JSON (table and chart) or CSV (the same
// rows). Handlers only translate HTTP; access and computation live in app and domain.
import type { ApiRouter } from "@lto/http-kit";
import { problemResponses as problems } from "@lto/http-kit";
import type { FiguresApp } from "../../app/index.js";
import type { FigureName } from "../../domain/index.js";
import { CSV_MEDIA_TYPE, toCsv } from "./csv.js";
import { FIGURES, figureQuery, figureResponse } from "./schemas.js";

const SUMMARIES: Record<FigureName, string> = {
  ideas: "Ideas per school year, site, call, area, district and state",
  adoption: "Adoption rate and average days from first publication to adoption, per call, area and district",
  commitments:
    "Commitments promised and delivered by kind (units: kickoff meetings, mentoring minutes, internship " +
    "places, funding euro cents, equipment items), with the PCTO hours delivered (hours x students)",
  learning: "Enrolments, completions and credentials by course level, site and audience",
  services:
    "Self-employment bookings, cancellations, no-shows and hours delivered by site, service type and month",
};

/** CSV when `format=csv`, or when no format is named and Accept asks for text/csv. */
function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format) return format === "csv";
  return /\btext\/csv\b/i.test(accept ?? "") && !/\bapplication\/json\b/i.test(accept ?? "");
}

export function routes(app: FiguresApp) {
  return (api: ApiRouter) => {
    for (const figure of FIGURES) {
      api.route({
        method: "get",
        path: `/v1/figures/${figure}`,
        summary: SUMMARIES[figure],
        description:
          "Programme office and admins read every site; staff only their own sites' rows; other roles 403. " +
          "JSON by default; CSV (the same rows, header first) with ?format=csv or Accept: text/csv.",
        tags: ["figures"],
        auth: "required",
        request: { query: figureQuery(figure) },
        responses: {
          200: {
            description: "The figure: its rows and a chart",
            schema: figureResponse(figure),
            alternatives: [{ contentType: "text/csv" }],
          },
          ...problems,
        },
        handler: async ({ identity, query, headers }) => {
          const { format, ...filters } = query;
          const result = await app.get(identity, figure, filters);
          if (!wantsCsv(format, headers.accept)) return { status: 200, body: result };
          const name = `lto-${figure}${filters.schoolYear ? `-${filters.schoolYear.replace("/", "-")}` : ""}.csv`;
          return {
            status: 200,
            contentType: CSV_MEDIA_TYPE,
            headers: { "content-disposition": `attachment; filename="${name}"` },
            body: toCsv(result.columns, result.rows),
          };
        },
      });
    }
  };
}
