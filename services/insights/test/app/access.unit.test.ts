import type { Identity, Role } from "@lto/auth";
import { ForbiddenError, UnauthenticatedError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import { visibleSites } from "../../src/app/index.js";

const as = (role: Role, sites: string[] = []): Identity =>
  ({ subject: "u", role, organisationId: "o", sites }) as unknown as Identity;

describe("who reads which sites' figures", () => {
  it("lets the programme office and admins read every site", () => {
    expect(visibleSites(as("programme"), undefined)).toBeUndefined();
    expect(visibleSites(as("admin"), "lto-asola")).toBeUndefined();
  });

  it("lets staff read their own sites only", () => {
    expect(visibleSites(as("staff", ["lto-mantova"]), undefined)).toEqual(["lto-mantova"]);
    expect(visibleSites(as("staff", ["lto-mantova"]), "lto-mantova")).toEqual(["lto-mantova"]);
    expect(() => visibleSites(as("staff", ["lto-mantova"]), "lto-asola")).toThrow(ForbiddenError);
  });

  it("refuses every other role, and nobody signed in", () => {
    for (const role of ["school", "company", "learner", "partner"] as Role[])
      expect(() => visibleSites(as(role), undefined)).toThrow(ForbiddenError);
    expect(() => visibleSites(undefined, undefined)).toThrow(UnauthenticatedError);
  });
});
