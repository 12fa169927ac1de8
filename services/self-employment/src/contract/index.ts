export * from "./events.js";
export * from "./availability.js";
