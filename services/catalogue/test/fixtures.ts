import type { CourseInput } from "../src/domain/index.js";

/** A valid course: young people, DigComp 3.4 at level 4, at the Mantova site. */
export const input: CourseInput = {
  titleIt: "Programmare con Python",
  descriptionIt: "Dalle variabili alle funzioni, con piccoli progetti.",
  audiences: ["young_people"],
  areas: ["cultura"],
  competences: [{ framework: "digcomp", version: "2.2", competence: "3.4", level: 4 }],
  secondFramework: [],
  hours: 20,
  mode: "blended",
  prerequisites: [],
  sites: ["lto-mantova"],
};
