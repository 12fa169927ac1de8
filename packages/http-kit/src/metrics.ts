import { collectDefaultMetrics, Histogram, register as globalRegistry, Registry } from "prom-client";

export interface HttpMetrics {
  registry: Registry;
  observe(method: string, route: string, status: number, seconds: number): void;
  /** Text exposition of the app registry followed by the extra registries (e.g. messaging's, global). */
  render(): Promise<{ contentType: string; body: string }>;
}

/**
 * One registry per app (tests run several apps in one process). Default process metrics go here;
 * packages that register on prom-client's global registry (messaging) are appended to the output,
 * so they must not collect default metrics themselves.
 */
export function createHttpMetrics(
  extraRegistries: Registry[] = [globalRegistry],
  service?: string,
): HttpMetrics {
  const registry = new Registry();
  // Every series of the app says which service it is, whatever the scraper calls the job.
  if (service) registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration by method, route template and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    observe: (method, route, status, seconds) =>
      duration.observe({ method, route, status: String(status) }, seconds),
    async render() {
      const parts = await Promise.all([registry, ...extraRegistries].map((r) => r.metrics()));
      return { contentType: registry.contentType, body: parts.filter((p) => p.trim() !== "").join("\n") };
    },
  };
}

/**
 * Labels the process-wide registry (the platform packages' metrics) with the service's name: only where
 * one process runs one service (its main), never in tests that run several services in one process.
 */
export function labelProcessMetrics(service: string): void {
  globalRegistry.setDefaultLabels({ service });
}
