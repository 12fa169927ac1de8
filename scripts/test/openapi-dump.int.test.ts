// The portal's API types come from documents built in-process (scripts/openapi-dump.ts): they must be
// the very documents the running services serve at /openapi.json, or api:check would guard nothing.
import { adoptionService } from "@lto/adoption-service";
import { catalogueService } from "@lto/catalogue-service";
import { gatewayService } from "@lto/gateway-service";
import { ideasService } from "@lto/ideas-service";
import { insightsService } from "@lto/insights-service";
import { notificationsService } from "@lto/notifications-service";
import { selfEmploymentService } from "@lto/self-employment-service";
import type { ServiceDefinition } from "@lto/service-host";
import { startTestService, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiDocument, SERVICES } from "../openapi-dump.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const definitions: Record<string, ServiceDefinition<any>> = {
  ideas: ideasService,
  adoption: adoptionService,
  catalogue: catalogueService,
  "self-employment": selfEmploymentService,
  insights: insightsService,
  notifications: notificationsService,
  gateway: gatewayService,
};

const running = new Map<string, TestService>();

beforeAll(async () => {
  await Promise.all(
    Object.entries(definitions).map(async ([name, definition]) => {
      running.set(name, await startTestService(definition));
    }),
  );
});

afterAll(async () => {
  await Promise.all([...running.values()].map((svc) => svc.close()));
});

describe("scripts/openapi-dump.ts", () => {
  it("covers every service the portal has a client for", () => {
    expect(Object.keys(SERVICES).sort()).toEqual(Object.keys(definitions).sort());
  });

  it.each(Object.keys(definitions))(
    "builds the %s service's served /openapi.json without running it",
    async (name) => {
      const served = await running.get(name)!.as().get("/openapi.json");
      expect(served.status).toBe(200);
      expect(await openApiDocument(name)).toEqual(served.body);
    },
  );
});
