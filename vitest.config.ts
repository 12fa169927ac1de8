import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

// Two projects: unit tests (no I/O, run anywhere) and integration/end-to-end tests, which share one
// real Kafka broker and one MongoDB-compatible store started once by the testkit's global setup.
export default defineConfig({
  test: {
    // Integration files mostly wait on the broker and the store, so two run at once even on two cores
    // (vitest's default there is one): the whole run takes far less, and each file is isolated anyway
    // (its own databases, topics' keys and consumer groups).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: "unit",
          include: ["packages/*/test/**/*.unit.test.ts", "services/*/test/**/*.unit.test.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: [
            "packages/*/test/**/*.int.test.ts",
            "services/*/test/**/*.int.test.ts",
            "scripts/test/**/*.int.test.ts",
          ],
          // The fault suite (its own broker, store and seven service processes) runs on its own with
          // `npm run test:faults` until it passes whole every time (see bench/README.md).
          exclude: [
            ...configDefaults.exclude,
            ...(process.env.LTO_FAULTS === "1" ? [] : ["scripts/test/faults/**"]),
          ],
          globalSetup: ["packages/testkit/src/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
