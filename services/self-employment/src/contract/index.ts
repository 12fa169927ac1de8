export * from "./events.js";
export * from "./availability.js";
export * from "./paths.js";
export * from "./bookings.js";
export * from "./waitlist.js";
