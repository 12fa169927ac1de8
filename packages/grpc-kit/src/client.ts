import * as grpc from "@grpc/grpc-js";
import { context, SpanKind, trace } from "@opentelemetry/api";
import type { Identity } from "@lto/auth";
import { AppError, ERROR_KIND_METADATA_KEY, fromGrpcStatus, UnavailableError } from "@lto/errors";
import { injectTraceHeaders, isInstrumented } from "@lto/telemetry";
import {
  AUTHORIZATION_METADATA_KEY,
  endRpcSpan,
  metadataToRecord,
  splitPath,
  startRpcSpan,
  statusName,
} from "./common.js";

export interface GrpcClientOptions {
  /** Deadline of one call, all its attempts included (default 2000 ms). */
  deadlineMs?: number;
  /** Extra attempts after an UNAVAILABLE answer (default 2); no other status is retried. */
  retries?: number;
  /** First backoff between attempts, doubled each time, with jitter (default 100 ms). */
  backoffMs?: number;
  /** Extra channel options for the grpc-js client. */
  channelOptions?: grpc.ClientOptions;
  credentials?: grpc.ChannelCredentials;
}

/** Per call: whose behalf it is made on, and an optional tighter deadline. */
export interface CallOptions {
  /** The caller's identity: its bearer token goes in the `authorization` metadata. */
  identity?: Pick<Identity, "token">;
  /** A raw bearer token, when there is no Identity at hand (service-to-service). */
  token?: string;
  deadlineMs?: number;
  /** Extra metadata to send. */
  metadata?: Record<string, string>;
}

export type UnaryMethod<Req, Res> = (request: Req, options?: CallOptions) => Promise<Res>;

export type PromiseMethods<D> = {
  [K in keyof D]: D[K] extends grpc.MethodDefinition<infer Req, infer Res> ? UnaryMethod<Req, Res> : never;
};

export type GrpcClient<D> = PromiseMethods<D> & {
  /** Closes the channel. */
  close(): void;
  /** The underlying grpc-js client. */
  readonly grpcClient: grpc.Client;
};

