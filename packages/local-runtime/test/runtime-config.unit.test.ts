import { describe, expect, it } from "vitest";
import { clientEnv, parseRuntimeConfig, RuntimeConfigError } from "../src/config.js";
import { ferretDbArgs, mongoUrlFor } from "../src/ferretdb.js";
import { postgresArgs, postgresUrlFor } from "../src/postgres.js";
import { pinnedModuleSum } from "../src/prepare.js";
import { parseGoVersion, parseJavaMajor } from "../src/tools.js";

const defaults = { root: "/repo", home: "/home/u", cwd: "/work" };

describe("parseRuntimeConfig", () => {
  it("has defaults under the repo and ~/.cache", () => {
    expect(parseRuntimeConfig({}, defaults)).toEqual({
      dataDir: "/repo/.data",
      cacheDir: "/home/u/.cache/lto",
      kafkaPort: 9092,
      kafkaControllerPort: 9093,
      mongoPort: 27017,
      postgresPort: 55432,
      kafkaHeap: "1g",
    });
  });

  it("reads every setting from the environment", () => {
    const config = parseRuntimeConfig(
      {
        LTO_DATA_DIR: "tmp/d",
        LTO_CACHE: "/c",
        KAFKA_PORT: "29092",
        KAFKA_CONTROLLER_PORT: "29093",
        MONGO_PORT: "37017",
        POSTGRES_PORT: "45432",
        KAFKA_HEAP: "512m",
      },
      defaults,
    );
    expect(config).toEqual({
      dataDir: "/work/tmp/d",
      cacheDir: "/c",
      kafkaPort: 29092,
      kafkaControllerPort: 29093,
      mongoPort: 37017,
      postgresPort: 45432,
      kafkaHeap: "512m",
    });
  });

  it("lists every bad variable in one error", () => {
    let error: unknown;
    try {
      parseRuntimeConfig({ KAFKA_PORT: "x", MONGO_PORT: "70000", KAFKA_HEAP: "4g" }, defaults);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RuntimeConfigError);
    const problems = (error as RuntimeConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.join("\n")).toMatch(/KAFKA_PORT/);
    expect(problems.join("\n")).toMatch(/MONGO_PORT/);
    expect(problems.join("\n")).toMatch(/KAFKA_HEAP/);
  });

  it("refuses two components on one port", () => {
    expect(() => parseRuntimeConfig({ KAFKA_CONTROLLER_PORT: "9092" }, defaults)).toThrow(
      /KAFKA_CONTROLLER_PORT: 9092 is also KAFKA_PORT/,
    );
  });

  it("prints the client settings", () => {
    expect(clientEnv("127.0.0.1:9092", "mongodb://127.0.0.1:27017/")).toEqual([
      "KAFKA_BROKERS=127.0.0.1:9092",
      "MONGO_URL=mongodb://127.0.0.1:27017/",
    ]);
  });
});

describe("ferretDbArgs", () => {
  it("runs SQLite on loopback without state dir, debug listener or telemetry", () => {
    expect(ferretDbArgs({ port: 27099, backend: { sqliteDir: "/d/sqlite" } })).toEqual([
      "--handler=sqlite",
      "--sqlite-url=file:/d/sqlite/",
      "--listen-addr=127.0.0.1:27099",
      "--state-dir=-",
      "--debug-addr=-",
      "--telemetry=disable",
    ]);
    expect(ferretDbArgs({ port: 1, backend: { sqliteDir: "/d/" }, logLevel: "warn" })).toContain(
      "--log-level=warn",
    );
    expect(mongoUrlFor(27099)).toBe("mongodb://127.0.0.1:27099/");
  });

  it("runs on PostgreSQL when given its URL", () => {
    const url = postgresUrlFor(55432);
    expect(url).toBe("postgres://postgres@127.0.0.1:55432/ferretdb");
    expect(ferretDbArgs({ port: 27099, backend: { postgresqlUrl: url } }).slice(0, 3)).toEqual([
      "--handler=postgresql",
      `--postgresql-url=${url}`,
      "--listen-addr=127.0.0.1:27099",
    ]);
  });
});

describe("postgresArgs", () => {
  it("listens on loopback TCP only; a throw-away cluster skips fsync", () => {
    const durable = postgresArgs({ pgdata: "/d/pg", port: 55432, durable: true });
    expect(durable.slice(0, 2)).toEqual(["-D", "/d/pg"]);
    expect(durable).toContain("listen_addresses=127.0.0.1");
    expect(durable).toContain("unix_socket_directories=");
    expect(durable).not.toContain("fsync=off");
    expect(postgresArgs({ pgdata: "/d/pg", port: 1, durable: false })).toContain("fsync=off");
  });
});

describe("tool versions", () => {
  it("parses java -version", () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('java version "1.8.0_392"')).toBe(8);
    expect(parseJavaMajor("nothing")).toBeUndefined();
  });

  it("parses go version", () => {
    expect(parseGoVersion("go version go1.26.8 linux/amd64")).toEqual([1, 26]);
    expect(parseGoVersion("go version go1.19.8 linux/amd64")).toEqual([1, 19]);
  });

  it("finds the pinned module hash in go.sum", () => {
    const sum = [
      "github.com/FerretDB/FerretDB v1.24.2 h1:trrUU0LbmusMbyubhPS1IELncvrIwKrsRT2LW1UUWCw=",
      "github.com/FerretDB/FerretDB v1.24.2/go.mod h1:2y/Y/C8kWg31vau3ap7Ugy7TcTK1jhMOklchFMMWSXY=",
    ].join("\n");
    expect(pinnedModuleSum(sum, "github.com/FerretDB/FerretDB", "v1.24.2")).toBe(
      "h1:trrUU0LbmusMbyubhPS1IELncvrIwKrsRT2LW1UUWCw=",
    );
    expect(pinnedModuleSum(sum, "github.com/FerretDB/FerretDB", "v1.24.1")).toBeUndefined();
  });
});
