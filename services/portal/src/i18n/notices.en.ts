// English texts of the notices: every Italian id (the type makes sure).
import type { noticesIt } from "./notices.it.js";

export const noticesEn: Record<keyof typeof noticesIt, string> = {
  "notices.nav": "Notices",
  "notices.unread": "unread",
  "notices.title": "My notices",
  "notices.unreadOnly": "Unread only",
  "notices.markAll": "Mark all read",
  "notices.markRead": "Mark read",
  "notices.markOne": "Mark read: {title}",
  "notices.marking": "Updating…",
  "notices.marked":
    "{marked, plural, =0 {No notice to mark.} one {# notice marked read.} other {# notices marked read.}}",
  "notices.none": "No notices.",
  "notices.new": "New",
  "notices.deadline": "Deadline: {when}",
  "notices.open.enrolment": "Go to the enrolment",
  "notices.open.course": "Go to the course",
  "notices.open.ideas": "Go to the ideas",
  "notices.open.bookings": "Go to the bookings",
};
