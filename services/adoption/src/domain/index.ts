export * from "./adoption.js";
export * from "./commitments.js";
export * from "./company.js";
export * from "./hold.js";
export * from "./offer.js";
export * from "./reference.js";
export * from "./validation.js";
export * from "./vat.js";
