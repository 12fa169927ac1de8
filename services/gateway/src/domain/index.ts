export * from "./account.js";
export * from "./invitation.js";
