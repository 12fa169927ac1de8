// The only room that knows the wire: domain events and gRPC shapes to and from protobuf.
export * from "./events.js";
export * from "./mapping.js";
export * from "./consumed.js";
export * from "./credential-events.js";
export * from "./enrolment-events.js";
