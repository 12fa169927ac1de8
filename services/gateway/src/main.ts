// The gateway as the platform's service host runs it: the accounts and their events, the OpenID
// Connect provider, invitations, the edge (/api) and the portal's files.
import { randomUUID } from "node:crypto";
import { topics } from "@lto/contracts";
import { DEFAULT_MAIL_FROM, mailOutbox } from "@lto/mail";
import { runMain, type ServiceDefinition } from "@lto/service-host";
import type { JWK } from "jose";
import { mountEdge } from "./api/http/edge.js";
import { routes } from "./api/http/routes.js";
import { signedOutPage, signInErrorPage, signOutPage } from "./api/http/pages.js";
import { mountSignIn } from "./api/http/sign-in.js";
import { createApp } from "./app/index.js";
import { EDGE_SERVICES, loadGatewayConfig, serviceUrl, type GatewayConfig } from "./config.js";
import { providerKeys } from "./infra/keys.js";
import { invitationMailer } from "./infra/mailer.js";
import { oidcAdapterFactory, revokeAccountRecords, sweepExpired } from "./infra/oidc-adapter.js";
import { createProvider, publicJwk } from "./infra/oidc.js";
import {
  accountRepository,
  adoptionCompanies,
  argon2Hasher,
  invitationRepository,
  signInAttempts,
  sweepSignInAttempts,
} from "./infra/repositories.js";
import { gatewayCollections } from "./infra/store.js";
import { seedDemoAccounts } from "./seed/index.js";

/** The public halves of DEV_TOKEN_JWKS (a JWKS or an array of JWKs). */
function devTokenKeys(text: string | undefined): JWK[] {
  if (!text) return [];
  const parsed = JSON.parse(text) as JWK[] | { keys: JWK[] };
  return (Array.isArray(parsed) ? parsed : parsed.keys).map(publicJwk);
}

export const gatewayService: ServiceDefinition<GatewayConfig> = {
  name: "gateway",
  config: loadGatewayConfig,
  topics: [topics.gateway],
  async compose({ config, store, clock, logger, onStop }) {
    const collections = gatewayCollections(store);
    const now = () => clock.now();
    const publicUrl = config.GATEWAY_PUBLIC_URL.replace(/\/+$/, "");
    const mail = mailOutbox(
      store,
      { ...config, SERVICE_NAME: "gateway", MAIL_FROM: config.MAIL_FROM ?? DEFAULT_MAIL_FROM },
      clock,
      { logger },
    );
    onStop(() => mail.close());
    const accounts = accountRepository(collections);
    const ports = {
      accounts,
      invitations: invitationRepository(collections),
      passwords: argon2Hasher,
      companies: adoptionCompanies(serviceUrl(config, "adoption")),
      mailer: invitationMailer(mail),
      sessions: { revokeAll: (subject: string) => revokeAccountRecords(collections.oidc, subject) },
      signInAttempts: signInAttempts(collections, randomUUID),
      clock,
      newId: randomUUID,
      publicUrl,
    };
    const signInWindowMs = config.SIGNIN_WINDOW_S * 1000;
    const app = createApp(ports, {
      maxFailuresPerAccount: config.SIGNIN_MAX_FAILURES_PER_ACCOUNT,
      maxAttemptsPerIp: config.SIGNIN_MAX_ATTEMPTS_PER_IP,
      windowMs: signInWindowMs,
    });
    const keys = await providerKeys(collections, config);
    const provider = createProvider({
      publicUrl,
      audience: config.JWT_AUDIENCE,
      keys,
      adapter: oidcAdapterFactory(collections.oidc, now),
      findAccount: (subject) => accounts.get(subject),
      accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_S,
      pages: { signOut: signOutPage, signedOut: signedOutPage, error: signInErrorPage },
    });
    provider.on("server_error", (_ctx, err) => logger.error({ err }, "sign-in provider error"));
    const jwks = { keys: [publicJwk(keys.signing), ...devTokenKeys(config.DEV_TOKEN_JWKS)] };
    const services = Object.fromEntries(EDGE_SERVICES.map((n) => [n, serviceUrl(config, n)])) as Record<
      (typeof EDGE_SERVICES)[number],
      string
    >;
    return {
      routes: routes(app),
      mount(server) {
        mountSignIn(server, { provider, app, jwks, trustedProxyHops: config.TRUSTED_PROXY_HOPS });
        mountEdge(server, {
          services,
          ratePerMinute: config.EDGE_RATE_PER_MINUTE,
          bodyLimitBytes: config.EDGE_BODY_LIMIT_BYTES,
          portalDist: config.PORTAL_DIST,
          logger,
          trustedProxyHops: config.TRUSTED_PROXY_HOPS,
        });
      },
      periodic: [
        { name: "sign-in records sweep", everyMs: 60_000, run: () => sweepExpired(collections.oidc, now) },
        {
          name: "sign-in attempts sweep",
          everyMs: 60_000,
          run: () => sweepSignInAttempts(collections, new Date(now().getTime() - signInWindowMs)),
        },
        mail.senderJob,
      ],
      seed: async () => {
        if ((await accounts.count()) > 0) return;
        const created = await seedDemoAccounts(accounts, argon2Hasher, config.DEMO_PASSWORD, clock.now());
        logger.info({ accounts: created.map((a) => a.email) }, "empty store: demo accounts created");
      },
    };
  },
};

await runMain(gatewayService, import.meta.url);
