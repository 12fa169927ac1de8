export * from "./booking.js";
export * from "./claims.js";
