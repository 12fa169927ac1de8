// The learner's routes: a course's page with its sessions and enrolment, one enrolment (a seat offer to
// answer), and the public page a shared credential link opens.
import { createRoute, useParams, type AnyRoute } from "@tanstack/react-router";
import { CoursePage } from "../../pages/learner/course.js";
import { VerifyPage } from "../../pages/learner/credentials.js";
import { EnrolmentPage } from "../../pages/learner/enrolments.js";

export function learnerRoutes<R extends AnyRoute>(root: R) {
  const course = createRoute({
    getParentRoute: () => root,
    path: "/courses/$courseId",
    component: function Course() {
      const { courseId } = useParams({ strict: false }) as { courseId: string };
      return <CoursePage courseId={courseId} />;
    },
  });
  const enrolment = createRoute({
    getParentRoute: () => root,
    path: "/learner/enrolments/$enrolmentId",
    component: function Enrolment() {
      const { enrolmentId } = useParams({ strict: false }) as { enrolmentId: string };
      return <EnrolmentPage enrolmentId={enrolmentId} />;
    },
  });
  const verify = createRoute({ getParentRoute: () => root, path: "/verify", component: VerifyPage });
  return [course, enrolment, verify] as const;
}
