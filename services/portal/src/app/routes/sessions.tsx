// Course sessions for site staff: a meeting's attendance register.
import { createRoute, type AnyRoute } from "@tanstack/react-router";
import { AttendanceRegisterPage } from "../../pages/sessions/register.js";

export function sessionsRoutes<P extends AnyRoute>(parent: P) {
  const register = createRoute({
    getParentRoute: () => parent,
    path: "/sessions/$sessionId/meetings/$meetingId/attendance",
    component: function Register() {
      const { sessionId, meetingId } = register.useParams() as { sessionId: string; meetingId: string };
      return <AttendanceRegisterPage sessionId={sessionId} meetingId={meetingId} />;
    },
  });
  return [register] as const;
}
