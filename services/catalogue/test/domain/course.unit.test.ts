import { InvalidStateError, ValidationError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import {
  archiveCourse,
  createCourse,
  editCourse,
  LTO_PROVIDER,
  publishCourse,
  returnCourse,
  submitCourse,
  targetLevels,
  type CourseInput,
} from "../../src/domain/index.js";
import { input } from "../fixtures.js";

const now = new Date("2026-11-02T09:00:00Z");
const staff = { subject: "staff-1", organisationId: "provincia-mantova" };
const partner = { subject: "cfp-1", organisationId: "partner-cfp" };

function issuesOf(run: () => unknown) {
  try {
    run();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues.map((i) => i.path);
    throw err;
  }
  return [];
}

describe("course content", () => {
  it("creates a draft with its history", () => {
    const course = createCourse(input, "c1", LTO_PROVIDER, staff, now);
    expect(course).toMatchObject({ state: "draft", version: 1, providerId: "lto" });
    expect(course.history).toEqual([{ at: now, by: "staff-1", from: null, to: "draft" }]);
    expect(targetLevels(course)).toEqual([4]);
  });

  it("names every bad field at once", () => {
    const bad: CourseInput = {
      ...input,
      titleIt: "ab",
      descriptionIt: "corta",
      descriptionEn: "An English description",
      audiences: [],
      areas: ["luna" as never],
      competences: [
        { framework: "digcomp", version: "2.2", competence: "9.9", level: 9 },
        { framework: "syllabus-pa", version: "2024", competence: "1.1", level: 1 },
      ],
      secondFramework: [{ framework: "digcomp", version: "2.2", competence: "1.1", level: 1 }],
      prerequisites: [{ framework: "digcomp", version: "1.0", competence: "1.1", level: 1 }],
      hours: 0.3,
      sites: ["lto-roma" as never],
    };
    expect(issuesOf(() => createCourse(bad, "c1", LTO_PROVIDER, staff, now))).toEqual([
      "titleIt",
      "descriptionIt",
      "titleEn",
      "audiences",
      "areas.0",
      "competences.0.competence",
      "competences.0.level",
      "competences.1.framework",
      "secondFramework.0.framework",
      "prerequisites.0.version",
      "hours",
      "sites.0",
    ]);
  });

  it("refuses a competence listed twice and a second framework mixing versions", () => {
    expect(
      issuesOf(() =>
        createCourse(
          {
            ...input,
            competences: [input.competences[0]!, { ...input.competences[0]!, level: 5 }],
            secondFramework: [
              { framework: "syllabus-pa", version: "2024", competence: "1.1", level: 1 },
              { framework: "qrsp-lombardia", version: "2025", competence: "ict.1", level: 3 },
            ],
          },
          "c1",
          LTO_PROVIDER,
          staff,
          now,
        ),
      ),
    ).toEqual(["competences.1.competence", "secondFramework"]);
  });
});

describe("course lifecycle", () => {
  it("an LTO course is published by staff, then archived", () => {
    const draft = createCourse(input, "c1", LTO_PROVIDER, staff, now);
    expect(() => submitCourse(draft, staff, now)).toThrow(/LTO course/);
    const published = publishCourse(draft, staff, now);
    expect(published.state).toBe("published");
    expect(archiveCourse(published, staff, now).state).toBe("archived");
    expect(() => publishCourse(archiveCourse(published, staff, now), staff, now)).toThrow(InvalidStateError);
  });

  it("a partner course is submitted, returned with the reason, then published", () => {
    const draft = createCourse(input, "c2", "partner-cfp", partner, now);
    expect(() => publishCourse(draft, staff, now)).toThrow(/submits it for review first/);
    const submitted = submitCourse(draft, partner, now);
    const returned = returnCourse(submitted, "Manca il livello", staff, now);
    expect(returned.history.at(-1)).toMatchObject({
      from: "submitted",
      to: "returned",
      reason: "Manca il livello",
    });
    expect(() => returnCourse(returned, "ancora", staff, now)).toThrow(InvalidStateError);
    const again = submitCourse(editCourse(returned, { ...input, hours: 24 }, now), partner, now);
    expect(publishCourse(again, staff, now)).toMatchObject({ state: "published", hours: 24 });
  });

  it("an archived course is not edited", () => {
    const archived = archiveCourse(
      publishCourse(createCourse(input, "c1", LTO_PROVIDER, staff, now), staff, now),
      staff,
      now,
    );
    expect(() => editCourse(archived, input, now)).toThrow(InvalidStateError);
  });
});
