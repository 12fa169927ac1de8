// Open Badges 3.0 credentials for a completed course: the documents only (plain JSON), built from plain
// inputs and checked here. Signing, the status bitstring and the PDF live in infra/credentials.
//
// Shapes follow the W3C Verifiable Credentials Data Model 2.0, Open Badges 3.0 (1EdTech) and the W3C
// Bitstring Status List. The learner is named by a pseudonymous URI, never by name or e-mail: a credential
// outlives the person's erasure and is shown to third parties.

import { ValidationError, type FieldIssue } from "@lto/errors";

export const VC_CONTEXT_V2 = "https://www.w3.org/ns/credentials/v2";
export const OB_CONTEXT_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/** The JSON Schema an OpenBadgeCredential declares, so generic verifiers can validate its shape. */
export const OB_CREDENTIAL_SCHEMA = {
  id: "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
  type: "1EdTechJsonSchemaValidator2019",
} as const;

/**
 * Bits in one status list: the W3C minimum (16 KiB), which hides any one credential among many.
 * Index allocation contract (the service's job): each credential gets one (list, index) when issued; an
 * index is allocated once and never reused, not even after the credential is revoked or its holder
 * erased (a reused bit would revoke or revive someone else's credential); when a list is full a new
 * list is opened. Allocating indexes in random order rather than sequentially is kinder to privacy
 * (the spec's advice) but not required.
 */
export const STATUS_LIST_BITS = 131_072;

/** What the service knows of its issuer: the profile document is built from it. */
export interface IssuerInput {
  /** The URL where the issuer profile is served, e.g. https://<host>/v1/issuer */
  id: string;
  name: string;
  url?: string;
  email?: string;
}

export interface IssuerProfile {
  id: string;
  type: ["Profile"];
  name: string;
  url?: string;
  email?: string;
}

export interface Alignment {
  type: ["Alignment"];
  targetName: string;
  targetUrl: string;
  targetDescription?: string;
  targetCode: string;
  targetFramework: string;
  targetType: string;
}

export interface RubricCriterionLevel {
  id: string;
  type: ["RubricCriterionLevel"];
  name: string;
  level: string;
  alignment: Alignment[];
}

/** Names the proficiency scale of one aligned competence and the level the course requires. */
export interface ResultDescription {
  id: string;
  type: ["ResultDescription"];
  name: string;
  resultType: "RubricCriterionLevel";
  alignment: Alignment[];
  rubricCriterionLevel: RubricCriterionLevel[];
  requiredLevel: string;
}

export interface Achievement {
  id: string;
  type: ["Achievement"];
  achievementType: "Course";
  name: string;
  description: string;
  criteria: { narrative: string };
  alignment: Alignment[];
  resultDescription: ResultDescription[];
  inLanguage: string;
}

export interface Result {
  type: ["Result"];
  resultDescription: string;
  achievedLevel: string;
  status: "Completed";
}

export interface AchievementSubject {
  id: string;
  type: ["AchievementSubject"];
  achievement: Achievement;
  result: Result[];
  /** The LTO site that ran the course and assessed completion on the issuer's behalf. */
  source: IssuerProfile;
  activityStartDate?: string;
  activityEndDate?: string;
}

export interface BitstringStatusListEntry {
  id: string;
  type: "BitstringStatusListEntry";
  statusPurpose: "revocation";
  statusListIndex: string;
  statusListCredential: string;
}

export interface OpenBadgeCredential {
  "@context": [typeof VC_CONTEXT_V2, typeof OB_CONTEXT_V3];
  id: string;
  type: ["VerifiableCredential", "OpenBadgeCredential"];
  name: string;
  description: string;
  issuer: IssuerProfile;
  validFrom: string;
  validUntil?: string;
  credentialSubject: AchievementSubject;
  credentialStatus: BitstringStatusListEntry;
  credentialSchema: [typeof OB_CREDENTIAL_SCHEMA];
}

