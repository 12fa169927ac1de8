import { selfEmploymentV1 } from "@lto/contracts";
import { describe, expect, it } from "vitest";
import { toProtoOutcome } from "../../src/contract/index.js";
import { OUTCOME_CODES } from "../../src/domain/index.js";
import { toCsv } from "../../src/api/http/csv.js";

describe("the path contract", () => {
  it("maps every outcome code to its own Outcome value", () => {
    const values = OUTCOME_CODES.map(toProtoOutcome);
    expect(values).not.toContain(selfEmploymentV1.Outcome.OUTCOME_UNSPECIFIED);
    expect(new Set(values).size).toBe(OUTCOME_CODES.length);
    expect(toProtoOutcome("business_plan_redatto")).toBe(
      selfEmploymentV1.Outcome.OUTCOME_BUSINESS_PLAN_REDATTO,
    );
  });
});

describe("CSV (RFC 4180)", () => {
  it("quotes fields with commas, quotes or line breaks, ends lines with CRLF, writes numbers with a dot", () => {
    expect(
      toCsv(
        ["a", "b"],
        [
          ["x,y", 'say "hi"'],
          ["line\nbreak", 1.75],
          [null, true],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",1.75\r\n,si\r\n');
  });
});
