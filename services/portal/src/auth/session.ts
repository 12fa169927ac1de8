// The signed-in session: tokens live in this tab's sessionStorage only (gone when the tab closes, never
// in a cookie or localStorage). The claims shown (role, organisation, name) are read from the access
// token for display and routing; the services verify the token themselves on every call.

export type Role = "school" | "company" | "staff" | "programme" | "admin" | "learner" | "partner";
export const ROLES: readonly Role[] = [
  "school",
  "company",
  "staff",
  "programme",
  "admin",
  "learner",
  "partner",
];

export interface Claims {
  sub: string;
  role: Role;
  org?: string;
  sites?: string[];
  name?: string;
  exp?: number;
}

export interface Session {
  accessToken: string;
  idToken?: string;
  /** Epoch milliseconds after which the access token is no longer accepted. */
  expiresAt: number;
  claims: Claims;
}

export const SESSION_KEY = "lto.session";
const listeners = new Set<() => void>();

function base64UrlJson(segment: string): unknown {
  const base64 = segment.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** The claims of a JWT access token; undefined when it is not one the portal can use. */
export function claimsOf(accessToken: string): Claims | undefined {
  try {
    const payload = base64UrlJson(accessToken.split(".")[1] ?? "") as Partial<Claims>;
    if (typeof payload.sub !== "string" || !ROLES.includes(payload.role as Role)) return undefined;
    return payload as Claims;
  } catch {
    return undefined;
  }
}

let cached: { raw: string | null; session: Session | undefined } = { raw: null, session: undefined };

export function currentSession(): Session | undefined {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (raw !== cached.raw) {
    let session: Session | undefined;
    try {
      session = raw ? (JSON.parse(raw) as Session) : undefined;
    } catch {
      session = undefined;
    }
    cached = { raw, session };
  }
  const session = cached.session;
  return session && session.expiresAt > Date.now() ? session : undefined;
}

export function saveSession(tokens: { accessToken: string; idToken?: string; expiresIn?: number }): Session {
  const claims = claimsOf(tokens.accessToken);
  if (!claims) throw new Error("The access token does not carry a platform role");
  const expiresAt = tokens.expiresIn
    ? Date.now() + tokens.expiresIn * 1000
    : (claims.exp ?? Date.now() / 1000 + 300) * 1000;
  const session: Session = {
    accessToken: tokens.accessToken,
    ...(tokens.idToken ? { idToken: tokens.idToken } : {}),
    expiresAt,
    claims,
  };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  notify();
  return session;
}

export function clearSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
  notify();
}

function notify() {
  for (const listener of listeners) listener();
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => e.key === SESSION_KEY && listener();
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}