export interface BitstringStatusListCredential {
  "@context": [typeof VC_CONTEXT_V2];
  id: string;
  type: ["VerifiableCredential", "BitstringStatusListCredential"];
  issuer: IssuerProfile;
  validFrom: string;
  credentialSubject: {
    id: string;
    type: "BitstringStatusList";
    statusPurpose: "revocation";
    encodedList: string;
  };
}

/** One competence a course brings the learner to, in one framework version (frameworks are data). */
export interface CompetenceAlignmentInput {
  /** e.g. "digcomp" */
  frameworkId: string;
  /** e.g. "DigComp" */
  frameworkName: string;
  /** e.g. "2.2"; every credential names the version it used. */
  frameworkVersion: string;
  /** e.g. "2.3" */
  competenceCode: string;
  competenceName: string;
  /** The level's code in the framework's scale, e.g. "4" (DigComp) or "intermedio". */
  level: string;
  /** e.g. "Intermedio"; shown beside the code. */
  levelName?: string;
  /** A page describing the competence; must be an http(s) URL. */
  targetUrl: string;
  /** Open Badges alignment target type; "ceasn:Competency" unless the framework data names another ("ext:..."). */
  targetType?: string;
}

export interface CredentialInput {
  /** urn:uuid:<uuid>, minted by the service once per credential. */
  credentialId: string;
  /** The learner's pseudonymous URI (e.g. urn:uuid:...): no name, no e-mail. */
  learnerId: string;
  course: {
    /** The course's public URL, the achievement's id. */
    id: string;
    title: string;
    description: string;
    /** What a learner had to do, e.g. "Frequenza di almeno l'80% delle ore e prova finale superata". */
    criteria: string;
    hours: number;
  };
  alignments: CompetenceAlignmentInput[];
  issuedAt: Date;
  validUntil?: Date;
  session?: { startsAt: Date; endsAt: Date };
  site: { id: string; name: string };
  status: { listUrl: string; index: number };
  issuer: IssuerInput;
}

const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const URI = /^[a-z][a-z0-9+.-]*:[^\s]+$/i;
const ALIGNMENT_TYPE =
  /^(ceasn:Competency|ceterms:Credential|CFItem|CFRubric|CFRubricCriterion|CFRubricCriterionLevel|CTDL|ext:[A-Za-z0-9]+)$/;

