/** Where the shared test infrastructure came from. */
export type InfraSource = "env" | "testcontainers" | "local";

/** What the vitest global setup hands every integration test file (vitest provide/inject). */
export interface ProvidedInfra {
  /** host:port list for kafkajs. */
  kafkaBrokers: string[];
  /** MongoDB connection string without a database name. */
  mongoUrl: string;
  kafkaSource: InfraSource;
  mongoSource: InfraSource;
}

declare module "vitest" {
  export interface ProvidedContext {
    ltoInfra: ProvidedInfra;
  }
}

export const PROVIDE_KEY = "ltoInfra" as const;

/** "a:1, b:2" -> ["a:1", "b:2"] */
export function parseBrokers(value: string): string[] {
  return value
    .split(",")
    .map((b) => b.trim())
    .filter(Boolean);
}
