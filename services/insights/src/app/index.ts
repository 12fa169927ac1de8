export * from "./ports.js";
export * from "./projection.js";
export * from "./figures.js";
export * from "./replay.js";
