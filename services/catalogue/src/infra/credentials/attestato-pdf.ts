// The Italian PDF "attestato": a printable view of one credential, made on the learner's request (so it
// may carry their name, which the credential itself never does), with a QR code to the verify page.
// pdf-lib draws it with the standard Helvetica fonts (WinAnsi): Italian accents are in that encoding;
// any other character is replaced by its nearest Latin letter or "?", so a name never breaks the PDF.

import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from "pdf-lib";
import QRCode from "qrcode";
import { ValidationError, type FieldIssue } from "@lto/errors";
import { isHttpUrl, italianDate, italianHours, type CredentialInput } from "../../domain/credential.js";

export interface AttestatoCompetence {
  frameworkName: string;
  frameworkVersion: string;
  code: string;
  name: string;
  level: string;
  levelName?: string;
}

export interface AttestatoInput {
  /** Printed only when the learner asks for it; otherwise the attestato names the credential's holder. */
  learnerName?: string;
  courseTitle: string;
  hours: number;
  competences: AttestatoCompetence[];
  issuedAt: Date;
  siteName: string;
  issuerName: string;
  credentialId: string;
  /** Where the QR code leads: the public page or endpoint that verifies this credential. */
  verifyUrl: string;
}

/** The attestato of a credential from the same input that built it. */
export function attestatoInputFrom(
  credential: CredentialInput,
  extra: { verifyUrl: string; learnerName?: string },
): AttestatoInput {
  return {
    ...(extra.learnerName === undefined ? {} : { learnerName: extra.learnerName }),
    courseTitle: credential.course.title,
    hours: credential.course.hours,
    competences: credential.alignments.map((a) => ({
      frameworkName: a.frameworkName,
      frameworkVersion: a.frameworkVersion,
      code: a.competenceCode,
      name: a.competenceName,
      level: a.level,
      ...(a.levelName === undefined ? {} : { levelName: a.levelName }),
    })),
    issuedAt: credential.issuedAt,
    siteName: credential.site.name,
    issuerName: credential.issuer.name,
    credentialId: credential.credentialId,
    verifyUrl: extra.verifyUrl,
  };
}

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

