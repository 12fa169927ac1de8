// The OpenID Connect provider (oidc-provider): authorization code with PKCE (S256) for the portal, ES256
// JWT access tokens for the audience the services check, carrying the claims they read (sub, role,
// org, sites, name). Its records live on the gateway's store; the sign-in page is the gateway's own.
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import type { JWK } from "jose";
import type { Account } from "../domain/index.js";
import type { ProviderKeys } from "./keys.js";

export const PORTAL_CLIENT_ID = "lto-portal";

export interface ProviderOptions {
  publicUrl: string;
  audience: string;
  keys: ProviderKeys;
  adapter: NonNullable<Configuration["adapter"]>;
  findAccount(subject: string): Promise<Account | undefined>;
  accessTokenTtlSeconds: number;
  /** The provider's own pages, rendered by the HTTP layer. */
  pages: ProviderPages;
}

export interface ProviderPages {
  /** Confirming the sign-out: `form` is the provider's form, submitted by buttons naming it. */
  signOut(form: string): string;
  signedOut(): string;
  error(error: string, description: string): string;
}

/** The issuer: `<public URL>/oidc`. */
export const issuerOf = (publicUrl: string) => `${publicUrl.replace(/\/+$/, "")}/oidc`;
/** The resource indicator of the services' API (resource indicators, RFC 8707). */
export const apiResourceOf = (publicUrl: string) => `${publicUrl.replace(/\/+$/, "")}/api`;

/** The public half of a private JWK. */
export function publicJwk(jwk: JWK): JWK {
  const { d: _d, ...rest } = jwk;
  return rest;
}

const tokenClaims = (account: Account) => ({
  role: account.role,
  org: account.organisationId,
  sites: account.sites,
  name: account.displayName,
});

export function createProvider(opts: ProviderOptions): Provider {
  const resource = apiResourceOf(opts.publicUrl);
  const base = opts.publicUrl.replace(/\/+$/, "");
  const activeAccount = async (subject: string | undefined) => {
    if (!subject) return undefined;
    const account = await opts.findAccount(subject);
    return account?.status === "active" ? account : undefined;
  };
  const configuration: Configuration = {
    adapter: opts.adapter,
    clients: [
      {
        client_id: PORTAL_CLIENT_ID,
        client_name: "LTO portale",
        application_type: "web",
        token_endpoint_auth_method: "none",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        redirect_uris: [`${base}/auth/callback`],
        post_logout_redirect_uris: [`${base}/`],
        id_token_signed_response_alg: "ES256",
      },
    ],
    jwks: { keys: [opts.keys.signing as never] },
    cookies: { keys: opts.keys.cookies },
    pkce: { required: () => true },
    claims: {
      openid: ["sub"],
      profile: ["name", "locale"],
      email: ["email"],
      lto: ["role", "org", "sites"],
    },
    scopes: ["openid", "offline_access", "profile", "email", "lto"],
    // A disabled account has no account here: its sessions end and its refresh tokens stop working.
    async findAccount(_ctx, subject) {
      const account = await activeAccount(subject);
      if (!account) return undefined;
      return {
        accountId: account.id,
        claims: () => ({
          sub: account.id,
          locale: account.locale,
          email: account.email,
          ...tokenClaims(account),
        }),
      };
    },
    async extraTokenClaims(_ctx, token) {
      const account = await activeAccount((token as { accountId?: string }).accountId);
      return account ? tokenClaims(account) : undefined;
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx, form) {
          ctx.type = "html";
          ctx.body = opts.pages.signOut(form);
        },
        postLogoutSuccessSource(ctx) {
          ctx.type = "html";
          ctx.body = opts.pages.signedOut();
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, indicator) {
          if (indicator !== resource) throw new errors.InvalidTarget(`The only resource is ${resource}`);
          return {
            scope: "api",
            audience: opts.audience,
            accessTokenTTL: opts.accessTokenTtlSeconds,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "ES256" } },
          };
        },
      },
    },
    // The portal is the platform's own client: signing in is consenting, no consent screen.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const session = ctx.oidc.session!;
      const client = ctx.oidc.client!;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) {
        const found = await ctx.oidc.provider.Grant.find(grantId);
        if (found) return found;
      }
      if (!session.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope("openid offline_access profile email lto");
      grant.addResourceScope(resource, "api");
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    interactions: { url: (_ctx, interaction) => `/oidc/interaction/${interaction.uid}` },
    ttl: {
      AccessToken: opts.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: 8 * 3600,
      Grant: 14 * 24 * 3600,
      RefreshToken: 14 * 24 * 3600,
    },
    enabledJWA: {
      idTokenSigningAlgValues: ["ES256"],
      userinfoSigningAlgValues: ["ES256"],
      introspectionSigningAlgValues: ["ES256"],
      authorizationSigningAlgValues: ["ES256"],
    },
    renderError(ctx, out) {
      ctx.type = "html";
      ctx.body = opts.pages.error(String(out.error), String(out.error_description ?? ""));
    },
  };
  const provider = new Provider(issuerOf(opts.publicUrl), configuration);
  // Behind a TLS-terminating proxy in production: trust its X-Forwarded-* for the request's scheme.
  provider.proxy = true;
  return provider;
}
