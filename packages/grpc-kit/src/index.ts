export {
  createGrpcServer,
  type CallContext,
  type GrpcServer,
  type GrpcServerOptions,
  type UnaryHandler,
  type UnaryHandlers,
} from "./server.js";
export {
  callPeer,
  createGrpcClient,
  errorFromStatus,
  type CallOptions,
  type ClientConstructor,
  type GrpcClient,
  type GrpcClientOptions,
  type PromiseMethods,
  type UnaryMethod,
} from "./client.js";
export { checkHealth, type HealthStatus } from "./health.js";
export { AUTHORIZATION_METADATA_KEY, splitPath, statusName } from "./common.js";
