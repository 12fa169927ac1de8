import { ValidationError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import {
  buildOpenBadgeCredential,
  buildStatusListCredential,
  credentialPayloadProblem,
  issuerProfileDocument,
  italianDate,
  italianHours,
  OB_CONTEXT_V3,
  statusListEntry,
  STATUS_LIST_BITS,
  VC_CONTEXT_V2,
  vcJwtClaims,
} from "../../src/domain/credential.js";
import { aCredentialInput, ISSUER, LIST_URL } from "../infra/credentials-fixtures.js";

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues.map((i) => i.path);
  }
  throw new Error("expected a ValidationError");
}

describe("buildOpenBadgeCredential", () => {
  const vc = buildOpenBadgeCredential(aCredentialInput());

  it("is a VC 2.0 OpenBadgeCredential with both contexts, the issuer profile and validFrom", () => {
    expect(vc["@context"]).toEqual([VC_CONTEXT_V2, OB_CONTEXT_V3]);
    expect(vc.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    expect(vc.id).toBe("urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e");
    expect(vc.issuer).toEqual({
      id: ISSUER.id,
      type: ["Profile"],
      name: "LTO Mantova",
      url: "https://lto.example.it",
    });
    expect(vc.validFrom).toBe("2026-03-29T08:30:00.000Z");
    expect(vc).not.toHaveProperty("validUntil");
  });

  it("names the learner by pseudonym only and the site as the assessing source", () => {
    const subject = vc.credentialSubject;
    expect(subject.id).toBe("urn:uuid:7c9e6679-7425-40de-944b-e07fc1f90ae7");
    expect(subject.type).toEqual(["AchievementSubject"]);
    expect(subject.source).toEqual({
      id: "https://lto.example.it/v1/sites/mn-centro",
      type: ["Profile"],
      name: "LTO Mantova Centro",
    });
  });

  it("describes the course as an Achievement aligned to the DigComp competence, level and version", () => {
    const achievement = vc.credentialSubject.achievement;
    expect(achievement).toMatchObject({
      id: "https://lto.example.it/v1/courses/c-101",
      type: ["Achievement"],
      achievementType: "Course",
      name: "Cittadinanza digitale: identità e servizi pubblici",
    });
    expect(achievement.criteria.narrative).toBe(
      "Frequenza di almeno l'80% delle ore e prova finale superata. Durata del corso: 20 ore.",
    );
    expect(achievement.alignment).toEqual([
      {
        type: ["Alignment"],
        targetName: "2.3 Esercitare la cittadinanza attraverso le tecnologie digitali",
        targetUrl: "https://lto.example.it/v1/frameworks/digcomp/2.2/competences/2.3",
        targetDescription: "DigComp 2.2, competenza 2.3",
        targetCode: "2.3",
        targetFramework: "DigComp 2.2",
        targetType: "ext:DigCompCompetence",
      },
    ]);
    const [rd] = achievement.resultDescription;
    expect(rd?.rubricCriterionLevel[0]).toMatchObject({ level: "4", name: "Livello 4 (Intermedio)" });
    expect(rd?.requiredLevel).toBe(rd?.rubricCriterionLevel[0]?.id);
    expect(vc.credentialSubject.result).toEqual([
      { type: ["Result"], resultDescription: rd?.id, achievedLevel: rd?.requiredLevel, status: "Completed" },
    ]);
  });

  it("carries a revocation entry in the bitstring status list", () => {
    expect(vc.credentialStatus).toEqual({
      id: `${LIST_URL}#42`,
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: "42",
      statusListCredential: LIST_URL,
    });
  });

  it("defaults the alignment type to ceasn:Competency and keeps several competences apart", () => {
    const base = aCredentialInput().alignments[0]!;
    const two = buildOpenBadgeCredential(
      aCredentialInput({
        alignments: [
          { ...base, targetType: undefined },
          {
            ...base,
            targetType: undefined,
            competenceCode: "1.1",
            competenceName: "Navigare",
            level: "3",
            levelName: undefined,
          },
        ],
      }),
    );
    const achievement = two.credentialSubject.achievement;
    expect(achievement.alignment.map((a) => [a.targetType, a.targetCode])).toEqual([
      ["ceasn:Competency", "2.3"],
      ["ceasn:Competency", "1.1"],
    ]);
    expect(new Set(achievement.resultDescription.map((r) => r.id)).size).toBe(2);
    expect(achievement.resultDescription[1]?.rubricCriterionLevel[0]?.name).toBe("Livello 3");
  });

  it("adds validUntil and the session's dates when given", () => {
    const vc2 = buildOpenBadgeCredential(
      aCredentialInput({
        validUntil: new Date("2031-03-29T08:30:00Z"),
        session: { startsAt: new Date("2026-02-02T14:00:00Z"), endsAt: new Date("2026-03-23T17:00:00Z") },
      }),
    );
    expect(vc2.validUntil).toBe("2031-03-29T08:30:00.000Z");
    expect(vc2.credentialSubject.activityStartDate).toBe("2026-02-02T14:00:00.000Z");
    expect(vc2.credentialSubject.activityEndDate).toBe("2026-03-23T17:00:00.000Z");
  });

  it("is deterministic: the same input gives the same document", () => {
    expect(buildOpenBadgeCredential(aCredentialInput())).toEqual(vc);
  });

  it("refuses bad input naming every field", () => {
    const good = aCredentialInput();
    expect(
      issuesOf(() =>
        buildOpenBadgeCredential({
          ...good,
          credentialId: "42",
          learnerId: "mario.rossi@example.it",
          course: { ...good.course, id: "c-101", title: " ", hours: 0 },
          alignments: [{ ...good.alignments[0]!, targetUrl: "nope", targetType: "Competence" }],
          issuedAt: new Date("not a date"),
          site: { id: "mn centro", name: "" },
        }),
      ),
    ).toEqual([
      "credentialId",
      "learnerId",
      "course.id",
      "course.title",
      "course.hours",
      "alignments.0.targetUrl",
      "alignments.0.targetType",
      "issuedAt",
      "site.id",
      "site.name",
    ]);
    expect(issuesOf(() => buildOpenBadgeCredential({ ...good, alignments: [] }))).toEqual(["alignments"]);
    expect(
      issuesOf(() => buildOpenBadgeCredential({ ...good, validUntil: new Date("2026-03-29T08:30:00Z") })),
    ).toEqual(["validUntil"]);
  });
});

describe("statusListEntry", () => {
  it("accepts 0 .. 131071 and refuses the rest", () => {
    expect(statusListEntry(LIST_URL, 0).statusListIndex).toBe("0");
    expect(statusListEntry(LIST_URL, STATUS_LIST_BITS - 1).statusListIndex).toBe("131071");
    for (const index of [-1, STATUS_LIST_BITS, 1.5, Number.NaN])
      expect(issuesOf(() => statusListEntry(LIST_URL, index))).toEqual(["status.index"]);
    expect(issuesOf(() => statusListEntry("ftp://x/1", 1))).toEqual(["status.listUrl"]);
  });
});

describe("buildStatusListCredential", () => {
  it("is a VC 2.0 BitstringStatusListCredential for revocation", () => {
    const doc = buildStatusListCredential({
      listUrl: LIST_URL,
      issuer: ISSUER,
      validFrom: new Date("2026-01-01T00:00:00Z"),
      encodedList: "uH4sIAAAAAAAAA",
    });
    expect(doc).toEqual({
      "@context": [VC_CONTEXT_V2],
      id: LIST_URL,
      type: ["VerifiableCredential", "BitstringStatusListCredential"],
      issuer: ISSUER,
      validFrom: "2026-01-01T00:00:00.000Z",
      credentialSubject: {
        id: `${LIST_URL}#list`,
        type: "BitstringStatusList",
        statusPurpose: "revocation",
        encodedList: "uH4sIAAAAAAAAA",
      },
    });
  });
});

describe("issuerProfileDocument", () => {
  it("is the profile with the VC and OB contexts", () => {
    expect(issuerProfileDocument(ISSUER)).toEqual({ "@context": [VC_CONTEXT_V2, OB_CONTEXT_V3], ...ISSUER });
  });
});

describe("credentialPayloadProblem", () => {
  const now = new Date("2026-06-01T00:00:00Z");
  const vc = buildOpenBadgeCredential(aCredentialInput());
  const payload = { ...vc, ...vcJwtClaims(vc, new Date("2026-03-29T08:30:00Z")) };

  it("accepts a credential whose claims mirror the document", () => {
    expect(payload).toMatchObject({
      iss: ISSUER.id,
      jti: vc.id,
      sub: vc.credentialSubject.id,
      nbf: 1774773000,
    });
    expect(credentialPayloadProblem(payload, now)).toBeUndefined();
  });

  it.each([
    ["a wrong type", { type: ["VerifiableCredential"] }, "this is not an OpenBadgeCredential"],
    ["missing contexts", { "@context": [VC_CONTEXT_V2] }, "contexts"],
    ["a jti for another credential", { jti: "urn:uuid:00000000-0000-4000-8000-000000000000" }, "claims"],
    ["a future validFrom", { validFrom: "2027-01-01T00:00:00Z" }, "not valid yet"],
    ["a past validUntil", { validUntil: "2026-05-01T00:00:00Z" }, "expired"],
    ["no status entry", { credentialStatus: undefined }, "status"],
    [
      "an index beyond the list",
      { credentialStatus: { ...vc.credentialStatus, statusListIndex: "131072" } },
      "status",
    ],
  ])("names %s", (_what, change, reason) => {
    expect(credentialPayloadProblem({ ...payload, ...change }, now)).toContain(reason);
  });

  it("names a payload that is not an object", () => {
    expect(credentialPayloadProblem("x", now)).toBe("the token's payload is not a JSON object");
  });
});

describe("italianHours", () => {
  it("writes hours the Italian way", () => {
    expect([italianHours(20), italianHours(1), italianHours(7.5)]).toEqual(["20 ore", "1 ora", "7,5 ore"]);
  });
});

describe("italianDate", () => {
  it("is dd/mm/yyyy in Europe/Rome, across the changes of time", () => {
    expect(italianDate(new Date("2026-03-28T23:30:00Z"))).toBe("29/03/2026"); // CET, UTC+1
    expect(italianDate(new Date("2026-06-30T22:30:00Z"))).toBe("01/07/2026"); // CEST, UTC+2
    expect(italianDate(new Date("2026-12-31T22:59:59Z"))).toBe("31/12/2026");
  });
});