/** ts-proto's generated client constructor (`IdeasServiceClient`) or grpc.makeGenericClientConstructor's. */
export interface ClientConstructor<D extends grpc.ServiceDefinition> {
  new (
    address: string,
    credentials: grpc.ChannelCredentials,
    options?: Partial<grpc.ClientOptions>,
  ): grpc.Client;
  service: D;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Codes that carry a domain meaning when the server says so; the rest are transport or server failures. */
const DOMAIN_CODES = new Set<number>([
  grpc.status.INVALID_ARGUMENT,
  grpc.status.NOT_FOUND,
  grpc.status.ALREADY_EXISTS,
  grpc.status.PERMISSION_DENIED,
  grpc.status.FAILED_PRECONDITION,
  grpc.status.ABORTED,
  grpc.status.OUT_OF_RANGE,
  grpc.status.UNAUTHENTICATED,
]);

/** A failed call's status as an AppError (fromGrpcStatus), without leaking transport details in the message. */
export function errorFromStatus(err: Partial<grpc.ServiceError>, path: string): AppError {
  const code = err.code ?? grpc.status.UNKNOWN;
  const metadata = metadataToRecord(err.metadata);
  const fromServer = metadata[ERROR_KIND_METADATA_KEY] !== undefined || DOMAIN_CODES.has(code);
  const { service, method } = splitPath(path);
  const details = fromServer
    ? (err.details ?? "")
    : `${service}.${method} failed (${statusName(code)}); retry shortly`;
  const appError = fromGrpcStatus(code, details, metadata);
  if (!fromServer)
    Object.defineProperty(appError, "cause", { value: err, enumerable: false, configurable: true });
  return appError;
}

/**
 * Wraps a generated gRPC client: every method returns a promise, every call has a deadline, only
 * UNAVAILABLE is retried (with backoff, within the deadline), errors come back as AppErrors
 * (DEADLINE_EXCEEDED and a lasting UNAVAILABLE as UnavailableError), the caller's bearer token travels
 * in `authorization` and the trace context in `traceparent`.
 */
export function createGrpcClient<D extends grpc.ServiceDefinition>(
  ClientCtor: ClientConstructor<D>,
  address: string,
  opts: GrpcClientOptions = {},
): GrpcClient<D> {
  const grpcClient = new ClientCtor(address, opts.credentials ?? grpc.credentials.createInsecure(), {
    // reconnect quickly after the peer comes back, so a retry can succeed within one deadline
    "grpc.initial_reconnect_backoff_ms": 100,
    "grpc.max_reconnect_backoff_ms": 2000,
    ...opts.channelOptions,
  });
  const defaultDeadlineMs = opts.deadlineMs ?? 2000;
  const retries = opts.retries ?? 2;
  const backoffMs = opts.backoffMs ?? 100;

  function attempt<Req, Res>(
    method: grpc.MethodDefinition<Req, Res>,
    request: Req,
    metadata: grpc.Metadata,
    deadline: Date,
  ): Promise<Res> {
    const traced = isInstrumented(grpcClient.makeUnaryRequest);
    const span = traced ? undefined : startRpcSpan(method.path, SpanKind.CLIENT);
    const ctx = span ? trace.setSpan(context.active(), span) : context.active();
    const md = metadata.clone();
    if (span) for (const [key, value] of Object.entries(injectTraceHeaders(ctx))) md.set(key, value);
    return new Promise<Res>((resolve, reject) => {
      context.with(ctx, () => {
        grpcClient.makeUnaryRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize,
          request,
          md,
          { deadline },
          (err, response) => {
            if (span) endRpcSpan(span, err?.code ?? grpc.status.OK, SpanKind.CLIENT, err?.details);
            if (err) reject(err);
            else resolve(response as Res);
          },
        );
      });
    });
  }

  async function call<Req, Res>(
    method: grpc.MethodDefinition<Req, Res>,
    request: Req,
    options: CallOptions = {},
  ) {
    const deadline = new Date(Date.now() + (options.deadlineMs ?? defaultDeadlineMs));
    const metadata = new grpc.Metadata();
    for (const [key, value] of Object.entries(options.metadata ?? {})) metadata.set(key, value);
    const token = options.identity?.token ?? options.token;
    if (token) metadata.set(AUTHORIZATION_METADATA_KEY, `Bearer ${token}`);
    for (let n = 0; ; n++) {
      try {
        return await attempt(method, request, metadata, deadline);
      } catch (e) {
        const err = e as grpc.ServiceError;
        const wait = backoffMs * 2 ** n * (0.5 + Math.random() / 2);
        const retry =
          err.code === grpc.status.UNAVAILABLE && n < retries && Date.now() + wait < deadline.getTime();
        if (!retry) throw errorFromStatus(err, method.path);
        await sleep(wait);
      }
    }
  }

  const client: Record<string, unknown> = {
    close: () => grpcClient.close(),
    grpcClient,
  };
  for (const [name, method] of Object.entries(ClientCtor.service)) {
    if (method.requestStream || method.responseStream) continue;
    client[name] = (request: unknown, options?: CallOptions) =>
      call(method as grpc.MethodDefinition<unknown, unknown>, request, options);
  }
  return client as GrpcClient<D>;
}

/**
 * A call to another service on behalf of a request: what the peer refused (not found, invalid,
 * forbidden...) passes through as it came; a peer that is down, too slow or does not take our token
 * becomes a retryable UnavailableError saying `unavailable` (a 503 with Retry-After), so nothing is
 * done on a guess.
 */
export async function callPeer<T>(
  call: () => Promise<T>,
  unavailable: string,
  retryAfterSeconds = 5,
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof AppError && err.kind !== "unavailable" && err.kind !== "unauthenticated") throw err;
    throw new UnavailableError(unavailable, retryAfterSeconds, { cause: err });
  }
}
