import { describe, expect, it } from "vitest";
import { testDbName, uniqueGroupId, uniqueId, uniqueTopic } from "../src/index.js";

describe("names for parallel test files", () => {
  it("makes database names valid on MongoDB and FerretDB", () => {
    const names = new Set<string>();
    for (let i = 0; i < 100; i++)
      names.add(testDbName("Ideas Repo/âccents & more-stuff that is long enough to be cut"));
    expect(names.size).toBe(100);
    for (const name of names) {
      expect(name).toMatch(/^t_[a-z0-9_]+$/);
      expect(name.length).toBeLessThanOrEqual(63);
    }
  });

  it("names the database after the test file by default", () => {
    expect(testDbName()).toMatch(/^t_names_[a-z0-9]+$/);
  });

  it("makes unique ids, topics and group ids with Kafka-safe characters", () => {
    expect(uniqueId("order")).toMatch(/^order-[a-z0-9]+$/);
    expect(uniqueId("a b")).toMatch(/^a-b-/);
    expect(uniqueId("x")).not.toBe(uniqueId("x"));
    expect(uniqueTopic("ideas")).toMatch(/^test\.ideas\.[a-z0-9]+$/);
    expect(uniqueGroupId()).toMatch(/^test-names-[a-z0-9]+$/);
    expect(uniqueGroupId("relay")).toMatch(/^test-relay-/);
  });
});
