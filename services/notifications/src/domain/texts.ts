// The notices' texts, Italian first, English second. Instants are shown in Rome time.
import type { DeclineReason, DeliveryKind } from "./facts.js";
import type { Locale, NoticeText } from "./notice.js";

type Texts = Record<Locale, NoticeText>;

const formats: Record<Locale, Intl.DateTimeFormat> = {
  it: new Intl.DateTimeFormat("it-IT", { timeZone: "Europe/Rome", dateStyle: "long", timeStyle: "short" }),
  en: new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Rome", dateStyle: "long", timeStyle: "short" }),
};

export function formatInstant(at: Date, locale: Locale): string {
  return formats[locale].format(at);
}

const both = (it: NoticeText, en: NoticeText): Texts => ({ it, en });
const withDetail = (text: string, detail: string) => (detail ? `${text} ${detail}` : text);

const DECLINED: Record<DeclineReason, { it: string; en: string }> = {
  declined_by_school: {
    it: "La scuola ha rifiutato la vostra offerta.",
    en: "The school declined your offer.",
  },
  another_offer_accepted: {
    it: "La scuola ha accettato l'offerta di un'altra azienda per questa idea.",
    en: "The school accepted another company's offer for this idea.",
  },
  idea_withdrawn: { it: "La scuola ha ritirato l'idea.", en: "The school withdrew the idea." },
  withdrawn_by_company: { it: "L'offerta è stata ritirata.", en: "The offer was withdrawn." },
  idea_not_adoptable: {
    it: "L'idea non è più adottabile (per esempio è finita la fase di adozione).",
    en: "The idea can no longer be adopted (for example, the adoption phase ended).",
  },
  unspecified: { it: "L'offerta è stata chiusa.", en: "The offer was closed." },
};

const DELIVERIES: Record<DeliveryKind, { it: string; en: string }> = {
  kickoff: { it: "l'incontro di avvio", en: "the kick-off meeting" },
  mentoring: { it: "un incontro di mentoring", en: "a mentoring session" },
  internship: { it: "un tirocinio", en: "an internship" },
  funding: { it: "un finanziamento", en: "a disbursement" },
  equipment: { it: "una fornitura di attrezzature", en: "a delivery of equipment" },
  unspecified: { it: "una consegna", en: "a delivery" },
};

/** "2026-03-02" as a day in each language (a calendar date: no time zone to apply). */
function day(date: string, locale: Locale): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  return new Intl.DateTimeFormat(locale === "it" ? "it-IT" : "en-GB", {
    dateStyle: "long",
    timeZone: "UTC",
  }).format(new Date(`${date}T00:00:00Z`));
}

const student = (pseudonym: string | undefined, locale: Locale) =>
  pseudonym ? (locale === "it" ? ` (studente ${pseudonym})` : ` (student ${pseudonym})`) : "";

export const texts = {
  offerReceived: (companyName: string): Texts =>
    both(
      {
        title: "Nuova offerta di adozione",
        body: `${companyName} ha offerto di adottare un'idea della vostra scuola. Leggete gli impegni e accettate o rifiutate l'offerta.`,
      },
      {
        title: "New adoption offer",
        body: `${companyName} offered to adopt one of your school's ideas. Read its commitments, then accept or decline the offer.`,
      },
    ),
  offerAccepted: (): Texts =>
    both(
      {
        title: "Offerta accettata",
        body: "La scuola ha accettato la vostra offerta: ora avete il team in carico. Registrate gli impegni man mano che li mantenete.",
      },
      {
        title: "Offer accepted",
        body: "The school accepted your offer: the team is now in your charge. Log your commitments as you deliver them.",
      },
    ),
  offerDeclined: (reason: DeclineReason, detail: string): Texts =>
    both(
      { title: "Offerta non accettata", body: withDetail(DECLINED[reason].it, detail) },
      { title: "Offer not accepted", body: withDetail(DECLINED[reason].en, detail) },
    ),
  offerWithdrawn: (detail: string): Texts =>
    both(
      {
        title: "Offerta ritirata",
        body: withDetail("L'azienda ha ritirato la sua offerta di adozione.", detail),
      },
      { title: "Offer withdrawn", body: withDetail("The company withdrew its adoption offer.", detail) },
    ),
  holdExpiring: (expiresAt: Date): Texts =>
    both(
      {
        title: "Prenotazione dell'idea in scadenza",
        body: `La vostra prenotazione dell'idea scade il ${formatInstant(expiresAt, "it")}. Presentate un'offerta prima di allora, o l'idea tornerà disponibile ad altre aziende.`,
      },
      {
        title: "Hold on the idea about to lapse",
        body: `Your hold on the idea lapses on ${formatInstant(expiresAt, "en")}. Make an offer before then, or the idea becomes available to other companies again.`,
      },
    ),
  deliveryToConfirm: (kind: DeliveryKind, deliveredOn: string): Texts =>
    both(
      {
        title: "Impegno da confermare",
        body: `L'azienda ha registrato ${DELIVERIES[kind].it}${deliveredOn ? ` del ${day(deliveredOn, "it")}` : ""}. Confermatelo o contestatelo: solo ciò che confermate conta per l'adozione e per le ore PCTO.`,
      },
      {
        title: "Commitment to confirm",
        body: `The company logged ${DELIVERIES[kind].en}${deliveredOn ? ` on ${day(deliveredOn, "en")}` : ""}. Confirm or dispute it: only what you confirm counts towards the adoption and PCTO hours.`,
      },
    ),
  seatOffered: (expiresAt: Date, pseudonym?: string): Texts =>
    both(
      {
        title: "Un posto si è liberato",
        body: `Si è liberato un posto nel corso${student(pseudonym, "it")}. Confermatelo entro il ${formatInstant(expiresAt, "it")}, poi passerà al prossimo in lista.`,
      },
      {
        title: "A seat is free",
        body: `A seat in the course is free${student(pseudonym, "en")}. Take it by ${formatInstant(expiresAt, "en")}, after which it goes to the next person waiting.`,
      },
    ),
  sessionCancelled: (reason: string, pseudonym?: string): Texts =>
    both(
      {
        title: "Edizione del corso annullata",
        body: withDetail(`L'edizione del corso${student(pseudonym, "it")} non si terrà.`, reason),
      },
      {
        title: "Course session cancelled",
        body: withDetail(`The course session${student(pseudonym, "en")} will not run.`, reason),
      },
    ),
  bookingRescheduled: (from: Date, to: Date): Texts =>
    both(
      {
        title: "Appuntamento spostato",
        body: `L'appuntamento del ${formatInstant(from, "it")} è stato spostato al ${formatInstant(to, "it")}.`,
      },
      {
        title: "Appointment moved",
        body: `The appointment on ${formatInstant(from, "en")} was moved to ${formatInstant(to, "en")}.`,
      },
    ),
  bookingCancelled: (startsAt: Date, reason: string): Texts =>
    both(
      {
        title: "Appuntamento annullato",
        body: withDetail(`L'appuntamento del ${formatInstant(startsAt, "it")} è stato annullato.`, reason),
      },
      {
        title: "Appointment cancelled",
        body: withDetail(`The appointment on ${formatInstant(startsAt, "en")} was cancelled.`, reason),
      },
    ),
};
