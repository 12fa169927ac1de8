// Calendar days and school years in Europe/Rome, where every deadline of the programme lives: the
// platform's civil-time package, named here so the domain's modules import them from one place.
export {
  isLocalDate,
  isSchoolYear,
  romeDate,
  ROME,
  schoolYearOf,
  schoolYearStart,
  startOfRomeDay,
  type LocalDate,
  type SchoolYear,
} from "@lto/civil-time";