export function isUri(value: string): boolean {
  return URI.test(value);
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

function text(issues: FieldIssue[], value: string, path: string, max: number): void {
  if (value.trim() === "") issues.push({ path, message: "must not be empty" });
  else if (value.length > max) issues.push({ path, message: `must be at most ${max} characters` });
}

function date(issues: FieldIssue[], value: Date, path: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    issues.push({ path, message: "must be a valid date" });
}

export function issuerProfile(input: {
  id: string;
  name: string;
  url?: string;
  email?: string;
}): IssuerProfile {
  const issues: FieldIssue[] = [];
  if (!isHttpUrl(input.id)) issues.push({ path: "issuer.id", message: "must be an http(s) URL" });
  text(issues, input.name, "issuer.name", 200);
  if (input.url !== undefined && !isHttpUrl(input.url))
    issues.push({ path: "issuer.url", message: "must be an http(s) URL" });
  if (issues.length > 0)
    throw new ValidationError("The issuer profile is not valid; fix the issuer settings", issues);
  return {
    id: input.id,
    type: ["Profile"],
    name: input.name,
    ...(input.url === undefined ? {} : { url: input.url }),
    ...(input.email === undefined ? {} : { email: input.email }),
  };
}

/** The issuer profile as a JSON-LD document, served at the issuer's id (e.g. GET /v1/issuer). */
export function issuerProfileDocument(issuer: IssuerProfile): IssuerProfile & { "@context": string[] } {
  return { "@context": [VC_CONTEXT_V2, OB_CONTEXT_V3], ...issuer };
}

export function statusListEntry(listUrl: string, index: number): BitstringStatusListEntry {
  if (!isHttpUrl(listUrl))
    throw new ValidationError("The status list URL is not valid", [
      { path: "status.listUrl", message: "must be an http(s) URL" },
    ]);
  if (!Number.isInteger(index) || index < 0 || index >= STATUS_LIST_BITS)
    throw new ValidationError("The status list index is out of range", [
      { path: "status.index", message: `must be an integer from 0 to ${STATUS_LIST_BITS - 1}` },
    ]);
  return {
    id: `${listUrl}#${index}`,
    type: "BitstringStatusListEntry",
    statusPurpose: "revocation",
    statusListIndex: String(index),
    statusListCredential: listUrl,
  };
}

function alignmentOf(a: CompetenceAlignmentInput): Alignment {
  return {
    type: ["Alignment"],
    targetName: `${a.competenceCode} ${a.competenceName}`,
    targetUrl: a.targetUrl,
    targetDescription: `${a.frameworkName} ${a.frameworkVersion}, competenza ${a.competenceCode}`,
    targetCode: a.competenceCode,
    targetFramework: `${a.frameworkName} ${a.frameworkVersion}`,
    targetType: a.targetType ?? "ceasn:Competency",
  };
}

function checkAlignment(issues: FieldIssue[], a: CompetenceAlignmentInput, path: string): void {
  for (const key of ["frameworkId", "frameworkName", "frameworkVersion", "competenceCode", "level"] as const)
    text(issues, a[key], `${path}.${key}`, 100);
  text(issues, a.competenceName, `${path}.competenceName`, 300);
  if (!isHttpUrl(a.targetUrl)) issues.push({ path: `${path}.targetUrl`, message: "must be an http(s) URL" });
  if (a.targetType !== undefined && !ALIGNMENT_TYPE.test(a.targetType))
    issues.push({
      path: `${path}.targetType`,
      message: 'must be an Open Badges alignment type or "ext:<Name>"',
    });
}

/**
 * The OpenBadgeCredential of one completed course. Throws ValidationError naming every broken field.
 * The same input always gives the same document, so a stored input can re-create it exactly.
 */
export function buildOpenBadgeCredential(input: CredentialInput): OpenBadgeCredential {
  const issues: FieldIssue[] = [];
  if (!UUID_URN.test(input.credentialId))
    issues.push({ path: "credentialId", message: "must be urn:uuid:<uuid>" });
  if (!isUri(input.learnerId) || /@/.test(input.learnerId))
    issues.push({
      path: "learnerId",
      message: "must be a pseudonymous URI such as urn:uuid:<uuid>, not an e-mail",
    });
  if (!isHttpUrl(input.course.id))
    issues.push({ path: "course.id", message: "must be the course's http(s) URL" });
  text(issues, input.course.title, "course.title", 200);
  text(issues, input.course.description, "course.description", 5000);
  text(issues, input.course.criteria, "course.criteria", 2000);
  if (!(Number.isFinite(input.course.hours) && input.course.hours > 0 && input.course.hours <= 2000))
    issues.push({ path: "course.hours", message: "must be a number of hours above 0 and at most 2000" });
  if (input.alignments.length === 0)
    issues.push({ path: "alignments", message: "must name at least one competence the course develops" });
  input.alignments.forEach((a, i) => checkAlignment(issues, a, `alignments.${i}`));
  date(issues, input.issuedAt, "issuedAt");
  if (input.validUntil !== undefined) {
    date(issues, input.validUntil, "validUntil");
    if (input.validUntil.getTime() <= input.issuedAt.getTime())
      issues.push({ path: "validUntil", message: "must be after issuedAt" });
  }
  if (input.session !== undefined) {
    date(issues, input.session.startsAt, "session.startsAt");
    date(issues, input.session.endsAt, "session.endsAt");
  }
  if (!isUri(input.site.id)) issues.push({ path: "site.id", message: "must be a URI" });
  text(issues, input.site.name, "site.name", 200);
  if (issues.length > 0)
    throw new ValidationError("The credential cannot be issued; fix the listed fields", issues);
  const status = statusListEntry(input.status.listUrl, input.status.index);
  const issuer = issuerProfile(input.issuer);

  const alignments = input.alignments.map(alignmentOf);
  const resultDescriptions = input.alignments.map((a, i): ResultDescription => {
    const rdId = `${input.course.id}#result-${i + 1}`;
    const levelId = `${rdId}-level-${encodeURIComponent(a.level)}`;
    const alignment = [alignments[i] as Alignment];
    return {
      id: rdId,
      type: ["ResultDescription"],
      name: `Livello di padronanza ${a.frameworkName} ${a.frameworkVersion} ${a.competenceCode}`,
      resultType: "RubricCriterionLevel",
      alignment,
      rubricCriterionLevel: [
        {
          id: levelId,
          type: ["RubricCriterionLevel"],
          name: a.levelName === undefined ? `Livello ${a.level}` : `Livello ${a.level} (${a.levelName})`,
          level: a.level,
          alignment,
        },
      ],
      requiredLevel: levelId,
    };
  });

  const hours = `Durata del corso: ${italianHours(input.course.hours)}.`;
  return {
    "@context": [VC_CONTEXT_V2, OB_CONTEXT_V3],
    id: input.credentialId,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: input.course.title,
    description: input.course.description,
    issuer,
    validFrom: input.issuedAt.toISOString(),
    ...(input.validUntil === undefined ? {} : { validUntil: input.validUntil.toISOString() }),
    credentialSubject: {
      id: input.learnerId,
      type: ["AchievementSubject"],
      achievement: {
        id: input.course.id,
        type: ["Achievement"],
        achievementType: "Course",
        name: input.course.title,
        description: input.course.description,
        // Open Badges has no field for a course's length: the criteria say it, in words.
        criteria: { narrative: `${input.course.criteria.trim()} ${hours}` },
        alignment: alignments,
        resultDescription: resultDescriptions,
        inLanguage: "it",
      },
      result: resultDescriptions.map((rd) => ({
        type: ["Result"],
        resultDescription: rd.id,
        achievedLevel: rd.requiredLevel,
        status: "Completed",
      })),
      source: { id: input.site.id, type: ["Profile"], name: input.site.name },
      ...(input.session === undefined
        ? {}
        : {
            activityStartDate: input.session.startsAt.toISOString(),
            activityEndDate: input.session.endsAt.toISOString(),
          }),
    },
    credentialStatus: status,
    credentialSchema: [OB_CREDENTIAL_SCHEMA],
  };
}

/** The status list credential document (unsigned); `encodedList` comes from infra/credentials/status-list. */
export function buildStatusListCredential(input: {
  listUrl: string;
  issuer: IssuerInput;
  validFrom: Date;
  encodedList: string;
}): BitstringStatusListCredential {
  const issues: FieldIssue[] = [];
  if (!isHttpUrl(input.listUrl)) issues.push({ path: "listUrl", message: "must be an http(s) URL" });
  date(issues, input.validFrom, "validFrom");
  if (!input.encodedList.startsWith("u"))
    issues.push({ path: "encodedList", message: "must be multibase base64url (u...)" });
  if (issues.length > 0) throw new ValidationError("The status list credential is not valid", issues);
  return {
    "@context": [VC_CONTEXT_V2],
    id: input.listUrl,
    type: ["VerifiableCredential", "BitstringStatusListCredential"],
    issuer: issuerProfile(input.issuer),
    validFrom: input.validFrom.toISOString(),
    credentialSubject: {
      id: `${input.listUrl}#list`,
      type: "BitstringStatusList",
      statusPurpose: "revocation",
      encodedList: input.encodedList,
    },
  };
}

// --- Checking a credential someone presents -------------------------------------------------------

export type Verdict = "valid" | "revoked" | "tampered" | "invalid";

export interface VerificationResult {
  verdict: Verdict;
  /** Why, in words a person presenting or checking the credential can act on. */
  reason: string;
  /** The credential, once its signature is known to be the issuer's. */
  credential?: OpenBadgeCredential;
}

/** The registered JWT claims that mirror a VC 2.0 credential's own fields (Open Badges 3.0, VC-JWT). */
export interface VcJwtClaims {
  iss: string;
  jti: string;
  sub: string;
  nbf: number;
  iat: number;
  exp?: number;
}

/** The JWT claims a signed credential carries: iss, jti, sub, nbf from the document; iat the signing time. */
export function vcJwtClaims(
  doc: {
    id: string;
    issuer: { id: string };
    validFrom: string;
    validUntil?: string;
    credentialSubject: { id: string };
  },
  signedAt: Date,
): VcJwtClaims {
  return {
    iss: doc.issuer.id,
    jti: doc.id,
    sub: doc.credentialSubject.id,
    nbf: Math.floor(Date.parse(doc.validFrom) / 1000),
    iat: Math.floor(signedAt.getTime() / 1000),
    ...(doc.validUntil === undefined ? {} : { exp: Math.floor(Date.parse(doc.validUntil) / 1000) }),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Why a signed payload is not a well-formed OpenBadgeCredential of ours, or undefined if it is. Checks
 * what a verifier relies on: contexts, types, issuer, subject, achievement, status entry, and that the
 * JWT claims agree with the document (a mismatch means the token was assembled by someone else).
 */
export function credentialPayloadProblem(payload: unknown, now: Date): string | undefined {
  if (!isRecord(payload)) return "the token's payload is not a JSON object";
  const context = payload["@context"];
  if (!Array.isArray(context) || context[0] !== VC_CONTEXT_V2 || !context.includes(OB_CONTEXT_V3))
    return "the credential does not declare the Verifiable Credentials 2.0 and Open Badges 3.0 contexts";
  const type = payload.type;
  if (!Array.isArray(type) || !type.includes("VerifiableCredential") || !type.includes("OpenBadgeCredential"))
    return "this is not an OpenBadgeCredential";
  if (typeof payload.id !== "string" || !isUri(payload.id)) return "the credential has no id";
  const issuer = payload.issuer;
  if (!isRecord(issuer) || typeof issuer.id !== "string") return "the credential names no issuer";
  const subject = payload.credentialSubject;
  if (!isRecord(subject) || typeof subject.id !== "string" || !isRecord(subject.achievement))
    return "the credential names no learner or no achievement";
  const validFrom = typeof payload.validFrom === "string" ? Date.parse(payload.validFrom) : NaN;
  if (Number.isNaN(validFrom)) return "the credential has no valid validFrom date";
  if (payload.iss !== issuer.id || payload.jti !== payload.id || payload.sub !== subject.id)
    return "the token's claims (iss, jti, sub) do not match the credential";
  if (validFrom > now.getTime()) return "the credential is not valid yet";
  if (payload.validUntil !== undefined) {
    const until = typeof payload.validUntil === "string" ? Date.parse(payload.validUntil) : NaN;
    if (Number.isNaN(until)) return "the credential's validUntil is not a date";
    if (until <= now.getTime()) return "the credential has expired";
  }
  const status = payload.credentialStatus;
  if (
    !isRecord(status) ||
    status.type !== "BitstringStatusListEntry" ||
    status.statusPurpose !== "revocation" ||
    typeof status.statusListCredential !== "string" ||
    typeof status.statusListIndex !== "string" ||
    !/^(0|[1-9][0-9]*)$/.test(status.statusListIndex) ||
    Number(status.statusListIndex) >= STATUS_LIST_BITS
  )
    return "the credential has no usable revocation status entry";
  return undefined;
}

/** "20 ore", "1 ora", "7,5 ore". */
export function italianHours(hours: number): string {
  return `${hours.toLocaleString("it-IT", { maximumFractionDigits: 2 })} ${hours === 1 ? "ora" : "ore"}`;
}

/** dd/mm/yyyy as the date reads in Italy (Europe/Rome), whatever the server's time zone. */
export function italianDate(at: Date): string {
  return new Intl.DateTimeFormat("it-IT", {
    timeZone: "Europe/Rome",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
  }).format(at);
}
