export * from "./schedule.js";
export * from "./holidays.js";
export * from "./slots.js";
export * from "./claims.js";
