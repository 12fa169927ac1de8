/**
 * `npm run dlq:replay -- <group> [--dry-run] [--offset N]`: sends a consumer group's dead-lettered
 * messages (`lto.dlq.<group>`) back to the topic and partition each came from, once their cause is
 * fixed (docs/operations.md "Replaying a dead-lettered message"). A plain run sends what was parked
 * since the last one; `--offset N` sends that one message again; `--dry-run` lists them and sends nothing.
 * The group is the service's KAFKA_CONSUMER_GROUP (`lto-<service>` unless set, e.g. lto-adoption). Reads KAFKA_BROKERS and the KAFKA_SASL_* / KAFKA_SSL settings.
 */
import { parseArgs } from "node:util";
import { commonEnv, kafkaAuth, loadConfig } from "@lto/config";
import { createKafka, DlqReplayError, replayDeadLetters } from "@lto/messaging";
import { createLogger } from "@lto/telemetry";

const USAGE = "usage: npm run dlq:replay -- <group, e.g. lto-adoption> [--dry-run] [--offset N]";

function parsed() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { "dry-run": { type: "boolean", default: false }, offset: { type: "string" } },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}
const { values, positionals } = parsed();
if (positionals.length !== 1) {
  console.error(USAGE);
  process.exit(2);
}
const offset = values.offset === undefined ? undefined : Number(values.offset);
if (offset !== undefined && !(Number.isInteger(offset) && offset >= 0)) {
  console.error(
    `--offset must be a dead-letter offset (a whole number from 0), not "${values.offset}"\n${USAGE}`,
  );
  process.exit(2);
}
const group = positionals[0]!;

const config = loadConfig(
  commonEnv.pick({
    LOG_LEVEL: true,
    KAFKA_BROKERS: true,
    KAFKA_SASL_MECHANISM: true,
    KAFKA_SASL_USERNAME: true,
    KAFKA_SASL_PASSWORD: true,
    KAFKA_SSL: true,
  }),
);
const logger = createLogger("dlq-replay", { level: config.LOG_LEVEL });
const kafka = createKafka({
  clientId: "lto-dlq-replay",
  brokers: config.KAFKA_BROKERS,
  logger,
  ...kafkaAuth(config),
});

try {
  const report = await replayDeadLetters({
    kafka,
    group,
    logger,
    dryRun: values["dry-run"],
    ...(offset !== undefined ? { offset } : {}),
  });
  const verb = report.dryRun ? "would send again" : "sent again";
  if (report.messages.length === 0)
    console.log(`${report.dlqTopic}: nothing parked since the last replay (next offset ${report.mark})`);
  for (const m of report.messages)
    console.log(
      `${report.dlqTopic}@${m.offset} ${verb} to ${m.originalTopic}[${m.originalPartition}] (was offset ${m.originalOffset}): ${m.type ?? "?"} ${m.eventId ?? ""}\n    parked ${m.failedAt ?? "?"} for ${m.error}`,
    );
  if (!report.dryRun && report.messages.length > 0)
    console.log(
      offset === undefined
        ? `next plain run starts at offset ${report.mark}`
        : "the replay mark did not move (a single offset)",
    );
} catch (err) {
  console.error(err instanceof DlqReplayError ? err.message : err);
  process.exitCode = 1;
}
