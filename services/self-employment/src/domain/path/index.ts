export * from "./rules.js";
export * from "./path.js";
export * from "./checks.js";
export * from "./bookings.js";
export * from "./delivery.js";
export * from "./reports.js";
export * from "./internships.js";
