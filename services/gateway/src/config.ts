import { ConfigError, httpUrl, loadConfig, peerHttpUrl, type ConfigProblem } from "@lto/config";
import { mailEnv } from "@lto/mail";
import { hostedEnv } from "@lto/service-host";
import { z } from "zod";

/** The services the edge forwards `/api/<service>/...` to, each at <NAME>_HTTP_URL. */
export const EDGE_SERVICES = [
  "ideas",
  "adoption",
  "catalogue",
  "self-employment",
  "insights",
  "notifications",
] as const;
export type EdgeService = (typeof EDGE_SERVICES)[number];

/** IDEAS_HTTP_URL for ideas, SELF_EMPLOYMENT_HTTP_URL for self-employment. */
export const serviceUrlVariable = (name: EdgeService) =>
  `${name.toUpperCase().replaceAll("-", "_")}_HTTP_URL` as const;

const DEFAULT_PORTS: Record<EdgeService, number> = {
  ideas: 8081,
  adoption: 8082,
  catalogue: 8083,
  "self-employment": 8084,
  insights: 8085,
  notifications: 8086,
};

const serviceUrlSetting = (name: EdgeService) => peerHttpUrl(`http://127.0.0.1:${DEFAULT_PORTS[name]}`);

export const gatewayEnv = hostedEnv({
  name: "gateway",
  httpPort: 8080,
  metricsPort: 9464,
}).extend({
  /** The address people open (https in production): the issuer is `<it>/oidc`. */
  GATEWAY_PUBLIC_URL: httpUrl().default("http://127.0.0.1:8080"),
  /** The private ES256 JWK the provider signs with (production); generated and kept in the store otherwise. */
  OIDC_SIGNING_JWK: z.string().min(1).optional(),
  /** Comma-separated secrets that sign the provider's cookies (production); generated otherwise. */
  OIDC_COOKIE_KEYS: z.string().min(1).optional(),
  /**
   * Public JWKs (a JSON array or JWKS) also published at the JWKS, so that `npm run token`'s tokens are
   * trusted by the services: development and tests only, refused in production.
   */
  DEV_TOKEN_JWKS: z.string().min(1).optional(),
  /** The demo accounts' password (development: they are seeded on an empty store). */
  DEMO_PASSWORD: z.string().min(12).default("lto-mantova-demo"),
  ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(60).max(86_400).default(900),
  /** Where the built portal is (its index.html and assets). */
  PORTAL_DIST: z
    .string()
    .min(1)
    .default(new URL("../../portal/dist", import.meta.url).pathname),
  /** Requests per minute one client (its token's subject, else its address) may send to /api. */
  EDGE_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Largest request body forwarded to a service, in bytes; larger ones get 413. */
  EDGE_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /** Failed sign-ins per account, and per address, within SIGNIN_WINDOW_S before 429. */
  SIGNIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  SIGNIN_MAX_ATTEMPTS_PER_IP: z.coerce.number().int().min(1).default(30),
  SIGNIN_WINDOW_S: z.coerce.number().int().min(1).default(900),
  /**
   * How many proxies in front of the gateway append to X-Forwarded-For (a TLS terminator: 1): the
   * client's address for the rate limits is read there. 0 (default): the connection's peer.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  ...mailEnv.shape,
  IDEAS_HTTP_URL: serviceUrlSetting("ideas"),
  ADOPTION_HTTP_URL: serviceUrlSetting("adoption"),
  CATALOGUE_HTTP_URL: serviceUrlSetting("catalogue"),
  SELF_EMPLOYMENT_HTTP_URL: serviceUrlSetting("self-employment"),
  INSIGHTS_HTTP_URL: serviceUrlSetting("insights"),
  NOTIFICATIONS_HTTP_URL: serviceUrlSetting("notifications"),
});

export type GatewayConfig = z.infer<typeof gatewayEnv>;

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const problems: ConfigProblem[] = [];
  if (env.NODE_ENV === "production") {
    if (env.DEV_TOKEN_JWKS) {
      problems.push({
        variable: "DEV_TOKEN_JWKS",
        message: "development keys are never trusted in production; remove it",
      });
    }
    if (!env.GATEWAY_PUBLIC_URL?.startsWith("https://")) {
      problems.push({
        variable: "GATEWAY_PUBLIC_URL",
        message: "must be set in production to the https address people open (the issuer is <it>/oidc)",
      });
    }
    // Demo accounts seeded in production (SEED_DEMO_WHEN_EMPTY=true) must not open with the published password.
    if (/^(true|1|yes)$/.test(env.SEED_DEMO_WHEN_EMPTY ?? "") && !env.DEMO_PASSWORD) {
      problems.push({
        variable: "DEMO_PASSWORD",
        message:
          "must be set in production when SEED_DEMO_WHEN_EMPTY seeds the demo accounts (the default is public)",
      });
    }
  }
  // One message naming every variable at fault: the gateway's own problems with the common ones.
  let config: GatewayConfig;
  try {
    config = loadConfig(gatewayEnv, env);
  } catch (err) {
    if (err instanceof ConfigError && problems.length) throw new ConfigError([...problems, ...err.problems]);
    throw err;
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

export function serviceUrl(config: GatewayConfig, name: EdgeService): string {
  const urls: Record<EdgeService, string> = {
    ideas: config.IDEAS_HTTP_URL,
    adoption: config.ADOPTION_HTTP_URL,
    catalogue: config.CATALOGUE_HTTP_URL,
    "self-employment": config.SELF_EMPLOYMENT_HTTP_URL,
    insights: config.INSIGHTS_HTTP_URL,
    notifications: config.NOTIFICATIONS_HTTP_URL,
  };
  return urls[name].replace(/\/+$/, "");
}
