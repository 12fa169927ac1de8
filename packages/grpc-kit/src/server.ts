import * as grpc from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";
import { context, SpanKind, trace } from "@opentelemetry/api";
import type { Identity } from "@lto/auth";
import { isAppError, toGrpcStatus } from "@lto/errors";
import { extractContext, isInstrumented, type Logger } from "@lto/telemetry";
import {
  AUTHORIZATION_METADATA_KEY,
  endRpcSpan,
  metadataToRecord,
  splitPath,
  startRpcSpan,
} from "./common.js";

/** What a handler gets besides the request. */
export interface CallContext {
  /** The verified caller, when an `authorization` metadata was sent and `authenticate` is configured. The handler checks it. */
  identity?: Identity;
  metadata: grpc.Metadata;
  /** When the caller stops waiting (undefined: no deadline). */
  deadline?: Date;
  /** Aborted when the caller cancels or the deadline passes. */
  signal: AbortSignal;
  /** Full method path, e.g. "/lto.ideas.v1.IdeasService/GetIdea". */
  method: string;
  /** Logger bound to the method. */
  log: Logger;
}

export type UnaryHandler<Req, Res> = (request: Req, ctx: CallContext) => Promise<Res>;

/** Handlers for a service definition (ts-proto's `XxxService` const or any grpc.ServiceDefinition). */
export type UnaryHandlers<D> = {
  [K in keyof D]: D[K] extends grpc.MethodDefinition<infer Req, infer Res> ? UnaryHandler<Req, Res> : never;
};

export interface GrpcServerOptions {
  logger: Logger;
  /** Turns the `authorization` metadata into an identity; may throw UnauthenticatedError for a bad token. */
  authenticate?: (authorizationHeader: string | undefined) => Promise<Identity | undefined>;
  /** How long stop() keeps answering NOT_SERVING before refusing new calls (default 0). */
  shutdownDrainMs?: number;
  /** How long stop() waits for calls in flight before cancelling them (default 5000). */
  shutdownGraceMs?: number;
  /** Extra grpc.Server channel options. */
  channelOptions?: grpc.ServerOptions;
}

