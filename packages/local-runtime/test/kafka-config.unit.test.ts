import { describe, expect, it } from "vitest";
import {
  isValidClusterId,
  kafkaJvmArgs,
  newClusterId,
  parseHeap,
  parseMetaProperties,
  renderLog4jProperties,
  renderServerProperties,
} from "../src/kafka.js";

function parseProperties(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const i = line.indexOf("=");
    map.set(line.slice(0, i), line.slice(i + 1));
  }
  return map;
}

describe("renderServerProperties", () => {
  const props = parseProperties(
    renderServerProperties({ port: 19092, controllerPort: 19093, logDir: "/tmp/k/data" }),
  );

  it("describes one combined KRaft node on 127.0.0.1", () => {
    expect(props.get("process.roles")).toBe("broker,controller");
    expect(props.get("node.id")).toBe("1");
    expect(props.get("controller.quorum.voters")).toBe("1@127.0.0.1:19093");
    expect(props.get("listeners")).toBe("PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
    expect(props.get("advertised.listeners")).toBe("PLAINTEXT://127.0.0.1:19092");
    expect(props.get("inter.broker.listener.name")).toBe("PLAINTEXT");
    expect(props.get("controller.listener.names")).toBe("CONTROLLER");
    expect(props.get("listener.security.protocol.map")).toBe("CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    expect(props.get("log.dirs")).toBe("/tmp/k/data");
  });

  it("uses replication factor 1 everywhere and no initial rebalance delay", () => {
    expect(props.get("offsets.topic.replication.factor")).toBe("1");
    expect(props.get("transaction.state.log.replication.factor")).toBe("1");
    expect(props.get("transaction.state.log.min.isr")).toBe("1");
    expect(props.get("default.replication.factor")).toBe("1");
    expect(props.get("group.initial.rebalance.delay.ms")).toBe("0");
    expect(props.get("num.partitions")).toBe("3");
  });

  it("refuses a 0.0.0.0 controller address", () => {
    expect(() =>
      renderServerProperties({ port: 1, controllerPort: 2, logDir: "/x", host: "0.0.0.0" }),
    ).toThrow(/0\.0\.0\.0/);
  });

  it("has no duplicate keys", () => {
    const text = renderServerProperties({ port: 1, controllerPort: 2, logDir: "/x" });
    const keys = text
      .split("\n")
      .filter((l) => l && !l.startsWith("#"))
      .map((l) => l.split("=")[0]);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("log4j.properties", () => {
  it("sends everything to the console appender", () => {
    const text = renderLog4jProperties();
    expect(text).toMatch(/^log4j\.rootLogger=INFO, stdout$/m);
    expect(text).toMatch(/^log4j\.appender\.stdout=org\.apache\.log4j\.ConsoleAppender$/m);
  });
});

describe("cluster id", () => {
  it("is 16 random bytes in base64url (22 chars)", () => {
    for (let i = 0; i < 200; i++) {
      const id = newClusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(id, "base64url")).toHaveLength(16);
      expect(isValidClusterId(id)).toBe(true);
    }
  });

  it("never starts with '-' and is never the zero uuid", () => {
    const dash = Buffer.from("-".padEnd(22, "A"), "base64url"); // base64url that starts with '-'
    const sequence = [Buffer.alloc(16), dash, Buffer.alloc(16, 7)];
    const id = newClusterId(() => sequence.shift()!);
    expect(id).toBe(Buffer.alloc(16, 7).toString("base64url"));
  });

  it("rejects malformed ids", () => {
    expect(isValidClusterId("-AAAAAAAAAAAAAAAAAAAAA")).toBe(false);
    expect(isValidClusterId("short")).toBe(false);
    expect(isValidClusterId("AAAAAAAAAAAAAAAAAAAAA+")).toBe(false);
  });

  it("is read back from meta.properties", () => {
    expect(parseMetaProperties("#\nnode.id=1\ncluster.id=VU2vq2CD0tFAlT0yFlMzKQ\nversion=1\n")).toEqual({
      clusterId: "VU2vq2CD0tFAlT0yFlMzKQ",
    });
    expect(parseMetaProperties("version=1\n")).toEqual({});
  });
});

describe("heap", () => {
  it("accepts up to 1g", () => {
    expect(parseHeap("1g")).toBe(1024);
    expect(parseHeap("512m")).toBe(512);
    expect(parseHeap("1024M")).toBe(1024);
  });

  it("refuses more than 1g, too little, or garbage", () => {
    expect(() => parseHeap("2g")).toThrow(/between/);
    expect(() => parseHeap("1025m")).toThrow(/between/);
    expect(() => parseHeap("64m")).toThrow(/between/);
    expect(() => parseHeap("lots")).toThrow(/512m or 1g/);
  });

  it("caps the initial heap at 256m and sets the max", () => {
    const args = kafkaJvmArgs("512m", "/k/log4j.properties", "/libs");
    expect(args).toContain("-Xms256m");
    expect(args).toContain("-Xmx512m");
    expect(args).toContain("-Dlog4j.configuration=file:/k/log4j.properties");
    expect(args.slice(-2)).toEqual(["-cp", "/libs/*"]);
    expect(kafkaJvmArgs("128m", "/l", "/libs")).toContain("-Xms128m");
  });
});
