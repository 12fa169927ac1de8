import type { Identity } from "@lto/auth";
import { ForbiddenError, NotFoundError, UnauthenticatedError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import { canReadCourse, courseScope, requireCourseEditor, requireSitesStaff } from "../../src/app/access.js";
import { createCourse, LTO_PROVIDER, publishCourse, type Course } from "../../src/domain/index.js";
import { input } from "../fixtures.js";

const who = (role: Identity["role"], org = "org", sites: string[] = []): Identity => ({
  subject: `${role}-1`,
  role,
  organisationId: org,
  sites,
  token: "t",
});
const staff = who("staff", "provincia", ["lto-mantova"]);
const otherStaff = who("staff", "provincia", ["lto-asola"]);
const partner = who("partner", "partner-cfp");
const now = new Date("2026-10-01T08:00:00Z");
const ltoDraft = createCourse(input, "c1", LTO_PROVIDER, staff, now);
const partnerDraft: Course = createCourse(input, "c2", "partner-cfp", partner, now);

describe("who reads and edits a course", () => {
  it("a published course is public; a draft only for readers of everything and its provider", () => {
    expect(canReadCourse(undefined, publishCourse(ltoDraft, staff, now))).toBe(true);
    expect(canReadCourse(undefined, ltoDraft)).toBe(false);
    expect(canReadCourse(who("learner"), ltoDraft)).toBe(false);
    expect(canReadCourse(who("programme"), ltoDraft)).toBe(true);
    expect(canReadCourse(partner, partnerDraft)).toBe(true);
    expect(canReadCourse(who("partner", "partner-its"), partnerDraft)).toBe(false);
  });

  it("staff act only where they work, on every site a course lists", () => {
    expect(() => requireSitesStaff(undefined, ["lto-mantova"])).toThrow(UnauthenticatedError);
    expect(() => requireSitesStaff(who("programme"), ["lto-mantova"])).toThrow(ForbiddenError);
    expect(requireSitesStaff(staff, ["lto-mantova"])).toBe(staff);
    expect(() => requireSitesStaff(staff, ["lto-mantova", "lto-asola"])).toThrow(/lto-asola/);
    expect(requireSitesStaff(who("admin"), ["lto-viadana"]).role).toBe("admin");
  });

  it("a course's editor: its partner body until published, else staff of its sites; the unseen get 404", () => {
    expect(requireCourseEditor(partner, partnerDraft)).toBe(partner);
    expect(() =>
      requireCourseEditor(partner, publishCourse({ ...partnerDraft, state: "submitted" }, staff, now)),
    ).toThrow(/staff of its sites/);
    expect(() => requireCourseEditor(who("learner"), ltoDraft)).toThrow(NotFoundError);
    expect(() => requireCourseEditor(otherStaff, ltoDraft)).toThrow(ForbiddenError);
    expect(requireCourseEditor(staff, ltoDraft)).toBe(staff);
  });
});

describe("which courses a list shows", () => {
  it("published by default; other states for readers (all) and partners (their own)", () => {
    expect(courseScope(undefined, undefined)).toEqual({ states: ["published"] });
    expect(courseScope(who("learner"), "published")).toEqual({ states: ["published"] });
    expect(courseScope(who("programme"), "draft")).toBe("all");
    expect(courseScope(partner, "draft")).toEqual({ providerId: "partner-cfp" });
    expect(() => courseScope(who("school"), "draft")).toThrow(ForbiddenError);
    expect(() => courseScope(undefined, "draft")).toThrow(UnauthenticatedError);
  });
});