function check(input: AttestatoInput): void {
  const issues: FieldIssue[] = [];
  const text = (value: string | undefined, path: string, max: number) => {
    if (value === undefined || value.trim() === "") issues.push({ path, message: "must not be empty" });
    else if (value.length > max) issues.push({ path, message: `must be at most ${max} characters` });
  };
  if (input.learnerName !== undefined) text(input.learnerName, "learnerName", 200);
  text(input.courseTitle, "courseTitle", 200);
  text(input.siteName, "siteName", 200);
  text(input.issuerName, "issuerName", 200);
  text(input.credentialId, "credentialId", 200);
  if (!(Number.isFinite(input.hours) && input.hours > 0))
    issues.push({ path: "hours", message: "must be above 0" });
  if (Number.isNaN(input.issuedAt.getTime()))
    issues.push({ path: "issuedAt", message: "must be a valid date" });
  // A short URL keeps the QR code readable from paper and the block beside it on four lines.
  if (!isHttpUrl(input.verifyUrl) || input.verifyUrl.length > 300)
    issues.push({ path: "verifyUrl", message: "must be an http(s) URL of at most 300 characters" });
  if (input.competences.length === 0 || input.competences.length > 12)
    issues.push({ path: "competences", message: "must list 1 to 12 competences" });
  if (issues.length > 0)
    throw new ValidationError("The attestato cannot be made; fix the listed fields", issues);
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const INK = rgb(0.12, 0.12, 0.15);
const ACCENT = rgb(0.05, 0.3, 0.55);
const MUTED = rgb(0.4, 0.4, 0.45);

/** Splits text into lines no wider than `width`; a word longer than a line (a URL) is cut where it must. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
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

/** Draws lines top-down from `y`; past `bottom` it continues at the top of a new page. */
class Writer {
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

/** The attestato as PDF bytes. Throws ValidationError for bad input; never for an unusual character. */
export async function renderAttestato(input: AttestatoInput): Promise<Uint8Array> {
  check(input);
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Attestato - ${input.courseTitle}`);
  pdf.setSubject("Attestato di competenze digitali (Open Badges 3.0)");
  pdf.setAuthor(input.issuerName);
  pdf.setKeywords([
    input.credentialId,
    ...input.competences.map((c) => `${c.frameworkName} ${c.frameworkVersion} ${c.code}`),
  ]);
  pdf.setLanguage("it-IT");
  pdf.setCreator("LTO catalogue");
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  // Helvetica and Helvetica-Bold share the WinAnsi set; check against both all the same.
  const boldSet = new Set(bold.getCharacterSet());
  const supported = new Set(regular.getCharacterSet().filter((cp) => boldSet.has(cp)));

  const w = new Writer(pdf, pdf.addPage(A4), supported, MARGIN + 24);
  w.text(input.issuerName, bold, 13, { color: ACCENT });
  w.text(input.siteName, regular, 11, { color: MUTED, gap: 36 });
  w.text("Attestato di competenze digitali", bold, 26, { gap: 28 });

  if (input.learnerName === undefined) {
    w.text("Si attesta che il titolare della credenziale digitale indicata in calce", regular, 12, {
      gap: 10,
    });
  } else {
    w.text("Si attesta che", regular, 12, { gap: 6 });
    w.text(input.learnerName, bold, 18, { gap: 10 });
  }
  w.text("ha completato il corso", regular, 12, { gap: 6 });
  w.text(input.courseTitle, bold, 16, { gap: 6 });
  w.text(`della durata di ${italianHours(input.hours)}, raggiungendo le competenze:`, regular, 12, {
    gap: 12,
  });
  for (const c of input.competences) {
    const level = c.levelName === undefined ? `livello ${c.level}` : `livello ${c.level} (${c.levelName})`;
    w.text(`${c.frameworkName} ${c.frameworkVersion} · ${c.code} ${c.name} — ${level}`, regular, 11, {
      x: MARGIN + 14,
      gap: 4,
    });
  }
  w.y -= 18;
  w.text(`Rilasciato il ${italianDate(input.issuedAt)} presso ${input.siteName}.`, regular, 12, { gap: 0 });

  // The verification block sits at the foot of the last page, on a page of its own if the text reached it.
  const qrSize = 128;
  const qrY = MARGIN + 40;
  if (w.y < qrY + qrSize + 24) w.newPage();
  const page = w.page;
  const qrPng = await QRCode.toBuffer(input.verifyUrl, {
    type: "png",
    errorCorrectionLevel: "M",
    margin: 2,
    scale: 6,
  });
  page.drawImage(await pdf.embedPng(qrPng), { x: MARGIN, y: qrY, width: qrSize, height: qrSize });
  const side = new Writer(pdf, page, supported);
  side.y = qrY + qrSize;
  const x = MARGIN + qrSize + 16;
  side.text("Verifica l'autenticità", bold, 11, { x, gap: 4 });
  side.text("Inquadra il codice QR o apri l'indirizzo:", regular, 9, { x, gap: 2 });
  side.text(input.verifyUrl, regular, 8, { x, color: ACCENT, gap: 8 });
  side.text("Identificativo della credenziale:", regular, 9, { x, gap: 2 });
  side.text(input.credentialId, regular, 8, { x, color: MUTED });

  const footer = new Writer(pdf, page, supported, 0);
  footer.y = MARGIN;
  footer.text(
    "Questo attestato riproduce una credenziale digitale Open Badges 3.0 firmata dall'ente emittente: fa fede la verifica della credenziale.",
    regular,
    7.5,
    { color: MUTED },
  );
  return pdf.save();
}
