// The OpenAPI 3.1 document, built from the very zod schemas the routes validate with, so the
// document cannot drift from the code.
import {
  extendZodWithOpenApi,
  OpenApiGeneratorV31,
  OpenAPIRegistry,
  type ResponseConfig,
  type RouteConfig,
} from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import type { RouteDefinition } from "./routes.js";

// Lets services name schemas with .openapi("Idea") (they become components); zod's own .meta({ id })
// works too. Services should import `z` from @lto/http-kit so this has run first.
extendZodWithOpenApi(z);

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details" });

const problemResponse = (description: string): ResponseConfig => ({
  description,
  content: { "application/problem+json": { schema: problemSchema } },
});

function routeConfig(route: RouteDefinition): RouteConfig {
  const responses: RouteConfig["responses"] = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.schema ? { content: { "application/json": { schema: response.schema } } } : {}),
    };
  }
  const problems: Record<string, string> = {};
  if (route.request) problems[400] = "Invalid request: every bad field is listed in `errors`";
  if (route.auth !== "none") problems[401] = "Missing or invalid bearer token";
  if (route.auth === "required") problems[403] = "Not allowed for this caller";
  if (route.ifMatch) {
    problems[412] = "Stale If-Match: the resource changed since it was read";
    problems[428] = "If-Match missing";
  }
  if (route.idempotent) problems[422] = "Idempotency-Key reused with a different request";
  for (const [status, description] of Object.entries(problems)) {
    responses[status] ??= problemResponse(description);
  }
  responses.default ??= problemResponse("Error");

  const headers: Record<string, z.ZodType> = {};
  if (route.idempotent) {
    headers["Idempotency-Key"] = z.string().max(255).optional().meta({
      description: "Retrying with the same key replays the first response instead of creating twice",
    });
  }
  if (route.ifMatch) {
    headers["If-Match"] = z.string().meta({ description: 'The ETag of your last read, e.g. "3"' });
  }
  const { params, query, body } = route.request ?? {};
  return {
    method: route.method,
    path: route.path,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.tags ? { tags: route.tags } : {}),
    ...(route.operationId ? { operationId: route.operationId } : {}),
    ...(route.auth === "none"
      ? {}
      : { security: route.auth === "optional" ? [{}, { bearerAuth: [] }] : [{ bearerAuth: [] }] }),
    request: {
      ...(params ? { params } : {}),
      ...(query ? { query } : {}),
      ...(Object.keys(headers).length > 0 ? { headers: z.object(headers) } : {}),
      ...(body ? { body: { required: true, content: { "application/json": { schema: body } } } } : {}),
    },
    responses,
  };
}

export function buildOpenApiDocument(info: { title: string; version: string }, routes: RouteDefinition[]) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  registry.register("Problem", problemSchema);
  for (const route of routes) registry.registerPath(routeConfig(route));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({ openapi: "3.1.0", info });
}
