// The evidence pack's PDF for funders' checks: a path's timesheet (one block per delivery: day, times,
// service, hours, outcome, operator, and who confirmed it for the person's side), with the totals of
// hours delivered and signed. The holder is named by their pseudonymous id, as everywhere outside
// the person record. Drawn with @lto/pdf (shared with the catalogue's attestato).
import { A4, ACCENT, MARGIN, MUTED, standardFonts, Writer } from "@lto/pdf";
import { PDFDocument } from "pdf-lib";
import type { EvidencePack } from "../app/index.js";

const hours = (h: number) => `${Number(h.toFixed(2))} h`;
const italianDay = (d: string) => d.split("-").reverse().join("/");

export async function renderEvidencePack(pack: EvidencePack): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Foglio presenze - percorso ${pack.pathId}`);
  pdf.setSubject("Evidenze delle ore erogate per i controlli dei finanziatori");
  pdf.setLanguage("it-IT");
  pdf.setCreator("LTO self-employment");
  // A fixed date keeps the same pack the same bytes (pdf-lib stamps now otherwise).
  pdf.setCreationDate(pack.madeAt);
  pdf.setModificationDate(pack.madeAt);
  const { regular, bold, supported } = await standardFonts(pdf);
  const w = new Writer(pdf, pdf.addPage(A4), supported);
  w.text(pack.siteName, bold, 13, { color: ACCENT });
  w.text(`Finanziatore del percorso: ${pack.funder}`, regular, 10, { color: MUTED, gap: 20 });
  w.text("Foglio presenze", bold, 22, { gap: 8 });
  w.text(`Percorso ${pack.pathId} - titolare ${pack.holderId}`, regular, 10, { gap: 4 });
  w.text(
    `Ore erogate: ${hours(pack.deliveredHours)}; firmate da entrambe le parti: ${hours(pack.signedHours)}; erogazioni: ${pack.lines.length}`,
    bold,
    11,
    { gap: 16 },
  );
  if (pack.lines.length === 0) w.text("Nessuna erogazione registrata.", regular, 11);
  for (const l of pack.lines) {
    if (w.y < MARGIN + 80) w.newPage();
    const end = l.endDate === l.date ? l.end : `${italianDay(l.endDate)} ${l.end}`;
    w.text(`${italianDay(l.date)} ${l.start}-${end}  ${l.serviceNameIt}`, bold, 11, { gap: 2 });
    w.text(
      `${hours(l.hours)} (${l.minutes} min) - esito: ${l.outcomeIt} - sede ${l.site} - operatore ${l.operatorId} - finanziatore ${l.funder}`,
      regular,
      9,
      { x: MARGIN + 12, gap: 2 },
    );
    if (l.notes) w.text(`Note: ${l.notes}`, regular, 9, { x: MARGIN + 12, gap: 2 });
    w.text(
      l.signed
        ? `Firmato: operatore e ${l.confirmedAs === "person" ? "persona" : "referente scolastico"} (${l.confirmedBy}, ${l.confirmedAt?.toISOString()})`
        : "Non ancora confermato dalla persona (o dal referente)",
      regular,
      9,
      { x: MARGIN + 12, color: l.signed ? ACCENT : MUTED, gap: 2 },
    );
    if (l.corrected)
      w.text(`Revisione ${l.revision}: corretta dopo la prima registrazione`, regular, 8, {
        x: MARGIN + 12,
        color: MUTED,
      });
    w.y -= 8;
  }
  w.y -= 10;
  w.text(`Prodotto il ${pack.madeAt.toISOString()}`, regular, 8, { color: MUTED });
  return pdf.save();
}
