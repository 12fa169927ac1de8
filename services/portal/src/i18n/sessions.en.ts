// English texts of the course sessions' pages (every key of sessions.it.ts).
import type { sessionsIt } from "./sessions.it.js";

export const sessionsEn: Record<keyof typeof sessionsIt, string> = {
  "sessions.calendar.title": "This week's courses and labs",
  "sessions.calendar.empty": "No course meeting this week.",
  "sessions.calendar.cancelled": "Cancelled",
  "sessions.labs.title": "Open lab conflicts",
  "sessions.labs.intro":
    "Course meetings that came to a lab already booked, in any week. Once the bookings are moved or cancelled, confirm that the lab is free.",
  "sessions.labs.none": "No open lab conflict.",
  "sessions.labs.conflict": "{room}: {day}, {start}–{end}",
  "sessions.labs.course": "Course: {course}",
  "sessions.labs.resolve": "Resolve",
  "sessions.labs.confirmTitle": "Is the lab {room} free again on {day}, {start}–{end}?",
  "sessions.labs.confirmText":
    "Confirm only once the bookings holding it have been moved or cancelled: the course meeting takes the lab. If it is still booked, the service says so and nothing changes.",
  "sessions.labs.note": "How it was freed (optional)",
  "sessions.labs.noteHelp": "For example: booking moved to Sala colloqui 2.",
  "sessions.labs.confirm": "Confirm: the lab is free",
  "sessions.labs.cancel": "Cancel",
  "sessions.labs.resolving": "Resolving the conflict…",
  "sessions.labs.resolved":
    "Conflict resolved: {room}, {day}, {start}–{end}, belongs to the course meeting again.",
  "sessions.register.action": "Attendance register",
  "sessions.register.title": "Attendance register: {course}, {day} at {time}",
  "sessions.register.titleShort": "Attendance register",
  "sessions.register.noLearners": "No confirmed learner in this session.",
  "sessions.register.save": "Save attendance",
  "sessions.register.saving": "Saving attendance…",
  "sessions.register.saved": "Attendance saved ({count, plural, one {# learner} other {# learners}}).",
  "sessions.mark.present": "Present",
  "sessions.mark.absent": "Absent",
  "sessions.mark.late": "Late",
  "sessions.mark.lateMinutes": "Minutes late",
  "sessions.backHome": "Back to your page",
  "sessions.suggest.title": "Suggested courses for adopted teams",
  "sessions.suggest.none": "No suggestion yet: they appear when a company adopts a team's idea.",
  "sessions.suggest.team": "Team {team}: idea “{idea}”",
  "sessions.suggest.forStudents": "For the students",
  "sessions.suggest.forTeachers": "For the teachers",
  "sessions.suggest.noCourses": "No fitting course for now.",
  "sessions.suggest.adoptedBy": "Adopted by {company}",
  "sessions.suggest.session":
    "next session at {site} from {day}, {seats, plural, =0 {no free seat} one {# free seat} other {# free seats}}",
};
