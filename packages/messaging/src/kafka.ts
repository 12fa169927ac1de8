// The one way a service makes its Kafka client and checks the broker for /readyz.
import { quietKafkajsTimeoutWarning } from "@lto/telemetry/warnings";
import { Kafka, logLevel } from "kafkajs";

export interface CreateKafkaOptions {
  clientId: string;
  brokers: readonly string[];
  /** kafkajs's own logging (default WARN: its INFO lines are per connection). */
  logLevel?: logLevel;
}

export function createKafka(opts: CreateKafkaOptions): Kafka {
  quietKafkajsTimeoutWarning();
  return new Kafka({
    clientId: opts.clientId,
    brokers: [...opts.brokers],
    logLevel: opts.logLevel ?? logLevel.WARN,
  });
}

/** Readiness check: the broker accepts an admin connection. */
export function brokerReadiness(kafka: Kafka): () => Promise<void> {
  return async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.disconnect();
  };
}
