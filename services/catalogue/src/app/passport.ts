// One credential as the skills passport shows it (and a talent profile, which shows passport entries).
import type { TalentEntry } from "../domain/index.js";
import type { StoredCredential } from "./ports.js";

export function passportEntry(c: StoredCredential): TalentEntry {
  return {
    credentialId: c.id,
    courseTitle: c.input.course.title,
    site: c.site,
    issuedAt: c.issuedAt,
    competences: c.competences.map((m) => ({
      framework: m.framework,
      frameworkVersion: m.version,
      competence: m.competence,
      level: m.level,
    })),
  };
}
