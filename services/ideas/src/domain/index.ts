export * from "./actor.js";
export * from "./call.js";
export * from "./events.js";
export * from "./idea.js";
export * from "./reference.js";
export * from "./team.js";
export * from "./time.js";
