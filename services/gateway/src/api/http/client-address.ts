// The client's address for the rate limits. Behind N trusted proxies (a TLS terminator, a load
// balancer) the socket's peer is the nearest proxy: the client is the entry that the outermost trusted
// proxy appended to X-Forwarded-For. Entries further left are the client's own claims, never trusted.
import type { Request } from "express";

export function clientAddress(req: Request, trustedProxyHops: number): string {
  const peer = req.socket.remoteAddress ?? "unknown";
  if (trustedProxyHops <= 0) return peer;
  const forwarded = (req.get("x-forwarded-for") ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  return forwarded[forwarded.length - trustedProxyHops] ?? forwarded[0] ?? peer;
}
