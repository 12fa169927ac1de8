// The frameworks shipped with the service (data/*.json): DigComp 2.2 and 3.0 side by side, the Italian
// PA syllabus for teachers' courses, and a sample of the Lombardy QRSP for operator-qualifying courses.
// DigComp 3.0 is kept minimal on purpose (its `note` says what): the 2025 area names and a four-level
// scheme as announced, the 21 competence names of 2.2 until the 3.0 wording is checked; the syllabus
// competences are condensed and the QRSP is one sample profile. Each is data: correct it as a new version.
import digcomp22 from "./data/digcomp-2.2.json" with { type: "json" };
import digcomp30 from "./data/digcomp-3.0.json" with { type: "json" };
import qrsp from "./data/qrsp-lombardia-2025.json" with { type: "json" };
import syllabus from "./data/syllabus-pa-2024.json" with { type: "json" };
import { FrameworkCatalogue, type Framework } from "./framework.js";

export * from "./framework.js";

export const SHIPPED_FRAMEWORKS: readonly Framework[] = [
  digcomp22 as Framework,
  digcomp30 as Framework,
  syllabus as Framework,
  qrsp as Framework,
];

export const frameworks = new FrameworkCatalogue(SHIPPED_FRAMEWORKS);

/** The framework version new courses map to unless they name another. */
export const DIGCOMP = { framework: "digcomp", version: "2.2" } as const;
