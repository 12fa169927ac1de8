export * from "./actor.js";
export * from "./call.js";
export * from "./events.js";
export * from "./idea.js";
export * from "@lto/reference";
export * from "./team.js";
export * from "./time.js";
