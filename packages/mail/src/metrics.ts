// Prometheus counter of the mail outbox, on prom-client's default registry (what /metrics serves).
// Created once per process however many outboxes run.
import { Counter, register } from "prom-client";

export type MailOutcome = "enqueued" | "duplicate" | "cancelled" | "sent" | "retried" | "failed";

export const mailMetrics = {
  get messages(): Counter<"outcome"> {
    return (
      (register.getSingleMetric("lto_mail_messages_total") as Counter<"outcome"> | undefined) ??
      new Counter({
        name: "lto_mail_messages_total",
        help: "Mail outbox messages by outcome (enqueued, duplicate, cancelled, sent, retried, failed)",
        labelNames: ["outcome"],
      })
    );
  },
};
