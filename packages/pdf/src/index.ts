// What the platform's printable PDFs share (the catalogue's attestato, the self-employment evidence
// pack): pdf-lib with the standard Helvetica fonts (WinAnsi), text made drawable whatever its
// characters (Italian accents are in the set; any other character becomes its nearest Latin letter or
// "?", so a name never breaks a PDF), and a writer that wraps lines and flows onto new A4 pages.
import { rgb, StandardFonts, type PDFDocument, type PDFFont, type PDFPage } from "pdf-lib";

export const A4: [number, number] = [595.28, 841.89];
export const MARGIN = 56;
export const INK = rgb(0.12, 0.12, 0.15);
export const ACCENT = rgb(0.05, 0.3, 0.55);
export const MUTED = rgb(0.4, 0.4, 0.45);

// Latin letters WinAnsi lacks whose decomposition does not help (NFD leaves them whole).
const NEAREST: Record<string, string> = {
  Ł: "L",
  ł: "l",
  Đ: "D",
  đ: "d",
  Ħ: "H",
  ħ: "h",
  ı: "i",
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2212": "-",
  "\u2032": "'",
  "\u2033": '"',
};

/**
 * The text as the font can draw it, on one line: whitespace runs become one space, a character outside
 * the font's set becomes its base letter (ș -> s), a known look-alike, or "?".
 */
export function fontSafeText(text: string, supported: ReadonlySet<number>): string {
  const out: string[] = [];
  for (const ch of text.normalize("NFC").replace(/\s+/gu, " ").trim()) {
    const cp = ch.codePointAt(0) as number;
    if (supported.has(cp)) {
      out.push(ch);
      continue;
    }
    const base = ch.normalize("NFD").replace(/\p{M}/gu, "");
    if (base !== "" && [...base].every((c) => supported.has(c.codePointAt(0) as number))) out.push(base);
    else {
      const near = NEAREST[ch];
      out.push(near !== undefined && supported.has(near.codePointAt(0) as number) ? near : "?");
    }
  }
  return out.join("");
}

/** Splits text into lines no wider than `width`; a word longer than a line (a URL) is cut where it must. */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width;
  for (const word of text.split(" ")) {
    const candidate = line === "" ? word : `${line} ${word}`;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line !== "") lines.push(line);
    line = "";
    let rest = word;
    while (!fits(rest)) {
      let cut = rest.length - 1;
      while (cut > 1 && !fits(rest.slice(0, cut))) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** Helvetica and Helvetica-Bold embedded, with the characters both can draw. */
export async function standardFonts(
  pdf: PDFDocument,
): Promise<{ regular: PDFFont; bold: PDFFont; supported: ReadonlySet<number> }> {
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  // They share the WinAnsi set; check against both all the same.
  const boldSet = new Set(bold.getCharacterSet());
  const supported = new Set(regular.getCharacterSet().filter((cp) => boldSet.has(cp)));
  return { regular, bold, supported };
}

/** Draws lines top-down from `y`; past `bottom` it continues at the top of a new page. */
export class Writer {
  y: number;
  constructor(
    private readonly pdf: PDFDocument,
    public page: PDFPage,
    private readonly supported: ReadonlySet<number>,
    private readonly bottom = MARGIN,
  ) {
    this.y = page.getHeight() - MARGIN;
  }

  newPage(): void {
    this.page = this.pdf.addPage(A4);
    this.y = this.page.getHeight() - MARGIN;
  }

  text(
    value: string,
    font: PDFFont,
    size: number,
    options: { color?: ReturnType<typeof rgb>; gap?: number; x?: number; width?: number } = {},
  ): void {
    const x = options.x ?? MARGIN;
    const width = options.width ?? this.page.getWidth() - x - MARGIN;
    for (const line of wrap(fontSafeText(value, this.supported), font, size, width)) {
      if (this.y - size * 1.25 < this.bottom) this.newPage();
      this.y -= size * 1.25;
      this.page.drawText(line, { x, y: this.y, size, font, color: options.color ?? INK });
    }
    this.y -= options.gap ?? 0;
  }
}
