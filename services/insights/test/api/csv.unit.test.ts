import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "../../src/api/http/csv.js";

describe("CSV", () => {
  it("writes a header row and one line per row, CRLF, in the columns' order", () => {
    expect(
      toCsv(
        ["a", "b"],
        [
          { b: 2, a: "x" },
          { a: "y", b: null },
        ],
      ),
    ).toBe("a,b\r\nx,2\r\ny,\r\n");
    expect(toCsv(["a"], [])).toBe("a\r\n");
  });

  it("keeps a dot as decimal separator and ISO dates as they are", () => {
    expect(csvCell(1.5)).toBe("1.5");
    expect(csvCell(0.125)).toBe("0.125");
    expect(csvCell("2030-10")).toBe("2030-10");
    expect(csvCell("2030/31")).toBe("2030/31");
  });

  it("quotes commas, quotes, line breaks and edge spaces; disarms formulas", () => {
    expect(csvCell('Bando "Futuro", Mantova')).toBe('"Bando ""Futuro"", Mantova"');
    expect(csvCell("due\nrighe")).toBe('"due\nrighe"');
    expect(csvCell(" spazio")).toBe('" spazio"');
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("-1+2")).toBe("'-1+2");
    expect(csvCell(-1)).toBe("-1");
    expect(csvCell("perché è così")).toBe("perché è così");
  });
});
