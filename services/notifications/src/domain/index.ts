export * from "./accounts.js";
export * from "./facts.js";
export * from "./holds.js";
export * from "./notice.js";
export * from "./rules.js";
export * from "./texts.js";
export * from "./rosters.js";
