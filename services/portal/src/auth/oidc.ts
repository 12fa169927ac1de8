// Sign-in with OpenID Connect against the gateway: authorization code + PKCE (S256) for the public
// client lto-portal, through oauth4webapi. What the callback needs (verifier, state, nonce, where to
// go back) waits in sessionStorage across the redirect.
import * as oauth from "oauth4webapi";
import { clearSession, currentSession, saveSession, type Session } from "./session.js";

const CLIENT: oauth.Client = { client_id: "lto-portal" };
const PENDING_KEY = "lto.signin";

/** The gateway's issuer: the same origin as the portal unless the build says otherwise. */
export function issuerUrl(): URL {
  const configured = import.meta.env.VITE_OIDC_ISSUER as string | undefined;
  return new URL(configured || `${location.origin}/oidc`);
}

const redirectUri = () => `${location.origin}/auth/callback`;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
/**
 * oauth4webapi talks to HTTPS endpoints only; the development gateway of `npm start` is plain HTTP on
 * this machine, so plain HTTP is allowed for a loopback issuer and nowhere else.
 */
function requestOptions(issuer: URL) {
  const insecure = issuer.protocol === "http:" && LOOPBACK.has(issuer.hostname);
  return insecure ? { [oauth.allowInsecureRequests]: true } : {};
}

let discovered: Promise<oauth.AuthorizationServer> | undefined;
function authorizationServer(): Promise<oauth.AuthorizationServer> {
  const issuer = issuerUrl();
  discovered ??= oauth
    .discoveryRequest(issuer, { algorithm: "oidc", ...requestOptions(issuer) })
    .then((response) => oauth.processDiscoveryResponse(issuer, response))
    .catch((err: unknown) => {
      discovered = undefined; // the next attempt asks again
      throw err;
    });
  return discovered;
}

interface Pending {
  verifier: string;
  state: string;
  nonce: string;
  returnTo: string;
}

/** Leaves for the gateway's sign-in page; comes back to /auth/callback. */
export async function signIn(returnTo = location.pathname + location.search): Promise<void> {
  const as = await authorizationServer();
  if (!as.authorization_endpoint) throw new Error("The sign-in server publishes no authorization endpoint");
  const pending: Pending = {
    verifier: oauth.generateRandomCodeVerifier(),
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    returnTo,
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set("client_id", CLIENT.client_id);
  url.searchParams.set("redirect_uri", redirectUri());
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", "openid profile");
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(pending.verifier));
  url.searchParams.set("code_challenge_method", "S256");
  url.searchParams.set("state", pending.state);
  url.searchParams.set("nonce", pending.nonce);
  location.assign(url.href);
}

/** On /auth/callback: trades the code for tokens and returns where the user was going. */
export async function completeSignIn(callbackUrl: URL): Promise<{ session: Session; returnTo: string }> {
  const raw = sessionStorage.getItem(PENDING_KEY);
  if (!raw) throw new Error("No sign-in was started in this tab: start again from the Sign in button");
  const pending = JSON.parse(raw) as Pending;
  sessionStorage.removeItem(PENDING_KEY);
  const as = await authorizationServer();
  const params = oauth.validateAuthResponse(as, CLIENT, callbackUrl, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    CLIENT,
    oauth.None(),
    params,
    redirectUri(),
    pending.verifier,
    requestOptions(issuerUrl()),
  );
  const result = await oauth.processAuthorizationCodeResponse(as, CLIENT, response, {
    expectedNonce: pending.nonce,
    requireIdToken: true,
  });
  const session = saveSession({
    accessToken: result.access_token,
    ...(result.id_token ? { idToken: result.id_token } : {}),
    ...(result.expires_in ? { expiresIn: result.expires_in } : {}),
  });
  return { session, returnTo: pending.returnTo.startsWith("/") ? pending.returnTo : "/" };
}

/** Forgets the tokens here and ends the session at the gateway, which sends the browser back to /. */
export async function signOut(): Promise<void> {
  const idToken = currentSession()?.idToken;
  clearSession();
  try {
    const as = await authorizationServer();
    if (as.end_session_endpoint) {
      const url = new URL(as.end_session_endpoint);
      url.searchParams.set("client_id", CLIENT.client_id);
      url.searchParams.set("post_logout_redirect_uri", `${location.origin}/`);
      if (idToken) url.searchParams.set("id_token_hint", idToken);
      location.assign(url.href);
      return;
    }
  } catch {
    // The gateway is unreachable: the tokens are gone from this tab all the same.
  }
  location.assign("/");
}
