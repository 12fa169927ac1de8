// English texts of the course sessions' pages (every key of sessions.it.ts).
import type { sessionsIt } from "./sessions.it.js";

export const sessionsEn: Record<keyof typeof sessionsIt, string> = {
  "sessions.calendar.title": "This week's courses and labs",
  "sessions.calendar.empty": "No course meeting this week.",
  "sessions.calendar.cancelled": "Cancelled",
  "sessions.labs.title": "Lab conflicts",
  "sessions.labs.none": "No open lab conflict this week.",
  "sessions.labs.conflict": "Lab {room} already held on {day} at {time}",
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
