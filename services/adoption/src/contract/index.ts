// The only room that knows the wire: domain events and gRPC shapes to and from protobuf.
export {
  adoptionMessage,
  commitmentList,
  progressPercent,
  toPendingEvent,
  toPendingEvents,
} from "./adoption.js";
export { callView, changedCall, erasure, ideaView, publishedIdea, withdrawal } from "./ideas.js";
