import { loadConfig } from "@lto/config";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { hostedEnv } from "../src/index.js";

describe("hostedEnv", () => {
  const env = hostedEnv({ name: "catalogue", httpPort: 8083, grpcPort: 9083 }).extend({
    PEER_ADDRESS: z.string().default("127.0.0.1:1"),
  });

  it("names the defaults after the service and keeps the service's own variables", () => {
    const config = loadConfig(env, { NODE_ENV: "test" });
    expect(config).toMatchObject({
      SERVICE_NAME: "catalogue",
      HTTP_PORT: 8083,
      GRPC_PORT: 9083,
      MONGO_DB: "lto_catalogue",
      KAFKA_CONSUMER_GROUP: "lto-catalogue",
      HOST: "127.0.0.1",
      OUTBOX_SWEEP_MS: 2000,
      IDEMPOTENCY_ABANDON_MS: 60_000,
      PEER_ADDRESS: "127.0.0.1:1",
    });
    expect(config.SEED_DEMO_WHEN_EMPTY).toBeUndefined();
  });

  it("takes the environment over the defaults and refuses what is out of range", () => {
    const config = loadConfig(env, {
      NODE_ENV: "test",
      MONGO_DB: "other",
      OUTBOX_SWEEP_MS: "200",
      SEED_DEMO_WHEN_EMPTY: "true",
      IDEMPOTENCY_ABANDON_MS: "3000",
    });
    expect(config).toMatchObject({
      MONGO_DB: "other",
      OUTBOX_SWEEP_MS: 200,
      SEED_DEMO_WHEN_EMPTY: true,
      IDEMPOTENCY_ABANDON_MS: 3000,
    });
    expect(() => loadConfig(env, { NODE_ENV: "test", OUTBOX_SWEEP_MS: "5" })).toThrow(/OUTBOX_SWEEP_MS/);
    for (const bad of ["0", "999", "abc", "1.5"]) {
      expect(() => loadConfig(env, { NODE_ENV: "test", IDEMPOTENCY_ABANDON_MS: bad })).toThrow(
        /IDEMPOTENCY_ABANDON_MS/,
      );
    }
  });

  it("has no gRPC port for a service that serves no gRPC, unless one is given", () => {
    const plain = hostedEnv({ name: "insights", httpPort: 8085 });
    expect(loadConfig(plain, { NODE_ENV: "test" }).GRPC_PORT).toBeUndefined();
    expect(loadConfig(plain, { NODE_ENV: "test", GRPC_PORT: "9085" }).GRPC_PORT).toBe(9085);
    expect(() => loadConfig(plain, { NODE_ENV: "test", GRPC_PORT: "70000" })).toThrow(/GRPC_PORT/);
  });
});
