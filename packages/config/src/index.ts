// Environment parsed with zod at start-up. A service calls loadConfig(schema) once in config.ts; any
// bad or missing variable stops it with ONE message naming every variable at fault, so an operator
// fixes the deployment in one round instead of discovering problems one restart at a time.
import { z } from "zod";

export interface ConfigProblem {
  variable: string;
  message: string;
}

export class ConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    const lines = problems.map((p) => `  ${p.variable}: ${p.message}`);
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}); ` +
        `fix these environment variables and start again:\n${lines.join("\n")}`,
    );
    this.name = "ConfigError";
    this.problems = problems;
  }
}

// ---------------------------------------------------------------------------------------------------
// Building blocks for service schemas

/** A TCP port from a string; 0 means "any free port" (tests). */
export const port = () =>
  z.coerce
    .number({ error: "must be a port number (0-65535)" })
    .int("must be a whole port number (0-65535)")
    .min(0, "must be a port number (0-65535)")
    .max(65535, "must be a port number (0-65535)");

/** "a:9092, b:9092" -> ["a:9092", "b:9092"]; each entry must be host:port. */
export const hostPortList = () =>
  z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .pipe(
      z
        .array(z.string().regex(/^[^\s:]+:\d{1,5}$/, "each entry must look like host:port"))
        .min(1, "must list at least one host:port"),
    );

/**
 * An http:// or https:// URL. (z.url() alone takes any scheme: "collector:4318" would pass, and the OTLP
 * exporter would then drop it with a warning and export nowhere.)
 */
export const httpUrl = (error = "must be an http(s) URL") => z.url({ protocol: /^https?$/i, error });

/** "true/false/1/0/yes/no" -> boolean (z.coerce.boolean would read "false" as true). */
export const envBoolean = () =>
  z
    .enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" })
    .transform((v) => v === "true" || v === "1" || v === "yes");

/**
 * Values that only make sense on a developer machine. They are the defaults so that `npm start` works
 * with no setup, and for that reason they are refused when NODE_ENV=production.
 */
export const DEV_DEFAULTS = {
  MONGO_URL: "mongodb://127.0.0.1:27017/",
  KAFKA_BROKERS: "127.0.0.1:9092",
  /** The gateway's OpenID Connect provider of `npm start` (its JWKS also holds `npm run token`'s key). */
  JWKS_URL: "http://127.0.0.1:8080/oidc/jwks",
  JWT_ISSUER: "http://127.0.0.1:8080/oidc",
  JWT_AUDIENCE: "lto",
} as const;

/**
 * Secrets a service may generate for itself on a developer machine (kept in its own store) but that
 * production must be given, so every instance signs with the key the operators manage and publish.
 */
export const PRODUCTION_SECRETS = [
  "ISSUER_JWK",
  "CALENDAR_FEED_KEY",
  "OIDC_SIGNING_JWK",
  "OIDC_COOKIE_KEYS",
] as const;

/**
 * Settings that may be left out on a developer machine but that production must name itself, each
 * with why: what the service hands out must not point at a developer's machine, and mail must reach
 * people rather than files.
 */
export const PRODUCTION_REQUIRED: Readonly<Record<string, string>> = {
  PUBLIC_BASE_URL:
    "must be set in production to the service's public https address (it goes into credentials and links)",
  SMTP_URL:
    "must be set in production to the SMTP server (smtp:// or smtps://); without it mail is only written to files",
  MAIL_FROM:
    "must be set in production to the platform's own sender address (the default is a development one)",
  PORTAL_URL: "must be set in production to the portal's public https address (it is named in every e-mail)",
};

/**
 * Addresses of the other services a service calls. Their loopback defaults make `npm start` work on one
 * machine; in production each must be given (a container's or pod's loopback holds no other service, so
 * a forgotten one would only fail at the first call). Built with peerGrpcAddress/peerHttpUrl.
 */
const peerSettings = new WeakSet<z.ZodType>();

/** Another service's gRPC address (host:port); `devDefault` (loopback) applies outside production only. */
export function peerGrpcAddress(devDefault: string) {
  const schema = z.string().min(1, "must be the service's gRPC host:port").default(devDefault);
  peerSettings.add(schema);
  return schema;
}

/** Another service's HTTP base URL; `devDefault` (loopback) applies outside production only. */
export function peerHttpUrl(devDefault: string) {
  const schema = httpUrl("must be the service's http(s) base URL").default(devDefault);
  peerSettings.add(schema);
  return schema;
}

/**
 * Partitions of each event topic: the most instances of one consumer group that share the work (a 13th
 * instance would sit idle). The one number behind every place topics are made: the services' own
 * creation of a missing topic (KAFKA_TOPIC_PARTITIONS), compose's kafka-init (same variable, .env) and
 * the cluster's KafkaTopics (infra/k8s/base/kafka/topics.yaml), checked equal in CI.
 */
export const DEFAULT_TOPIC_PARTITIONS = 12;

/** Where the former development token server listened; a JWKS_URL on it is still refused in production. */
export const DEV_JWKS_PORT = 8090;

export const commonEnv = z.object({
  NODE_ENV: z
    .enum(["development", "test", "production"], { error: "must be development, test or production" })
    .default("development"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "must be one of fatal, error, warn, info, debug, trace, silent",
    })
    .default("info"),
  SERVICE_NAME: z.string().optional(),
  HTTP_PORT: port().default(8080),
  /** Only a service that serves gRPC binds it; its own default (hostedEnv's grpcPort) is set there. */
  GRPC_PORT: port().optional(),
  MONGO_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, "must be a mongodb:// or mongodb+srv:// URL")
    .default(DEV_DEFAULTS.MONGO_URL),
  MONGO_DB: z.string({ error: "must name the service's database" }).min(1),
  KAFKA_BROKERS: hostPortList().default([DEV_DEFAULTS.KAFKA_BROKERS]),
  /** SASL towards the brokers (a cluster's Strimzi listener: scram-sha-512); unset: no authentication. */
  KAFKA_SASL_MECHANISM: z
    .enum(["plain", "scram-sha-256", "scram-sha-512"], {
      error: "must be plain, scram-sha-256 or scram-sha-512 (or unset: no authentication)",
    })
    .optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  /** TLS to the brokers. */
  KAFKA_SSL: envBoolean().default(false),
  /** Partitions of an event topic the service creates because it is missing (existing ones are kept). */
  KAFKA_TOPIC_PARTITIONS: z.coerce
    .number({ error: "must be a whole number of partitions (1-1000)" })
    .int("must be a whole number of partitions (1-1000)")
    .min(1, "must be a whole number of partitions (1-1000)")
    .max(1000, "must be a whole number of partitions (1-1000)")
    .default(DEFAULT_TOPIC_PARTITIONS),
  /**
   * Partitions one instance applies at once (order within a partition always holds). Events of one
   * partition are applied one after another, so a consumer far behind (a rebuild from the topics'
   * beginning, a long outage) catches up about this many times faster, as if this many instances ran.
   */
  KAFKA_CONSUMER_CONCURRENCY: z.coerce
    .number({ error: "must be a whole number of partitions (1-100)" })
    .int("must be a whole number of partitions (1-100)")
    .min(1, "must be a whole number of partitions (1-100)")
    .max(100, "must be a whole number of partitions (1-100)")
    .default(1),
  JWKS_URL: httpUrl("must be an http(s) URL of a JWKS document").default(DEV_DEFAULTS.JWKS_URL),
  JWT_ISSUER: z.string().min(1).default(DEV_DEFAULTS.JWT_ISSUER),
  JWT_AUDIENCE: z.string().min(1).default(DEV_DEFAULTS.JWT_AUDIENCE),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl("must be an http(s) URL").optional(),
});

export type CommonEnv = z.infer<typeof commonEnv>;

/** How a client authenticates to the brokers, from the config (spread into @lto/messaging's createKafka). */
export function kafkaAuth(
  config: Pick<
    CommonEnv,
    "KAFKA_SASL_MECHANISM" | "KAFKA_SASL_USERNAME" | "KAFKA_SASL_PASSWORD" | "KAFKA_SSL"
  >,
): {
  ssl: boolean;
  sasl?: { mechanism: "plain" | "scram-sha-256" | "scram-sha-512"; username: string; password: string };
} {
  const {
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: username,
    KAFKA_SASL_PASSWORD: password,
  } = config;
  if (!mechanism || username === undefined || password === undefined) return { ssl: config.KAFKA_SSL };
  return { ssl: config.KAFKA_SSL, sasl: { mechanism, username, password } };
}

// ---------------------------------------------------------------------------------------------------

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/;

/** Production refuses anything that would silently run on development settings or trust dev tokens. */
function productionProblems(
  env: Record<string, string | undefined>,
  variables: Set<string>,
  peers: Set<string>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const variable of peers) {
    if (env[variable] === undefined)
      problems.push({
        variable,
        message:
          "must be set in production to the other service's address (the default is this machine's loopback, for development)",
      });
  }
  for (const [variable, devValue] of Object.entries(DEV_DEFAULTS)) {
    if (!variables.has(variable)) continue;
    const value = env[variable];
    if (value === undefined) {
      problems.push({
        variable,
        message: "must be set explicitly in production (the default is for development)",
      });
    } else if (value === devValue && variable !== "JWT_AUDIENCE") {
      problems.push({ variable, message: "is the development default, refused in production" });
    }
  }
  for (const variable of PRODUCTION_SECRETS) {
    if (variables.has(variable) && env[variable] === undefined)
      problems.push({
        variable,
        message: "must be set in production (a key generated by the service is for development only)",
      });
  }
  for (const [variable, message] of Object.entries(PRODUCTION_REQUIRED)) {
    if (variables.has(variable) && env[variable] === undefined) problems.push({ variable, message });
  }
  const jwks = env.JWKS_URL;
  if (
    variables.has("JWKS_URL") &&
    jwks !== undefined &&
    jwks !== DEV_DEFAULTS.JWKS_URL &&
    URL.canParse(jwks)
  ) {
    const url = new URL(jwks);
    if (LOOPBACK.test(url.hostname) || url.port === String(DEV_JWKS_PORT)) {
      problems.push({
        variable: "JWKS_URL",
        message: "points at a local development token server, refused in production",
      });
    }
  }
  return problems;
}

function describeIssue(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): ConfigProblem {
  const variable = String(issue.path[0] ?? "(environment)");
  if (issue.path.length === 1 && env[variable] === undefined && issue.code === "invalid_type") {
    return { variable, message: "is required but not set" };
  }
  return { variable, message: issue.message };
}

function shapeKeys(schema: z.ZodType): Set<string> {
  return schema instanceof z.ZodObject ? new Set(Object.keys(schema.shape)) : new Set();
}

/** The schema's variables built with peerGrpcAddress/peerHttpUrl. */
function peerKeys(schema: z.ZodType): Set<string> {
  if (!(schema instanceof z.ZodObject)) return new Set();
  const shape = schema.shape as Record<string, z.ZodType>;
  return new Set(Object.keys(shape).filter((key) => peerSettings.has(shape[key]!)));
}

/**
 * Parses `env` (process.env by default) with `schema`. Empty variables count as unset, so `PORT=`
 * falls back to the default instead of becoming 0. Throws ConfigError listing every problem.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const cleaned: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== "") cleaned[key] = value;
  }
  const result = schema.safeParse(cleaned);
  const problems: ConfigProblem[] = result.success
    ? []
    : result.error.issues.map((i) => describeIssue(i, cleaned));
  if (cleaned.NODE_ENV === "production")
    problems.push(...productionProblems(cleaned, shapeKeys(schema), peerKeys(schema)));
  if (cleaned.KAFKA_SASL_MECHANISM !== undefined && shapeKeys(schema).has("KAFKA_SASL_MECHANISM")) {
    for (const variable of ["KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD"])
      if (cleaned[variable] === undefined)
        problems.push({ variable, message: "must be set when KAFKA_SASL_MECHANISM is" });
  }
  // One line per variable and message, even when zod reports the same problem for several list items.
  const unique = [...new Map(problems.map((p) => [`${p.variable}\0${p.message}`, p])).values()];
  if (unique.length > 0 || !result.success) throw new ConfigError(unique);
  return result.data;
}
