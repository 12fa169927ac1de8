import jsQRModule from "jsqr";
import {
  decodePDFRawStream,
  PDFArray,
  PDFDocument,
  PDFName,
  type PDFNumber,
  PDFRawStream,
  StandardFonts,
  type PDFPage,
} from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "@lto/errors";
import {
  attestatoInputFrom,
  fontSafeText,
  renderAttestato,
  type AttestatoInput,
} from "../../src/infra/credentials/attestato-pdf.js";
import { aCredentialInput } from "./credentials-fixtures.js";

// jsqr is a CommonJS bundle whose function sits on `default` under Node's ESM interop.
const jsQR = jsQRModule.default;

const VERIFY_URL =
  "https://lto.example.it/v1/credentials/urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e/verify";

function anInput(overrides: Partial<AttestatoInput> = {}): AttestatoInput {
  return {
    ...attestatoInputFrom(aCredentialInput(), { verifyUrl: VERIFY_URL, learnerName: "Nicolò Bertè" }),
    ...overrides,
  };
}

/** The page's drawing operators, decompressed. */
function contentOf(page: PDFPage): string {
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray() : [contents];
  return streams
    .map((ref) => page.doc.context.lookup(ref as never))
    .map((s) => Buffer.from(decodePDFRawStream(s as PDFRawStream).decode()).toString("latin1"))
    .join("\n");
}

/** How a line is drawn by a standard font: the hex of its WinAnsi bytes ("·" is B7, "—" is 97). */
const hex = (text: string) =>
  Buffer.from(text.replace("—", "\u0097"), "latin1").toString("hex").toUpperCase();
const drawn = (line: string) => `<${hex(line)}>`;
/** A line that starts with the text (the rest wrapped or not). */
const drawnStart = (text: string) => `<${hex(text)}`;

/** The text lines of a page with their position. */
function linesOf(content: string): { x: number; y: number; text: string }[] {
  return [...content.matchAll(/1 0 0 1 ([\d.]+) ([\d.]+) Tm\s+<([0-9A-F]*)> Tj/g)].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
    text: Buffer.from(m[3]!, "hex").toString("latin1"),
  }));
}

/** No line of the left column runs into the QR code (drawn at x 56..184, y 96..224) on its page. */
function clearOfQr(content: string): void {
  expect(content).toMatch(
    /1 0 0 1 56 96 cm\s+1 0 0 1 0 0 cm\s+128 0 0 128 0 0 cm\s+1 0 0 1 0 0 cm\s+\/Image-\d+ Do/,
  );
  const clash = linesOf(content).filter((l) => l.x < 184 && l.y > 90 && l.y < 230);
  expect(clash).toEqual([]);
}

/** Decodes every image of the document as a QR code (pdf-lib stores PNGs as raw RGB, Flate-compressed). */
function qrCodesIn(pdf: PDFDocument): string[] {
  const found: string[] = [];
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream) || object.dict.get(PDFName.of("Subtype")) !== PDFName.of("Image"))
      continue;
    if (object.dict.get(PDFName.of("ColorSpace")) !== PDFName.of("DeviceRGB")) continue;
    const width = (object.dict.get(PDFName.of("Width")) as PDFNumber).asNumber();
    const height = (object.dict.get(PDFName.of("Height")) as PDFNumber).asNumber();
    const rgbBytes = decodePDFRawStream(object).decode();
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      rgba.set([rgbBytes[i * 3]!, rgbBytes[i * 3 + 1]!, rgbBytes[i * 3 + 2]!, 255], i * 4);
    }
    const code = jsQR(rgba, width, height);
    if (code !== null) found.push(code.data);
  }
  return found;
}

