// What the partner pages share: the catalogue's course shapes and the values its schema accepts.
import type { paths } from "../../api/catalogue";

export type CourseBody = paths["/v1/courses"]["post"]["requestBody"]["content"]["application/json"];
export type Course = paths["/v1/courses/{courseId}"]["get"]["responses"][200]["content"]["application/json"];
export type CourseState = NonNullable<
  NonNullable<paths["/v1/courses/mine"]["get"]["parameters"]["query"]>["state"]
>;

export const AUDIENCES = [
  "students",
  "teachers",
  "young_people",
  "adults",
] as const satisfies readonly CourseBody["audiences"][number][];
export const AREAS = [
  "agroalimentare",
  "manifattura",
  "meccanica",
  "cultura",
  "turismo",
  "servizi_commerciali",
  "servizi_persona",
] as const satisfies readonly CourseBody["areas"][number][];
export const SITES = [
  "lto-mantova",
  "lto-asola",
  "lto-guidizzolo",
  "lto-ostiglia",
  "lto-suzzara",
  "lto-viadana",
] as const satisfies readonly CourseBody["sites"][number][];
export const MODES = ["in_person", "online", "blended"] as const satisfies readonly CourseBody["mode"][];
/** The catalogue's limit on a course's hours (MAX_COURSE_HOURS). */
export const MAX_HOURS = 1200;
/** The DigComp edition courses map to (the catalogue requires DigComp targets). */
export const DIGCOMP = { id: "digcomp", version: "2.2" } as const;
/** The states of a partner body's course, in the order it lives them (returned: back to the body). */
export const PARTNER_STATES = [
  "draft",
  "returned",
  "submitted",
  "published",
] as const satisfies readonly CourseState[];
