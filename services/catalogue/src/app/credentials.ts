import { NotFoundError, ValidationError } from "@lto/errors";
import { frameworks } from "../domain/index.js";
import { readsAll, signedIn, type Viewer } from "./access.js";
import type { CredentialRecord, Ports } from "./ports.js";

/**
 * Fresh credential checks for other services (gRPC): a person's own credentials, or anyone's for staff,
 * the programme office and admins. The credentials come from the credentials module once it issues them.
 */
export function credentialQueries({ credentials, clock }: Ports) {
  function requirePersonReader(viewer: Viewer, personId: string) {
    const me = signedIn(viewer);
    if (!personId)
      throw new ValidationError("person_id is required", [{ path: "person_id", message: "is required" }]);
    // Another person's credentials are as unknown as a wrong id.
    if (!readsAll(me) && me.subject !== personId) throw new NotFoundError("person", personId);
    return me;
  }

  return {
    async list(viewer: Viewer, personId: string): Promise<CredentialRecord[]> {
      requirePersonReader(viewer, personId);
      return credentials.listFor(personId);
    },

    async check(
      viewer: Viewer,
      q: { personId: string; framework: string; version: string; competence: string; minimumLevel: number },
    ) {
      requirePersonReader(viewer, q.personId);
      const framework = frameworks.find(q.framework, q.version);
      if (!framework)
        throw new ValidationError("Unknown framework version", [
          { path: "framework_version", message: `${q.framework} ${q.version} is not a loaded framework` },
        ]);
      const best = (await credentials.listFor(q.personId))
        .filter((c) => !c.revoked)
        .flatMap((c) =>
          c.competences
            .filter(
              (m) =>
                m.framework === q.framework &&
                m.version === q.version &&
                m.competence === q.competence &&
                m.level >= q.minimumLevel,
            )
            .map((m) => ({ credential: c, level: m.level })),
        )
        .sort((a, b) => b.level - a.level)[0];
      return {
        satisfied: !!best,
        credentialId: best?.credential.id,
        level: best?.level,
        checkedAt: clock.now(),
      };
    },
  };
}
