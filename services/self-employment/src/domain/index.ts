export * from "./availability/index.js";
export * from "./codice-fiscale.js";
export * from "./operator.js";
export * from "./person.js";
export * from "./service-types.js";
export * from "./sites.js";
export * from "./path/index.js";
export * from "./waitlist/index.js";