export interface GrpcServer {
  addService<D extends grpc.ServiceDefinition>(definition: D, impl: UnaryHandlers<D>): void;
  /** Binds (port 0: any free port) and marks every service SERVING; resolves with the bound port. */
  listen(port: number, host?: string): Promise<{ port: number }>;
  /** NOT_SERVING for everything, then graceful shutdown, forced after shutdownGraceMs. */
  stop(): Promise<void>;
  /** Sets the health status of one service ("" is the whole server), e.g. when a dependency is lost. */
  setHealth(service: string, status: "SERVING" | "NOT_SERVING"): void;
  readonly server: grpc.Server;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function toDate(deadline: grpc.Deadline): Date | undefined {
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

/**
 * A grpc-js server for unary services: async handlers, errors mapped with toGrpcStatus (AppErrors keep
 * their meaning, anything else is INTERNAL with a generic message and is logged), grpc.health.v1, and
 * trace context taken from the caller's `traceparent` (unless the grpc auto-instrumentation already does).
 */
export function createGrpcServer(opts: GrpcServerOptions): GrpcServer {
  const server = new grpc.Server(opts.channelOptions);
  const health = new HealthImplementation({ "": "NOT_SERVING" });
  health.addToServer(server);
  const serviceNames: string[] = [];
  let listening = false;
  let stopping: Promise<void> | undefined;

  function wrap<Req, Res>(
    path: string,
    handler: UnaryHandler<Req, Res>,
    traced: boolean,
  ): grpc.handleUnaryCall<Req, Res> {
    const log = opts.logger.child({ rpc: path });
    return (call, callback) => {
      const metadata = call.metadata;
      const controller = new AbortController();
      call.once("cancelled", () => controller.abort(new Error("call cancelled")));
      // Without the grpc instrumentation there is no server span and no extracted context: make them.
      const parent = traced ? context.active() : extractContext(metadataToRecord(metadata));
      const span = traced ? undefined : startRpcSpan(path, SpanKind.SERVER, parent);
      const active = span ? trace.setSpan(parent, span) : parent;

      const finish = (err: grpc.ServerErrorResponse | null, response?: Res) => {
        if (span) endRpcSpan(span, err?.code ?? grpc.status.OK, SpanKind.SERVER, err?.details);
        if (err) callback(err);
        else callback(null, response);
      };

      void context.with(active, async () => {
        try {
          const authorization = metadata.get(AUTHORIZATION_METADATA_KEY)[0];
          const identity = opts.authenticate
            ? await opts.authenticate(typeof authorization === "string" ? authorization : undefined)
            : undefined;
          const deadline = toDate(call.getDeadline());
          const ctx: CallContext = { metadata, signal: controller.signal, method: path, log };
          if (identity) ctx.identity = identity;
          if (deadline) ctx.deadline = deadline;
          const response = await handler(call.request, ctx);
          finish(null, response);
        } catch (err) {
          const status = toGrpcStatus(err);
          if (isAppError(err))
            log.debug({ code: status.code, kind: err.kind, msg: err.message }, "call refused");
          else {
            log.error({ err }, "unhandled error in gRPC handler");
            span?.recordException(err instanceof Error ? err : new Error(String(err)));
          }
          const trailers = new grpc.Metadata();
          for (const [key, value] of Object.entries(status.metadata)) trailers.set(key, value);
          finish({
            name: "ServerError",
            message: status.details,
            code: status.code,
            details: status.details,
            metadata: trailers,
          });
        }
      });
    };
  }

  return {
    server,
    addService(definition, impl) {
      if (listening) throw new Error("addService must be called before listen");
      const traced = isInstrumented(server.register);
      const implementation: grpc.UntypedServiceImplementation = {};
      let serviceName: string | undefined;
      for (const [name, method] of Object.entries(definition) as [
        string,
        grpc.MethodDefinition<unknown, unknown>,
      ][]) {
        if (method.requestStream || method.responseStream) {
          throw new Error(`${method.path}: only unary methods are supported by @lto/grpc-kit`);
        }
        const handler = (impl as Record<string, UnaryHandler<unknown, unknown> | undefined>)[name];
        if (typeof handler !== "function") throw new Error(`${method.path}: no handler given for "${name}"`);
        implementation[name] = wrap(method.path, handler.bind(impl), traced);
        serviceName ??= splitPath(method.path).service;
      }
      server.addService(definition, implementation);
      if (serviceName) {
        serviceNames.push(serviceName);
        health.setStatus(serviceName, "NOT_SERVING");
      }
    },
    listen(port, host = "0.0.0.0") {
      return new Promise((resolve, reject) => {
        const address = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
        server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, bound) => {
          if (err) return reject(err);
          listening = true;
          health.setStatus("", "SERVING");
          for (const name of serviceNames) health.setStatus(name, "SERVING");
          opts.logger.info({ port: bound, services: serviceNames }, "gRPC server listening");
          resolve({ port: bound });
        });
      });
    },
    setHealth(service, status) {
      health.setStatus(service, status);
    },
    stop() {
      stopping ??= (async () => {
        health.setStatus("", "NOT_SERVING");
        for (const name of serviceNames) health.setStatus(name, "NOT_SERVING");
        if (opts.shutdownDrainMs) await sleep(opts.shutdownDrainMs);
        const grace = opts.shutdownGraceMs ?? 5000;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            opts.logger.warn(
              { graceMs: grace },
              "gRPC calls still running after the grace period; cancelling them",
            );
            server.forceShutdown();
            resolve();
          }, grace);
          timer.unref();
          server.tryShutdown(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      })();
      return stopping;
    },
  };
}
