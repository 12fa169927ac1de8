// Italian texts of the notices (header link and page).
export const noticesIt = {
  "notices.nav": "Avvisi",
  "notices.unread": "da leggere",
  "notices.title": "I miei avvisi",
  "notices.unreadOnly": "Solo da leggere",
  "notices.markAll": "Segna tutti come letti",
  "notices.markRead": "Segna come letto",
  "notices.markOne": "Segna come letto: {title}",
  "notices.marking": "Aggiornamento in corso…",
  "notices.marked":
    "{marked, plural, =0 {Nessun avviso da segnare.} one {# avviso segnato come letto.} other {# avvisi segnati come letti.}}",
  "notices.none": "Nessun avviso.",
  "notices.new": "Nuovo",
  "notices.deadline": "Scadenza: {when}",
  "notices.open.enrolment": "Vai all'iscrizione",
  "notices.open.course": "Vai al corso",
  "notices.open.ideas": "Vai alle idee",
  "notices.open.bookings": "Vai alle prenotazioni",
} as const;
