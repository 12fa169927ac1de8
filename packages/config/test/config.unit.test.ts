import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  commonEnv,
  ConfigError,
  DEV_DEFAULTS,
  envBoolean,
  kafkaAuth,
  loadConfig,
  peerGrpcAddress,
  peerHttpUrl,
  port,
} from "../src/index.js";

const serviceEnv = commonEnv.extend({
  MONGO_DB: z.string().default("lto_ideas"),
  HTTP_PORT: port().default(8081),
  OUTBOX_SWEEP: envBoolean().default(true),
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

const production = {
  NODE_ENV: "production",
  MONGO_URL: "mongodb://mongo-0.lto:27017/?replicaSet=rs0",
  KAFKA_BROKERS: "kafka-0.lto:9092,kafka-1.lto:9092",
  JWKS_URL: "https://auth.lto.mantova.it/.well-known/jwks.json",
  JWT_ISSUER: "https://auth.lto.mantova.it",
  JWT_AUDIENCE: "lto",
};

describe("loadConfig", () => {
  it("applies development defaults and coerces types", () => {
    const config = loadConfig(serviceEnv, { GRPC_PORT: "0", KAFKA_BROKERS: " a:9092 , b:9093 ," });
    expect(config).toMatchObject({
      NODE_ENV: "development",
      LOG_LEVEL: "info",
      HTTP_PORT: 8081,
      GRPC_PORT: 0,
      MONGO_DB: "lto_ideas",
      KAFKA_BROKERS: ["a:9092", "b:9093"],
      JWKS_URL: DEV_DEFAULTS.JWKS_URL,
      OUTBOX_SWEEP: true,
    });
  });

  it("KAFKA_CONSUMER_CONCURRENCY: one partition at a time unless told, a whole number from 1 to 100", () => {
    expect(loadConfig(serviceEnv, {}).KAFKA_CONSUMER_CONCURRENCY).toBe(1);
    expect(loadConfig(serviceEnv, { KAFKA_CONSUMER_CONCURRENCY: "12" }).KAFKA_CONSUMER_CONCURRENCY).toBe(12);
    for (const bad of ["0", "1.5", "101", "many"]) {
      const err = configError(() => loadConfig(serviceEnv, { KAFKA_CONSUMER_CONCURRENCY: bad }));
      expect(err.problems).toEqual([
        expect.objectContaining({
          variable: "KAFKA_CONSUMER_CONCURRENCY",
          message: expect.stringContaining("whole number of partitions (1-100)"),
        }),
      ]);
    }
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig(serviceEnv, { HTTP_PORT: "", OUTBOX_SWEEP: "false" })).toMatchObject({
      HTTP_PORT: 8081,
      OUTBOX_SWEEP: false,
    });
  });

  it("bad configuration fails start-up naming each bad variable", () => {
    const err = configError(() =>
      loadConfig(commonEnv, {
        HTTP_PORT: "http",
        GRPC_PORT: "70000",
        NODE_ENV: "prod",
        KAFKA_BROKERS: "kafka-without-port",
        JWKS_URL: "not a url",
      }),
    );
    const variables = err.problems.map((p) => p.variable).sort();
    expect(variables).toEqual([
      "GRPC_PORT",
      "HTTP_PORT",
      "JWKS_URL",
      "KAFKA_BROKERS",
      "MONGO_DB",
      "NODE_ENV",
    ]);
    const lines = err.message.split("\n").slice(1);
    expect(lines).toHaveLength(6);
    expect(err.message).toContain("MONGO_DB: is required but not set");
    expect(err.message).toContain("HTTP_PORT: must be a port number (0-65535)");
    expect(err.message).toContain("KAFKA_BROKERS: each entry must look like host:port");
    expect(err.message).toContain("NODE_ENV: must be development, test or production");
  });

  it("accepts a complete production configuration", () => {
    expect(loadConfig(serviceEnv, production).KAFKA_BROKERS).toEqual([
      "kafka-0.lto:9092",
      "kafka-1.lto:9092",
    ]);
  });

  it("refuses development defaults in production", () => {
    const err = configError(() => loadConfig(serviceEnv, { NODE_ENV: "production" }));
    expect(err.problems.map((p) => p.variable).sort()).toEqual([
      "JWKS_URL",
      "JWT_AUDIENCE",
      "JWT_ISSUER",
      "KAFKA_BROKERS",
      "MONGO_URL",
    ]);
    expect(err.message).toContain("JWT_ISSUER: must be set explicitly in production");
  });

  it("takes only http(s) URLs for JWKS_URL and OTEL_EXPORTER_OTLP_ENDPOINT", () => {
    // z.url() alone would take these: any "scheme:rest" parses as a URL
    const err = configError(() =>
      loadConfig(serviceEnv, {
        JWKS_URL: "ftp://auth/jwks.json",
        OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318",
      }),
    );
    expect(err.problems).toEqual([
      { variable: "JWKS_URL", message: "must be an http(s) URL of a JWKS document" },
      { variable: "OTEL_EXPORTER_OTLP_ENDPOINT", message: "must be an http(s) URL" },
    ]);
    expect(
      loadConfig(serviceEnv, { OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel-collector:4318" })
        .OTEL_EXPORTER_OTLP_ENDPOINT,
    ).toBe("http://otel-collector:4318");
  });

  it("refuses a production JWKS_URL pointing at the dev token server", () => {
    for (const url of [
      DEV_DEFAULTS.JWKS_URL,
      "http://localhost:8090/jwks",
      "http://auth.internal:8090/jwks",
    ]) {
      const err = configError(() => loadConfig(serviceEnv, { ...production, JWKS_URL: url }));
      expect(err.problems.map((p) => p.variable)).toEqual(["JWKS_URL"]);
    }
  });

  it("refuses the development issuer in production", () => {
    const err = configError(() =>
      loadConfig(serviceEnv, { ...production, JWT_ISSUER: DEV_DEFAULTS.JWT_ISSUER }),
    );
    expect(err.problems).toEqual([
      { variable: "JWT_ISSUER", message: expect.stringContaining("development") },
    ]);
  });

  it("only applies production rules to variables the schema declares", () => {
    const tiny = z.object({ NODE_ENV: z.string(), PORT: port() });
    expect(loadConfig(tiny, { NODE_ENV: "production", PORT: "80" })).toEqual({
      NODE_ENV: "production",
      PORT: 80,
    });
  });
});

describe("peer addresses (other services' gRPC and HTTP addresses)", () => {
  const withPeers = serviceEnv.extend({
    ADOPTION_GRPC_ADDRESS: peerGrpcAddress("127.0.0.1:9082"),
    IDEAS_HTTP_URL: peerHttpUrl("http://127.0.0.1:8081"),
  });

  it("default to this machine's loopback outside production", () => {
    expect(loadConfig(withPeers, {})).toMatchObject({
      ADOPTION_GRPC_ADDRESS: "127.0.0.1:9082",
      IDEAS_HTTP_URL: "http://127.0.0.1:8081",
    });
  });

  it("refuse to start in production while one is missing, naming each variable", () => {
    const err = configError(() => loadConfig(withPeers, production));
    expect(err.problems.map((p) => p.variable).sort()).toEqual(["ADOPTION_GRPC_ADDRESS", "IDEAS_HTTP_URL"]);
    expect(err.message).toContain(
      "ADOPTION_GRPC_ADDRESS: must be set in production to the other service's address",
    );
    // An empty variable counts as unset: no loopback fallback either.
    const empty = configError(() =>
      loadConfig(withPeers, {
        ...production,
        ADOPTION_GRPC_ADDRESS: "",
        IDEAS_HTTP_URL: "http://ideas:8081",
      }),
    );
    expect(empty.problems.map((p) => p.variable)).toEqual(["ADOPTION_GRPC_ADDRESS"]);
  });

  it("start in production once each is given", () => {
    expect(
      loadConfig(withPeers, {
        ...production,
        ADOPTION_GRPC_ADDRESS: "adoption:9082",
        IDEAS_HTTP_URL: "http://ideas:8081",
      }),
    ).toMatchObject({ ADOPTION_GRPC_ADDRESS: "adoption:9082", IDEAS_HTTP_URL: "http://ideas:8081" });
  });
});

describe("Kafka authentication (KAFKA_SASL_*, KAFKA_SSL)", () => {
  const schema = commonEnv.extend({ MONGO_DB: z.string().default("lto_test") });

  it("is none by default", () => {
    expect(kafkaAuth(loadConfig(schema, {}))).toEqual({ ssl: false });
  });

  it("gives createKafka the mechanism and the credentials", () => {
    const config = loadConfig(schema, {
      KAFKA_SASL_MECHANISM: "scram-sha-512",
      KAFKA_SASL_USERNAME: "kafka-ideas",
      KAFKA_SASL_PASSWORD: "s3cret",
      KAFKA_SSL: "true",
    });
    expect(kafkaAuth(config)).toEqual({
      ssl: true,
      sasl: { mechanism: "scram-sha-512", username: "kafka-ideas", password: "s3cret" },
    });
  });

  it("refuses a mechanism without its credentials, naming each missing variable", () => {
    let error: unknown;
    try {
      loadConfig(schema, { KAFKA_SASL_MECHANISM: "scram-sha-512" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
      "KAFKA_SASL_PASSWORD",
      "KAFKA_SASL_USERNAME",
    ]);
  });

  it("refuses an unknown mechanism", () => {
    expect(() => loadConfig(schema, { KAFKA_SASL_MECHANISM: "gssapi" })).toThrow(/KAFKA_SASL_MECHANISM/);
  });
});
