// kafkajs's own lines (issue 7 item 21): conditions it retries by itself are debug, real trouble a
// short warning, never a dump of whole objects.
import { logLevel } from "kafkajs";
import { describe, expect, it } from "vitest";
import { isExpectedKafkaLog, kafkajsLogCreator } from "../src/index.js";

describe("kafkajs log lines", () => {
  it("retried conditions are expected; a broker that cannot be reached is not", () => {
    for (const entry of [
      {
        message: "[Connection] Response GroupCoordinator(key: 10, version: 2)",
        error: "The coordinator is loading and hence can't process requests for this group",
      },
      {
        message: "[Connection] Response Heartbeat(key: 12, version: 3)",
        error: "The group is rebalancing, so a rejoin is needed",
      },
      { message: "[Runner] The group is rebalancing, re-joining" },
      { message: "[Producer] Limiting retries for the idempotent producer may invalidate EoS guarantees" },
    ])
      expect(isExpectedKafkaLog(entry), entry.message).toBe(true);
    expect(
      isExpectedKafkaLog({
        message: "[BrokerPool] Failed to connect to seed broker",
        error: "Connection error: connect ECONNREFUSED 127.0.0.1:1",
      }),
    ).toBe(false);
  });

  it("writes expected ones at debug and others at warn, with short fields only", () => {
    const lines: { level: string; fields: Record<string, unknown>; msg: string }[] = [];
    const at = (level: string) => (fields: object, msg?: string) =>
      lines.push({ level, fields: fields as Record<string, unknown>, msg: msg ?? "" });
    const log = kafkajsLogCreator({
      debug: at("debug"),
      info: at("info"),
      warn: at("warn"),
      error: at("error"),
    } as never)(logLevel.WARN);
    const base = { namespace: "Connection", label: "ERROR", level: logLevel.ERROR };
    log({
      ...base,
      log: {
        timestamp: "t",
        message: "[Connection] Response Heartbeat",
        error: "The group is rebalancing, so a rejoin is needed",
        broker: "b:1",
        stack: "long\nstack",
        request: { big: "object" },
      },
    } as never);
    log({
      ...base,
      log: {
        timestamp: "t",
        message: "[Consumer] Crash: KafkaJSProtocolError: Not authorized",
        groupId: "g",
      },
    } as never);
    expect(lines.map((l) => l.level)).toEqual(["debug", "warn"]);
    expect(lines[0]!.fields).toEqual({
      kafkajs: "Connection",
      broker: "b:1",
      error: "The group is rebalancing, so a rejoin is needed",
    });
    expect(lines[1]!.msg).toBe("kafkajs: [Consumer] Crash: KafkaJSProtocolError: Not authorized");
  });
});
