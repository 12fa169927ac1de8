// @lto/contracts: the event registry and the generated protobuf/gRPC code, namespaced per proto
// file (e.g. `ideasV1.IdeasServiceService`, `ideasEventsV1.IdeaPublished`, `adoptionV1.Adoption`).
export * from "./registry.js";
export * as ideasV1 from "./gen/lto/ideas/v1/ideas.js";
export * as ideasEventsV1 from "./gen/lto/ideas/v1/events.js";
export * as adoptionV1 from "./gen/lto/adoption/v1/adoption.js";
export * as adoptionEventsV1 from "./gen/lto/adoption/v1/events.js";
export * as catalogueV1 from "./gen/lto/catalogue/v1/catalogue.js";
export * as catalogueEventsV1 from "./gen/lto/catalogue/v1/events.js";
export * as selfEmploymentV1 from "./gen/lto/selfemployment/v1/selfemployment.js";
export * as selfEmploymentEventsV1 from "./gen/lto/selfemployment/v1/events.js";
export * as gatewayEventsV1 from "./gen/lto/gateway/v1/events.js";
