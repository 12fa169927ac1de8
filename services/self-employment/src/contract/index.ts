export * from "./events.js";
export * from "./availability.js";
export * from "./paths.js";
export * from "./reminders.js";
export * from "./calendar-feeds.js";
export * from "./lab-holds.js";
export * from "./bookings.js";
export * from "./waitlist.js";
