// The ports a hosted service binds: a gRPC server only when the service serves gRPC (a port bound for
// nothing is one more that can clash), and a port that cannot be bound fails start-up naming the port
// and the variable that chooses it, rather than a bare EADDRINUSE.
import { createServer, type Server } from "node:net";
import { loadConfig } from "@lto/config";
import { catalogueV1 } from "@lto/contracts";
import { checkHealth } from "@lto/grpc-kit";
import { freePort, testAuth, useTestDb, type TestAuth } from "@lto/testkit";
import { startTestService, type TestService } from "@lto/testkit/service";
import type * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  grpcService,
  hostedEnv,
  type GrpcService,
  type HostedConfig,
  type ServiceDefinition,
} from "../src/index.js";

/** Every method of `definition` answering with an error: only the server's binding matters here. */
function unimplemented(definition: grpc.ServiceDefinition): GrpcService {
  const handlers = Object.fromEntries(
    Object.keys(definition).map((method) => [
      method,
      async () => {
        throw new Error("not in this test");
      },
    ]),
  );
  return grpcService(definition, handlers as never);
}

function service(name: string, servesGrpc: boolean): ServiceDefinition<HostedConfig> {
  return {
    name,
    config: (env) =>
      loadConfig(
        hostedEnv({ name, httpPort: 0, ...(servesGrpc ? { grpcPort: 0 } : {}) }),
        env,
      ) as HostedConfig,
    topics: [],
    compose: ({ store }) => {
      store.aggregates<{ id: string; version: number }>({ name: "things" }); // a store has one at least
      return {
        routes: () => undefined,
        ...(servesGrpc ? { grpc: [unimplemented(catalogueV1.CatalogueServiceService)] } : {}),
      };
    },
  };
}

/** Holds `port` on 127.0.0.1 as another process would (an outgoing connection's local port, say). */
async function hold(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return server;
}

async function canBind(port: number): Promise<boolean> {
  try {
    const server = await hold(port);
    await new Promise((resolve) => server.close(resolve));
    return true;
  } catch {
    return false;
  }
}

const db = useTestDb({ prefix: "host_ports" });
let auth: TestAuth;
const held: Server[] = [];
const started: TestService[] = [];

beforeAll(async () => {
  auth = await testAuth();
});

afterAll(async () => {
  for (const s of started) await s.close();
  for (const s of held) await new Promise((resolve) => s.close(resolve));
  await auth?.close();
});

const start = async (name: string, servesGrpc: boolean, ports: { httpPort?: number; grpcPort?: number }) => {
  const svc = await startTestService(service(name, servesGrpc), {
    auth,
    dbName: db.dbName,
    keepData: true,
    env: { LOG_LEVEL: "silent" },
    ...ports,
  });
  started.push(svc);
  return svc;
};

describe("a service that serves no gRPC", () => {
  it("opens no gRPC server: its GRPC_PORT held by another process does not stop it, a free one stays free", async () => {
    const busy = await freePort();
    held.push(await hold(busy));
    const svc = await start("plain", false, { grpcPort: busy });
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
    expect(svc.running.grpc).toBeUndefined();
    expect(() => svc.grpcAddress).toThrow(/plain serves no gRPC/);

    const free = await freePort();
    const other = await start("plain", false, { grpcPort: free });
    expect(other.running.grpc).toBeUndefined();
    expect(await canBind(free)).toBe(true);
  });
});

describe("a port that cannot be bound", () => {
  it("a gRPC port in use fails start-up naming the port and GRPC_PORT, and what was opened is closed", async () => {
    const busy = await freePort();
    held.push(await hold(busy));
    const httpPort = await freePort();
    await expect(start("served", true, { grpcPort: busy, httpPort })).rejects.toThrow(
      `gRPC port ${busy} on 127.0.0.1 is in use (EADDRINUSE): set GRPC_PORT to a free port`,
    );
    // The HTTP server it had bound first was closed again.
    expect(await canBind(httpPort)).toBe(true);
  });

  it("an HTTP port in use fails start-up naming the port and HTTP_PORT", async () => {
    const busy = await freePort();
    held.push(await hold(busy));
    await expect(start("plain", false, { httpPort: busy })).rejects.toThrow(
      `HTTP port ${busy} on 127.0.0.1 is in use (EADDRINUSE): set HTTP_PORT to a free port`,
    );
  });

  it("the same service on free ports serves gRPC (health SERVING) where it says", async () => {
    const svc = await start("served", true, {});
    expect(svc.running.grpc?.port).toBeGreaterThan(0);
    expect(await checkHealth(svc.grpcAddress)).toBe("SERVING");
  });
});
