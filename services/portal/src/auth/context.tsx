// The session as React state: components re-render when the user signs in or out (also in another tab).
import { useSyncExternalStore } from "react";
import { currentSession, subscribeSession, type Session } from "./session.js";

export function useSession(): Session | undefined {
  return useSyncExternalStore(subscribeSession, currentSession);
}
