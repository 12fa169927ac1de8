export * from "./actor.js";
export * from "./course.js";
export * from "./events.js";
export * from "./frameworks/index.js";
export * from "./session.js";
export * from "@lto/reference";
export * from "./enrolment.js";
