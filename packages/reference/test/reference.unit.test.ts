import { describe, expect, it } from "vitest";
import { ECONOMIC_AREAS, isEconomicArea, isNeed, NEEDS, slugOf } from "../src/index.js";

describe("reference vocabularies", () => {
  it("turns a contract enum value into its slug, and nothing else", () => {
    expect(slugOf("ECONOMIC_AREA_SERVIZI_PERSONA", "ECONOMIC_AREA_", ECONOMIC_AREAS)).toBe("servizi_persona");
    expect(slugOf("NEED_FUNDING", "NEED_", NEEDS)).toBe("funding");
    expect(slugOf("ECONOMIC_AREA_UNSPECIFIED", "ECONOMIC_AREA_", ECONOMIC_AREAS)).toBeUndefined();
    expect(slugOf("UNRECOGNIZED", "ECONOMIC_AREA_", ECONOMIC_AREAS)).toBeUndefined();
    expect(slugOf("NEED_FUNDING", "ECONOMIC_AREA_", ECONOMIC_AREAS)).toBeUndefined();
  });

  it("knows its members", () => {
    expect(isEconomicArea("turismo")).toBe(true);
    expect(isEconomicArea("Turismo")).toBe(false);
    expect(isNeed("equipment")).toBe(true);
    expect(isNeed("money")).toBe(false);
  });
});
