// Issued credentials from the holder's and the verifier's side: the issuer's public documents, verifying,
// reading and downloading, revoking, the skills passport, and erasure of a holder on request.
import { ForbiddenError, NotFoundError, ValidationError } from "@lto/errors";
import { issuerProfile, issuerProfileDocument } from "../domain/credential.js";
import type { Site } from "../domain/index.js";
import { actor, readsAll, requireRole, requireSitesStaff, signedIn, type Viewer } from "./access.js";
import { passportEntry } from "./passport.js";
import type { PageRequest, Ports, StoredCredential } from "./ports.js";
import { dropFromTalentProfile, eraseTalent } from "./talent.js";

const ERASED_PREFIX = "erased-";

/** The credential as its holder and readers see it (the signed token separately). */
export function credentialView(c: StoredCredential) {
  return {
    id: c.id,
    personId: c.personId,
    courseId: c.courseId,
    sessionId: c.sessionId,
    site: c.site,
    courseTitle: c.input.course.title,
    hours: c.hours,
    competences: c.competences,
    issuedAt: c.issuedAt,
    revoked: c.revoked,
    ...(c.revokedAt ? { revokedAt: c.revokedAt, revocationReason: c.revocationReason } : {}),
    statusListId: c.statusListId,
    statusIndex: c.statusIndex,
  };
}

export function credentialWalletUseCases(ports: Ports) {
  const { issuedCredentials, issuer, clock, attendance, completions, passportReads, ids } = ports;

  async function load(id: string) {
    const credential = await issuedCredentials.get(id);
    if (!credential) throw new NotFoundError("credential", id);
    return credential;
  }

  /** The holder, staff of the issuing site, the programme office and admins; others see a 404. */
  async function loadReadable(viewer: Viewer, id: string) {
    const me = signedIn(viewer);
    const credential = await load(id);
    const allowed =
      me.subject === credential.personId ||
      me.role === "programme" ||
      me.role === "admin" ||
      (me.role === "staff" && me.sites.includes(credential.site as Site));
    if (!allowed) throw new NotFoundError("credential", id);
    return credential;
  }

  /** The passport: the person's credentials that are not revoked, newest first, a page at a time. */
  async function passport(personId: string, page: PageRequest) {
    const found = await issuedCredentials.pageFor(personId, page, true);
    return {
      personId,
      items: found.items.map(passportEntry),
      ...(found.nextCursor ? { nextCursor: found.nextCursor } : {}),
    };
  }

  return {
    issuerProfile: () => issuerProfileDocument(issuerProfile(issuer.issuer())),
    jwks: () => issuer.jwks(),

    async statusList(listId: string) {
      const jwt = await issuer.statusListJwt(listId);
      if (!jwt) throw new NotFoundError("status list", listId);
      return jwt;
    },

    async verify(jwt: string) {
      const { verdict, reason } = await issuer.verify(jwt, clock.now());
      return { verdict, reason };
    },

    async mine(viewer: Viewer, page: PageRequest) {
      const me = signedIn(viewer);
      const found = await issuedCredentials.pageFor(me.subject, page);
      return {
        items: found.items.map(credentialView),
        ...(found.nextCursor ? { nextCursor: found.nextCursor } : {}),
      };
    },

    async get(viewer: Viewer, id: string) {
      return credentialView(await loadReadable(viewer, id));
    },

    async jwt(viewer: Viewer, id: string) {
      return (await loadReadable(viewer, id)).jwt;
    },

    /** The holder's printable attestato; their name on it only when they ask. */
    async attestato(viewer: Viewer, id: string, learnerName: string | undefined) {
      const me = signedIn(viewer);
      const credential = await load(id);
      if (credential.personId !== me.subject) throw new NotFoundError("credential", id);
      return issuer.attestatoPdf(credential.input, learnerName);
    },

    /** Staff of the issuing site revoke, with a reason: the status bit first, then the record. */
    async revoke(viewer: Viewer, id: string, reason: string) {
      const credential = await load(id);
      const me = requireSitesStaff(viewer, [credential.site as Site]);
      if (credential.revoked) {
        // A retry finishes what a failed attempt left: the credential off the talent profile.
        await dropFromTalentProfile(ports, credential.personId, credential.id);
        return credentialView(credential);
      }
      await issuer.revokeStatus(credential.statusListId, credential.statusIndex);
      const now = clock.now();
      const next: StoredCredential = {
        ...credential,
        revoked: true,
        revokedAt: now,
        revocationReason: reason,
        revokedBy: actor(me).subject,
      };
      const saved = await issuedCredentials.update(next, [
        { type: "CredentialRevoked", credential: next, reason, by: me.subject, at: now },
      ]);
      await dropFromTalentProfile(ports, credential.personId, credential.id);
      return credentialView(saved);
    },

    async myPassport(viewer: Viewer, page: PageRequest) {
      const me = requireRole(viewer, "learner");
      return passport(me.subject, page);
    },

    /** Staff, the programme office and admins read a person's passport, with the reason logged. */
    async passportOf(viewer: Viewer, personId: string, reason: string, page: PageRequest) {
      const me = signedIn(viewer);
      if (!readsAll(me))
        throw new ForbiddenError("Only staff and the programme office read another person's passport");
      await passportReads.record({ personId, by: me.subject, role: me.role, reason, at: clock.now() });
      return passport(personId, page);
    },

    /**
     * Erasure on request (the learner, or an admin for them): the person id becomes an opaque tombstone
     * everywhere the service names them; credentials (ids, status bits, counts) stay. Retryable.
     */
    async erase(viewer: Viewer, personId: string) {
      const me = signedIn(viewer);
      if (me.subject !== personId && me.role !== "admin")
        throw new ForbiddenError(
          "Only the person themselves, or an administrator for them, asks for erasure",
        );
      if (personId.startsWith(ERASED_PREFIX))
        throw new ValidationError("Already erased", [{ path: "personId", message: "is a tombstone" }]);
      const tombstone = `${ERASED_PREFIX}${ids.newId()}`;
      const now = clock.now();
      let credentialsErased = 0;
      for (const c of await issuedCredentials.listAllFor(personId)) {
        await issuedCredentials.update({ ...c, personId: tombstone, erasedAt: now }, []);
        credentialsErased++;
      }
      for (const register of await attendance.listNaming(personId))
        await attendance.save(
          {
            ...register,
            entries: register.entries.map((e) =>
              e.personId === personId ? { ...e, personId: tombstone } : e,
            ),
          },
          [],
        );
      for (const record of await completions.listNaming(personId))
        await completions.update({
          ...record,
          outcomes: record.outcomes.map((o) => (o.personId === personId ? { ...o, personId: tombstone } : o)),
        });
      await passportReads.eraseNaming(personId, tombstone);
      await eraseTalent(ports, personId, tombstone);
      return { personId, erased: true, credentials: credentialsErased };
    },
  };
}
