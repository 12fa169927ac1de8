// The provider's records on the real store: written, found by id, uid and grant, consumed once,
// revoked by grant and by account, invisible once expired and removed by the sweep.
import { useTestDb } from "@lto/testkit";
import { AggregateStore } from "@lto/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oidcAdapterFactory, revokeAccountRecords, sweepExpired } from "../../src/infra/oidc-adapter.js";
import { gatewayCollections, type GatewayCollections } from "../../src/infra/store.js";

const db = useTestDb({ prefix: "gateway-oidc" });
let store: AggregateStore;
let collections: GatewayCollections;
let now = new Date("2026-03-01T10:00:00Z");
const clock = () => now;

beforeAll(async () => {
  store = await AggregateStore.open({ url: db.mongoUrl, dbName: db.dbName });
  collections = gatewayCollections(store);
  await store.ensureIndexes();
});
afterAll(async () => {
  await store?.close();
});

describe("the provider's adapter", () => {
  it("stores, finds, overwrites and consumes records; keys with dots survive", async () => {
    const grants = oidcAdapterFactory(collections.oidc, clock)("Grant");
    const payload = { jti: "g1", accountId: "acc-1", resources: { "http://x.test/api": "api" } };
    await grants.upsert("g1", payload, 60);
    expect(await grants.find("g1")).toEqual(payload);
    await grants.upsert("g1", { ...payload, openid: { scope: "openid" } }, 60);
    expect(await grants.find("g1")).toMatchObject({ openid: { scope: "openid" } });

    const interactions = oidcAdapterFactory(collections.oidc, clock)("Session");
    await interactions.upsert("s1", { uid: "u-1", accountId: "acc-1" }, 60);
    expect(await interactions.findByUid("u-1")).toMatchObject({ accountId: "acc-1" });

    const codes = oidcAdapterFactory(collections.oidc, clock)("AuthorizationCode");
    await codes.upsert("c1", { grantId: "g1", accountId: "acc-1" }, 60);
    await codes.consume("c1");
    expect((await codes.find("c1"))?.consumed).toBeGreaterThan(0);
    await codes.revokeByGrantId("g1");
    expect(await codes.find("c1")).toBeUndefined();
  });

  it("revokes everything of an account", async () => {
    const adapter = oidcAdapterFactory(collections.oidc, clock);
    await adapter("Session").upsert("s2", { accountId: "acc-2" }, 60);
    await adapter("Grant").upsert("g2", { accountId: "acc-2" }, 60);
    await adapter("RefreshToken").upsert("r2", { accountId: "acc-2", grantId: "g2" }, 60);
    await adapter("Session").upsert("s3", { accountId: "acc-3" }, 60);
    expect(await revokeAccountRecords(collections.oidc, "acc-2")).toBe(3);
    expect(await adapter("RefreshToken").find("r2")).toBeUndefined();
    expect(await adapter("Session").find("s3")).toBeDefined();
  });

  it("hides expired records and sweeps them away", async () => {
    const sessions = oidcAdapterFactory(collections.oidc, clock)("Session");
    await sessions.upsert("old", { accountId: "acc-4" }, 10);
    await sessions.upsert("forever", { accountId: "acc-4" });
    now = new Date(now.getTime() + 11_000);
    expect(await sessions.find("old")).toBeUndefined();
    expect(await sweepExpired(collections.oidc, clock)).toBeGreaterThanOrEqual(1);
    expect(await collections.oidc.get("Session:old")).toBeUndefined();
    expect(await sessions.find("forever")).toBeDefined();
  });
});
