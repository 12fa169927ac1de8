import { describe, expect, it } from "vitest";
import { searchTokens } from "../../src/app/search.js";

describe("search tokens", () => {
  it("lower-cases, drops accents and punctuation, keeps each word once", () => {
    expect(searchTokens("Città d'arte: la Città più VERDE, 4.0!")).toEqual([
      "citta",
      "arte",
      "la",
      "piu",
      "verde",
    ]);
  });
});
