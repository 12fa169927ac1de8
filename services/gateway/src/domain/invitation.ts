// A one-time link that lets an invited person set their password. Only the token's hash is kept: a
// copy of the database does not give anyone the links.
import { ConflictError, NotFoundError } from "@lto/errors";

export interface Invitation {
  id: string;
  version: number;
  /** SHA-256 of the token, hex. */
  tokenHash: string;
  subject: string;
  invitedBy: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt?: Date;
}

/** How long a link works. */
export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

/** The invitation behind a token, if it can still be used at `now`. */
export function usableInvitation(invitation: Invitation | undefined, now: Date): Invitation {
  if (!invitation) throw new NotFoundError("invitation", "(link)");
  if (invitation.acceptedAt) {
    throw new ConflictError("This invitation link was already used; sign in, or ask for a new invitation", {
      details: { reason: "used" },
    });
  }
  if (invitation.expiresAt.getTime() <= now.getTime()) {
    throw new ConflictError("This invitation link has expired; ask the LTO staff for a new one", {
      details: { reason: "expired" },
    });
  }
  return invitation;
}
