import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The fault suite (scripts/test/faults) is the longest file by far (its own broker, store and seven
 * service processes, about 7 minutes): started first, it runs beside the rest instead of after it.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isFaults = (f: TestSpecification) => f.moduleId.includes("/scripts/test/faults/");
    return [...sorted.filter(isFaults), ...sorted.filter((f) => !isFaults(f))];
  }
}

// Two projects: unit tests (no I/O, run anywhere) and integration/end-to-end tests, which share one
// real Kafka broker and one MongoDB-compatible store started once by the testkit's global setup.
export default defineConfig({
  test: {
    // Integration files mostly wait on the broker and the store, so two run at once even on two cores
    // (vitest's default there is one): the whole run takes far less, and each file is isolated anyway
    // (its own databases, topics' keys and consumer groups).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "packages/*/test/**/*.unit.test.ts",
            "services/*/test/**/*.unit.test.ts",
            "scripts/test/**/*.unit.test.ts",
          ],
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
          globalSetup: ["packages/testkit/src/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
