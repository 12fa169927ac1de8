// The platform's closed lists as the portal offers them (filters, forms, labels): one copy, typed
// against the services' own enums, and how a value from an address is kept only when it is one of them.
import {
  DISTRICTS as REFERENCE_DISTRICTS,
  ECONOMIC_AREAS,
  SITES as REFERENCE_SITES,
  TECHNOLOGIES as REFERENCE_TECHNOLOGIES,
} from "@lto/reference";
import type { paths as CataloguePaths } from "../api/catalogue";
import type { paths as IdeasPaths } from "../api/ideas";
import type { MessageId } from "../i18n/it.js";

type IdeaQuery = NonNullable<IdeasPaths["/v1/ideas"]["get"]["parameters"]["query"]>;
type CourseQuery = NonNullable<CataloguePaths["/v1/courses"]["get"]["parameters"]["query"]>;

// The lists themselves are @lto/reference's (the services validate with the same ones); the portal
// only checks here, at compile time, that each is what the services' OpenAPI documents accept.
export const AREAS = ECONOMIC_AREAS satisfies readonly (NonNullable<IdeaQuery["area"]> &
  NonNullable<CourseQuery["area"]>)[];
export const DISTRICTS = REFERENCE_DISTRICTS satisfies readonly NonNullable<IdeaQuery["district"]>[];
export const TECHNOLOGIES = REFERENCE_TECHNOLOGIES satisfies readonly NonNullable<IdeaQuery["technology"]>[];
export const SITES = REFERENCE_SITES satisfies readonly NonNullable<CourseQuery["site"]>[];
export const AUDIENCES = [
  "students",
  "teachers",
  "young_people",
  "adults",
] as const satisfies readonly NonNullable<CourseQuery["audience"]>[];

/** `value` when it is one of `values`, else undefined: an address's unknown value is dropped, not sent. */
export const oneOf = <V extends string>(values: readonly V[], value: unknown): V | undefined =>
  values.includes(value as V) ? (value as V) : undefined;

const LABELS = {
  area: (value: string) => (oneOf(AREAS, value) ? (`enum.area.${value}` as MessageId) : undefined),
  district: (value: string) =>
    oneOf(DISTRICTS, value) ? (`enum.district.${value}` as MessageId) : undefined,
  technology: (value: string) =>
    oneOf(TECHNOLOGIES, value) ? (`enum.technology.${value}` as MessageId) : undefined,
};

/** The message of a value in one of the lists, or undefined for a value the portal does not know yet. */
export const vocabularyLabel = (list: keyof typeof LABELS, value: string): MessageId | undefined =>
  LABELS[list](value);
