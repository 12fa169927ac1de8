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

const PROBLEM = "application/problem+json";

const problemResponse = (description: string): ResponseConfig => ({
  description,
  content: { [PROBLEM]: { schema: problemSchema } },
});

/** Every status a route answers, documented with the content type it is sent with. */
function routeConfig(route: RouteDefinition): RouteConfig {
  const responses: RouteConfig["responses"] = {};
  for (const [status, response] of Object.entries(route.responses)) {
    // Errors go out as problem+json (sendProblem), whatever schema the route names for them.
    const isProblem = Number(status) >= 400;
    const mediaType = isProblem ? PROBLEM : (response.contentType ?? "application/json");
    const schema = isProblem
      ? problemSchema
      : (response.schema ?? (response.contentType ? z.string() : undefined));
    const alternatives = isProblem ? [] : (response.alternatives ?? []);
    const content = {
      ...(schema ? { [mediaType]: { schema } } : {}),
      ...Object.fromEntries(alternatives.map((a) => [a.contentType, { schema: a.schema ?? z.string() }])),
    };
    responses[status] = {
      description: response.description,
      ...(Object.keys(content).length ? { content } : {}),
    };
  }
  // What the kit itself answers, from what the route declares.
  const problems: Record<string, string> = {};
  if (route.request || route.ifMatch || route.idempotent)
    problems[400] = "Invalid request: every bad field is named in `errors`";
  if (route.auth !== "none") problems[401] = "Missing or invalid bearer token";
  if (route.request?.body) {
    problems[413] = "The body is larger than the service accepts";
    problems[415] = "The body is not application/json";
  }
  if (route.ifMatch) problems[412] = "Stale If-Match: the resource changed since it was read";
  if (route.ifMatch === "required") problems[428] = "If-Match missing";
  if (route.idempotent) {
    problems[409] = "The first request with this Idempotency-Key is still in progress";
    problems[422] = "Idempotency-Key reused with a different request";
  }
  problems[503] = "A dependency (store, broker, another service) is unavailable: retry after Retry-After";
  for (const [status, description] of Object.entries(problems)) {
    const declared = responses[status] as ResponseConfig | undefined;
    responses[status] = declared
      ? { ...declared, description: `${declared.description}; or: ${description}` }
      : problemResponse(description);
  }
  responses.default ??= problemResponse("Unexpected error");

  const headers: Record<string, z.ZodType> = {};
  if (route.idempotent) {
    headers["Idempotency-Key"] = z.string().max(255).optional().meta({
      description: "Retrying with the same key replays the first response instead of creating twice",
    });
  }
  if (route.ifMatch) {
    const ifMatch = z.string().meta({
      description:
        route.ifMatch === "required"
          ? 'The ETag of your last read, e.g. "3": the update is refused (412) if the resource changed since'
          : 'Optional: the ETag of your last read, e.g. "3", to refuse the change (412) if the resource changed since',
    });
    headers["If-Match"] = route.ifMatch === "required" ? ifMatch : ifMatch.optional();
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

export function buildOpenApiDocument(
  options: { title: string; version: string; servers?: Array<{ url: string; description?: string }> },
  routes: RouteDefinition[],
) {
  const { servers = [{ url: "/", description: "This service" }], ...info } = options;
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  registry.register("Problem", problemSchema);
  for (const route of routes) registry.registerPath(routeConfig(route));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({ openapi: "3.1.0", info, servers });
}
