// The partner body's course pages (a new draft, a draft or returned course edited) and the staff's review
// of partner courses submitted at their sites.
import { createRoute, type AnyRoute } from "@tanstack/react-router";
import { CourseFormPage } from "../../pages/partner/course-form.js";
import { PartnerReviewPage } from "../../pages/partner/review.js";

export function partnerRoutes<P extends AnyRoute>(parent: P) {
  const create = createRoute({
    getParentRoute: () => parent,
    path: "/partner/courses/new",
    component: function NewCourse() {
      return <CourseFormPage />;
    },
  });
  const edit = createRoute({
    getParentRoute: () => parent,
    path: "/partner/courses/$courseId/edit",
    component: function EditCourse() {
      return <CourseFormPage courseId={(edit.useParams() as { courseId: string }).courseId} />;
    },
  });
  const review = createRoute({
    getParentRoute: () => parent,
    path: "/partner/review",
    component: PartnerReviewPage,
  });
  return [create, edit, review] as const;
}
