import { ConfigError } from "@lto/config";
import { describe, expect, it } from "vitest";
import { loadSelfEmploymentConfig } from "../src/config.js";

describe("the self-employment service's settings", () => {
  it("default to its own ports, database, consumer group and topic", () => {
    const config = loadSelfEmploymentConfig({ NODE_ENV: "development" });
    expect(config).toMatchObject({
      SERVICE_NAME: "self-employment",
      HTTP_PORT: 8084,
      GRPC_PORT: 9084,
      MONGO_DB: "lto_self_employment",
      KAFKA_CONSUMER_GROUP: "lto-self-employment",
      EXTRA_CLOSED_DAYS: [],
    });
  });

  it("read extra closed days and refuse ones that are not days", () => {
    expect(loadSelfEmploymentConfig({ EXTRA_CLOSED_DAYS: "08-14, 2026-12-24" }).EXTRA_CLOSED_DAYS).toEqual([
      "08-14",
      "2026-12-24",
    ]);
    expect(() => loadSelfEmploymentConfig({ EXTRA_CLOSED_DAYS: "14 agosto" })).toThrow(ConfigError);
  });
});
