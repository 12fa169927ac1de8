import { createServer } from "node:net";
import { Writable } from "node:stream";
import { SpanKind } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Identity } from "@lto/auth";
import { ideasV1 } from "@lto/contracts";
import {
  ConflictError,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
} from "@lto/errors";
import { createLogger, inSpan, startTestTelemetry, traceFields, type TestTelemetry } from "@lto/telemetry";
import {
  checkHealth,
  createGrpcClient,
  createGrpcServer,
  type CallContext,
  type GrpcServer,
  type UnaryHandlers,
} from "../src/index.js";

const { IdeasServiceClient, IdeasServiceService, CheckAdoptableResponse, GetIdeaResponse } = ideasV1;
type Service = typeof IdeasServiceService;

const logLines: Record<string, unknown>[] = [];
const logger = createLogger("grpc-kit-test", {
  level: "debug",
  destination: new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  }),
});

const identity: Identity = {
  subject: "u-1",
  role: "company",
  organisationId: "org-9",
  sites: [],
  token: "good-token",
};
async function authenticate(header: string | undefined): Promise<Identity | undefined> {
  if (header === undefined) return undefined;
  if (header === "Bearer good-token") return identity;
  throw new UnauthenticatedError("The token is not valid");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let calls = 0;
const seen: { ctx?: CallContext; trace?: ReturnType<typeof traceFields> } = {};

/** checkAdoptable behaves according to the idea id, so each test can ask for one outcome. */
const handlers: UnaryHandlers<Service> = {
  async checkAdoptable(request, ctx) {
    calls++;
    seen.ctx = ctx;
    seen.trace = traceFields();
    switch (request.ideaId) {
      case "missing":
        throw new NotFoundError("Idea", request.ideaId);
      case "withdrawn":
        throw new InvalidStateError("Idea", "WITHDRAWN", "adopt");
      case "taken":
        throw new ConflictError("The idea has already been adopted");
      case "bad":
        throw new ValidationError("Invalid request", [{ path: "ideaId", message: "Unknown format" }]);
      case "forbidden":
        throw new ForbiddenError("Only the school can see this idea");
      case "crash":
        throw new Error("E11000 mongodb://admin:hunter2@db:27017 exploded");
      case "slow":
        await sleep(1500);
        break;
    }
    return CheckAdoptableResponse.create({
      adoptable: true,
      ideaId: request.ideaId,
      reasonDetail: ctx.identity ? `${ctx.identity.subject}@${ctx.identity.organisationId}` : "anonymous",
    });
  },
  async getIdea() {
    return GetIdeaResponse.create({});
  },
  async listPublishedIdeas() {
    throw new Error("not used");
  },
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

function startServer(port = 0) {
  const server = createGrpcServer({ logger, authenticate, shutdownGraceMs: 2000 });
  server.addService(IdeasServiceService, handlers);
  return server.listen(port, "127.0.0.1").then(({ port: bound }) => ({ server, port: bound }));
}

describe("grpc-kit on a real server and client", () => {
  let server: GrpcServer;
  let address: string;
  let telemetry: TestTelemetry;
  let client: ReturnType<typeof createGrpcClient<Service>>;

  beforeAll(async () => {
    telemetry = await startTestTelemetry({ serviceName: "grpc-kit-test" });
    const started = await startServer();
    server = started.server;
    address = `127.0.0.1:${started.port}`;
    client = createGrpcClient(IdeasServiceClient, address);
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
    await telemetry?.shutdown();
  });

  it("answers a call and passes the verified identity to the handler", async () => {
    const res = await client.checkAdoptable({ ideaId: "ok", companyId: "" }, { identity });
    expect(res.adoptable).toBe(true);
    expect(res.reasonDetail).toBe("u-1@org-9");
    expect(seen.ctx?.identity).toEqual(identity);
    expect(seen.ctx?.metadata.get("authorization")).toEqual(["Bearer good-token"]);
    expect(seen.ctx?.deadline).toBeInstanceOf(Date);
  });

  it("leaves identity empty without a token (the callee decides) and refuses a bad token", async () => {
    const anon = await client.checkAdoptable({ ideaId: "ok", companyId: "" });
    expect(anon.reasonDetail).toBe("anonymous");
    await expect(
      client.checkAdoptable({ ideaId: "ok", companyId: "" }, { token: "forged" }),
    ).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it.each([
    ["missing", NotFoundError, "not_found"],
    ["withdrawn", InvalidStateError, "invalid_state"],
    ["taken", ConflictError, "conflict"],
    ["bad", ValidationError, "invalid"],
    ["forbidden", ForbiddenError, "forbidden"],
  ] as const)("maps a %s domain error to its status and back to %o", async (ideaId, cls, kind) => {
    const err = await client.checkAdoptable({ ideaId, companyId: "" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(cls);
    expect((err as { kind: string }).kind).toBe(kind);
  });

  it("turns an unexpected error into INTERNAL with a generic message, and logs it", async () => {
    const err = await client.checkAdoptable({ ideaId: "crash", companyId: "" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as Error).message).not.toContain("hunter2");
    expect(((err as Error).cause as { code: number }).code).toBe(13); // INTERNAL, never UNKNOWN
    const logged = logLines.find((l) => l.msg === "unhandled error in gRPC handler");
    expect(logged?.rpc).toBe("/lto.ideas.v1.IdeasService/CheckAdoptable");
  });

  it("applies the deadline: a slow handler gives a retryable UnavailableError", async () => {
    const started = Date.now();
    const err = await client
      .checkAdoptable({ ideaId: "slow", companyId: "" }, { deadlineMs: 200 })
      .catch((e) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect(((err as Error).cause as { code: number }).code).toBe(4); // DEADLINE_EXCEEDED
    expect(Date.now() - started).toBeLessThan(1400);
  });

  it("does not retry FAILED_PRECONDITION", async () => {
    const before = calls;
    const retrying = createGrpcClient(IdeasServiceClient, address, { retries: 5 });
    await expect(retrying.checkAdoptable({ ideaId: "withdrawn", companyId: "" })).rejects.toBeInstanceOf(
      InvalidStateError,
    );
    retrying.close();
    expect(calls - before).toBe(1);
  });

  it("carries the trace: client span -> server span -> handler context", async () => {
    telemetry.reset();
    const traceId = await inSpan("caller", {}, async (span) => {
      await client.checkAdoptable({ ideaId: "ok", companyId: "" });
      return span.spanContext().traceId;
    });
    // (the "slow" handler of an earlier test may still finish its own server span meanwhile)
    const spans = telemetry.spans().filter((s) => s.spanContext().traceId === traceId);
    const clientSpan = spans.find((s) => s.kind === SpanKind.CLIENT);
    const serverSpan = spans.find((s) => s.kind === SpanKind.SERVER);
    expect(clientSpan?.name).toBe("grpc.lto.ideas.v1.IdeasService/CheckAdoptable");
    expect(clientSpan?.spanContext().traceId).toBe(traceId);
    expect(serverSpan?.name).toBe("grpc.lto.ideas.v1.IdeasService/CheckAdoptable");
    expect(serverSpan?.parentSpanContext?.spanId).toBe(clientSpan?.spanContext().spanId);
    expect(seen.trace?.trace_id).toBe(traceId);
    expect(seen.trace?.span_id).toBe(serverSpan?.spanContext().spanId);
  });

  it("serves grpc.health.v1: SERVING for the server and each service, unknown services NOT_FOUND", async () => {
    expect(await checkHealth(address)).toBe("SERVING");
    expect(await checkHealth(address, "lto.ideas.v1.IdeasService")).toBe("SERVING");
    expect(await checkHealth(address, "lto.nope.v1.Nope")).toBe("SERVICE_UNKNOWN");
  });
});

describe("retries and shutdown", () => {
  it("retries UNAVAILABLE until a late server is up", async () => {
    const port = await freePort();
    const client = createGrpcClient(IdeasServiceClient, `127.0.0.1:${port}`, {
      retries: 8,
      deadlineMs: 8000,
    });
    const late = sleep(400).then(() => startServer(port));
    try {
      const res = await client.checkAdoptable({ ideaId: "ok", companyId: "" });
      expect(res.adoptable).toBe(true);
    } finally {
      client.close();
      await (await late).server.stop();
    }
  });

  it("gives up with UnavailableError when nobody listens", async () => {
    const port = await freePort();
    const client = createGrpcClient(IdeasServiceClient, `127.0.0.1:${port}`, {
      retries: 1,
      deadlineMs: 1000,
    });
    await expect(client.checkAdoptable({ ideaId: "ok", companyId: "" })).rejects.toBeInstanceOf(
      UnavailableError,
    );
    client.close();
  });

  it("answers NOT_SERVING once stop() begins, then closes", async () => {
    const server = createGrpcServer({ logger, shutdownDrainMs: 500 });
    server.addService(IdeasServiceService, handlers);
    const { port } = await server.listen(0, "127.0.0.1");
    const address = `127.0.0.1:${port}`;
    expect(await checkHealth(address, "lto.ideas.v1.IdeasService")).toBe("SERVING");
    const stopping = server.stop();
    expect(await checkHealth(address)).toBe("NOT_SERVING");
    expect(await checkHealth(address, "lto.ideas.v1.IdeasService")).toBe("NOT_SERVING");
    await stopping;
    await expect(checkHealth(address)).rejects.toMatchObject({ code: 14 });
  });
});
