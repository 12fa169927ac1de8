// The demo: on an empty store the service loads operators with working plans at every site and persons
// at several sites (a 17-year-old with a guardian's consent); `npm run seed`'s entry point run again on
// the same database creates nothing twice.
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SITE_IDS } from "../../src/domain/index.js";
import { runSelfEmploymentSeed } from "../../src/seed/index.js";
import { callers, ok, startSelfEmployment } from "./support.js";

let svc: TestService;

beforeAll(async () => {
  svc = await startSelfEmployment({ env: { SEED_DEMO_WHEN_EMPTY: "true" } });
});
afterAll(async () => {
  await svc?.close();
});

describe("the demo", () => {
  it("puts operators with plans at every site and persons at several", async () => {
    for (const site of SITE_IDS) {
      const operators = await ok(svc.as(callers.programme), "GET", `/v1/sites/${site}/operators`);
      expect(operators.items.length, site).toBeGreaterThan(0);
      expect(operators.items[0].plan.length, site).toBeGreaterThan(0);
    }
    const mantova = await ok(svc.as(callers.admin), "GET", "/v1/sites/lto-mantova/persons");
    expect(mantova.items.length).toBe(2);
    const suzzara = await ok(svc.as(callers.admin), "GET", "/v1/sites/lto-suzzara/persons");
    expect(suzzara.items[0]).toMatchObject({
      ageBand: "16_17",
      guardianConsent: { name: "Genitore di Sara" },
    });
  });

  it("is not loaded twice", async () => {
    const again = await runSelfEmploymentSeed({ ...svc.env, NODE_ENV: "development" });
    expect(again.created).toEqual({ operators: 0, persons: 0 });
  });
});
