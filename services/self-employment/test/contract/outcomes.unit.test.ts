import { selfEmploymentV1 } from "@lto/contracts";
import { slugOf } from "@lto/reference";
import { describe, expect, it } from "vitest";
import { OUTCOME_CODES } from "../../src/domain/index.js";

describe("the contract's outcomes", () => {
  it("are the path's outcome codes, one enum value each (OUTCOME_<CODE>)", () => {
    const values = Object.values(selfEmploymentV1.Outcome).filter(
      (v) => v !== "OUTCOME_UNSPECIFIED" && v !== "UNRECOGNIZED",
    );
    expect(values.map((v) => slugOf(v, "OUTCOME_", OUTCOME_CODES))).toEqual(OUTCOME_CODES);
  });
});
