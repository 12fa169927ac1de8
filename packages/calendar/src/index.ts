// The model and rules of the platform's calendars (pure). Rendering is in "@lto/calendar/ics", new
// feed secrets in "@lto/calendar/feed-token".
export * from "./event.js";
export * from "./token.js";
