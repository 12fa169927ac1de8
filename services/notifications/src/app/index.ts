import type { Logger } from "@lto/telemetry";
import { eventHandlers } from "./events.js";
import { notificationUseCases } from "./notifications.js";
import type { Ports } from "./ports.js";

export * from "./events.js";
export * from "./notifications.js";
export * from "./ports.js";

export function createApp(ports: Ports, log: Pick<Logger, "info" | "warn">) {
  return { notifications: notificationUseCases(ports), events: eventHandlers(ports, log) };
}

export type NotificationsApp = ReturnType<typeof createApp>;
