// @lto/contracts: generated protobuf/gRPC code (namespaced per proto file) and the event registry.
export * from "./registry.js";
export * as ideasV1 from "./gen/lto/ideas/v1/ideas.js";
export * as ideasEventsV1 from "./gen/lto/ideas/v1/events.js";