describe("renderAttestato", () => {
  let bytes: Uint8Array;
  let pdf: PDFDocument;

  beforeAll(async () => {
    bytes = await renderAttestato(anInput());
    pdf = await PDFDocument.load(bytes);
  });

  it("is a one-page PDF titled after the course, in Italian", () => {
    expect(Buffer.from(bytes.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getTitle()).toBe("Attestato - Cittadinanza digitale: identità e servizi pubblici");
    expect(pdf.getAuthor()).toBe("LTO Mantova");
    expect(pdf.getKeywords()).toContain("urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e");
    expect(pdf.catalog.get(PDFName.of("Lang"))?.toString()).toContain("it-IT");
  });

  it("prints the learner, course, hours, competence and level, date in Europe/Rome, site and credential id", () => {
    const content = contentOf(pdf.getPage(0));
    for (const line of [
      "Nicolò Bertè",
      "Cittadinanza digitale: identità e servizi pubblici",
      "della durata di 20 ore, raggiungendo le competenze:",
      // issued 2026-03-29T08:30Z: 29/03/2026 in Rome
      "Rilasciato il 29/03/2026 presso LTO Mantova Centro.",
      "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e",
      VERIFY_URL.slice(0, 40),
    ]) {
      expect(content, line).toContain(line === VERIFY_URL.slice(0, 40) ? drawnStart(line) : drawn(line));
    }
    // the competence line wraps after the level's number
    expect(content).toContain(
      drawnStart(
        "DigComp 2.2 · 2.3 Esercitare la cittadinanza attraverso le tecnologie digitali — livello 4",
      ),
    );
    expect(content).toContain(drawn("(Intermedio)"));
  });

  it("carries a QR code that decodes to the verify URL, clear of the text", () => {
    expect(qrCodesIn(pdf)).toEqual([VERIFY_URL]);
    clearOfQr(contentOf(pdf.getPage(0)));
    expect(linesOf(contentOf(pdf.getPage(0))).length).toBeGreaterThan(15);
  });

  it("draws Italian accents à è é ì ò ù as themselves", async () => {
    const doc = await PDFDocument.load(await renderAttestato(anInput({ learnerName: "àèéìòù ÀÈÉÌÒÙ" })));
    const content = contentOf(doc.getPage(0));
    expect(content).toContain("<E0E8E9ECF2F920C0C8C9CCD2D9>");
  });

  it("leaves the name out when the learner did not ask for it", async () => {
    const { learnerName: _n, ...anonymous } = anInput();
    const doc = await PDFDocument.load(await renderAttestato(anonymous));
    const content = contentOf(doc.getPage(0));
    expect(content).not.toContain(drawn("Nicolò Bertè"));
    expect(content).toContain(
      drawn("Si attesta che il titolare della credenziale digitale indicata in calce"),
    );
  });

  it("does not break on characters the font cannot draw: it replaces them", async () => {
    const doc = await PDFDocument.load(
      await renderAttestato(
        anInput({ learnerName: "Zoë Łukasz Ștefan 王芳 😀", courseTitle: "Excel → Python" }),
      ),
    );
    const content = contentOf(doc.getPage(0));
    expect(content).toContain(drawn("Zoë Lukasz Stefan ?? ?"));
    expect(content).toContain(drawn("Excel ? Python"));
    expect(qrCodesIn(doc)).toEqual([VERIFY_URL]);
  });

  it("wraps a long title and continues on a second page when the competences do not fit", async () => {
    const base = anInput().competences[0]!;
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ ...base, code: `${(i % 5) + 1}.${i + 1}` }));
    const title = "Competenze digitali per la didattica: ".repeat(5).trim();
    const four = await PDFDocument.load(
      await renderAttestato(anInput({ courseTitle: title, competences: many(4) })),
    );
    expect(four.getPageCount()).toBe(1);
    clearOfQr(contentOf(four.getPage(0)));
    // eight end where the QR code goes: the verification block moves to a page of its own
    const eight = await PDFDocument.load(
      await renderAttestato(anInput({ courseTitle: title, competences: many(8) })),
    );
    expect(eight.getPageCount()).toBe(2);
    expect(linesOf(contentOf(eight.getPage(0))).some((l) => l.y < 230 && l.y > 90)).toBe(true);
    clearOfQr(contentOf(eight.getPage(1)));
    const twelve = await PDFDocument.load(
      await renderAttestato(anInput({ courseTitle: title, competences: many(12) })),
    );
    expect(twelve.getPageCount()).toBe(2);
    const text = contentOf(twelve.getPage(0)) + contentOf(twelve.getPage(1));
    for (let i = 0; i < 12; i++) expect(text).toContain(drawnStart(`DigComp 2.2 · ${(i % 5) + 1}.${i + 1} `));
    expect(contentOf(twelve.getPage(1))).toContain(drawn("Verifica l'autenticità"));
    clearOfQr(contentOf(twelve.getPage(1)));
    expect(qrCodesIn(twelve)).toEqual([VERIFY_URL]);
  });

  it("refuses bad input naming the fields", async () => {
    const error = await renderAttestato(
      anInput({ verifyUrl: "javascript:alert(1)", competences: [], courseTitle: " ", hours: -1 }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual([
      "courseTitle",
      "hours",
      "verifyUrl",
      "competences",
    ]);
  });
});

describe("fontSafeText", () => {
  it("keeps what Helvetica draws, folds accents it lacks, replaces the rest", async () => {
    const doc = await PDFDocument.create();
    const set = new Set((await doc.embedFont(StandardFonts.Helvetica)).getCharacterSet());
    expect(fontSafeText("Perché più così? L'Aquila – “già”…", set)).toBe(
      "Perché più così? L'Aquila – “già”…",
    );
    expect(fontSafeText("Ștefan Đorđe Łódź", set)).toBe("Stefan Dorde Lódz");
    expect(fontSafeText("王 😀 ∑", set)).toBe("? ? ?");
    expect(fontSafeText("  riga\nnuova\t tab  ", set)).toBe("riga nuova tab");
  });
});
