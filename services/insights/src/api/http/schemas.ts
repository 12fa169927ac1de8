// The HTTP shapes: the figures' filters, and each figure's table and chart as OpenAPI documents them.
import { isSchoolYear } from "@lto/civil-time";
import { SITES } from "@lto/reference";
import { z } from "zod";
import { chartDimensions, columnsOf, FIGURES, type FigureName } from "../../domain/index.js";

const DIMENSIONS = new Set([
  "schoolYear",
  "site",
  "callId",
  "callTitle",
  "area",
  "district",
  "state",
  "kind",
  "level",
  "audience",
  "serviceType",
  "month",
]);

export function figureQuery(figure: FigureName) {
  const by = chartDimensions(figure);
  // Strict: a misspelt filter (year=2025/26) is a 400 naming it, never silently every year.
  return z.strictObject({
    schoolYear: z
      .string()
      .refine(isSchoolYear, { message: 'must be a school year "YYYY/YY", e.g. 2025/26' })
      .optional()
      .meta({ description: "Only this school year (1 September - 31 August), e.g. 2025/26" }),
    site: z.enum(SITES).optional().meta({ description: "Only this LTO site" }),
    by: z
      .enum(by as [string, ...string[]])
      .optional()
      .meta({ description: `The dimension the chart groups by (default ${by[0]})` }),
    format: z
      .enum(["json", "csv"])
      .optional()
      .meta({
        description:
          "csv: the rows as text/csv (header row, comma-separated, dot decimals, ISO dates); default json, " +
          "or csv when the Accept header asks for text/csv",
      }),
  });
}

const chartSchema = z
  .object({
    by: z.string(),
    categories: z.array(z.string()),
    series: z.array(z.object({ label: z.string(), data: z.array(z.number().nullable()) })),
  })
  .meta({
    description:
      "Ready to plot: categories are the values of `by` (an x axis), each series one measure " +
      "(its label the measure's name) with one value per category, in order",
  });

export function figureResponse(figure: FigureName) {
  const row = z.object(
    Object.fromEntries(
      columnsOf(figure).map((c) => [c, DIMENSIONS.has(c) ? z.string() : z.number().nullable()]),
    ),
  );
  return z.object({
    figure: z.literal(figure),
    columns: z.array(z.string()).meta({ description: "The rows' columns in order (the CSV header)" }),
    rows: z.array(row).meta({ description: "One row per combination of the dimensions; the CSV's rows" }),
    chart: chartSchema,
  });
}

export { FIGURES };
