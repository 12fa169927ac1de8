// One typed client per service, generated from its OpenAPI document (npm run api:gen writes
// <service>.d.ts). Every call goes to /api/<service>/... on the portal's own origin (the gateway routes
// it) with the signed-in user's bearer token. A new service: its .d.ts and one line below.
import createClient, { type Client, type Middleware } from "openapi-fetch";
import { currentSession } from "../auth/session.js";
import type { paths as AdoptionPaths } from "./adoption";
import type { paths as CataloguePaths } from "./catalogue";
import type { paths as IdeasPaths } from "./ideas";
import type { paths as InsightsPaths } from "./insights";
import type { paths as NotificationsPaths } from "./notifications";
import type { paths as SelfEmploymentPaths } from "./self-employment";
import type { paths as GatewayPaths } from "./gateway";
import { ProblemError } from "./problem.js";

const bearer: Middleware = {
  onRequest({ request }) {
    const session = currentSession();
    if (session && !request.headers.has("authorization")) {
      request.headers.set("authorization", `Bearer ${session.accessToken}`);
    }
    return request;
  },
};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the generated `paths` types
function serviceClient<Paths extends {}>(service: string, baseUrl = `/api/${service}`): Client<Paths> {
  const client = createClient<Paths>({ baseUrl });
  client.use(bearer);
  return client;
}

export const api = {
  ideas: serviceClient<IdeasPaths>("ideas"),
  adoption: serviceClient<AdoptionPaths>("adoption"),
  catalogue: serviceClient<CataloguePaths>("catalogue"),
  selfEmployment: serviceClient<SelfEmploymentPaths>("self-employment"),
  insights: serviceClient<InsightsPaths>("insights"),
  notifications: serviceClient<NotificationsPaths>("notifications"),
  // The gateway's own API (invitations, accounts) is on the origin itself, not behind /api.
  gateway: serviceClient<GatewayPaths>("gateway", ""),
};

/** The data of an openapi-fetch result, or a ProblemError with the service's own words. */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (err) {
    throw ProblemError.network(err);
  }
  if (result.error !== undefined || !result.response.ok) {
    throw ProblemError.from(result.response.status, result.error, result.response.headers);
  }
  return result.data as T;
}
