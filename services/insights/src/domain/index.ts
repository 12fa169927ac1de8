export * from "./records.js";
export * from "./facts.js";
export * from "./figures.js";
