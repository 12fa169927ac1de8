// The invitation mail, through the gateway's mail outbox (@lto/mail), in the invited person's language.
import type { MailOutbox } from "@lto/mail";
import type { Mailer } from "../app/index.js";

const date = (d: Date, locale: "it" | "en") =>
  d.toLocaleString(locale === "it" ? "it-IT" : "en-GB", {
    timeZone: "Europe/Rome",
    dateStyle: "long",
    timeStyle: "short",
  });

export function invitationMailer(outbox: MailOutbox): Mailer {
  return {
    async invitation(mail) {
      const it = mail.locale === "it";
      await outbox.enqueue({
        id: mail.id,
        to: [mail.to],
        // The one-time link must not stay readable in the store once the message has gone out.
        secret: true,
        subject: it ? "Il tuo invito a LTO Mantova" : "Your invitation to LTO Mantova",
        text: it
          ? `Gentile ${mail.displayName},\n\nsei stato invitato sulla piattaforma LTO Mantova. Per attivare il tuo account scegli una password da questo link (valido fino al ${date(mail.expiresAt, "it")}, utilizzabile una sola volta):\n\n${mail.link}\n\nSe non aspettavi questo invito, ignora questo messaggio.\n`
          : `Dear ${mail.displayName},\n\nyou have been invited to the LTO Mantova platform. To activate your account, choose a password at this link (valid until ${date(mail.expiresAt, "en")}, usable once):\n\n${mail.link}\n\nIf you did not expect this invitation, ignore this message.\n`,
      });
    },
  };
}
