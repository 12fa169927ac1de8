// The Italian PDF "attestato": a printable view of one credential, made on the learner's request (so it
// may carry their name, which the credential itself never does), with a QR code to the verify page.
// @lto/pdf draws it with the standard Helvetica fonts (WinAnsi): Italian accents are in that encoding;
// any other character is replaced by its nearest Latin letter or "?", so a name never breaks the PDF.

import { PDFDocument } from "pdf-lib";
import { ACCENT, A4, MARGIN, MUTED, standardFonts, Writer } from "@lto/pdf";
import QRCode from "qrcode";
import { ValidationError, type FieldIssue } from "@lto/errors";
import { isHttpUrl, italianDate, italianHours, type CredentialInput } from "../../domain/credential.js";

// The text helpers are @lto/pdf's (shared with the self-employment evidence pack).
export { fontSafeText } from "@lto/pdf";

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
  const { regular, bold, supported } = await standardFonts(pdf);

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
