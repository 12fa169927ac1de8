import { ConflictError } from "@lto/errors";

/** What this service knows of a call's adoption phase (from the ideas service's call events). */
export interface AdoptionPhase {
  id: string;
  title: string;
  adoptionStartsAt: Date | null;
  adoptionEndsAt: Date | null;
}

export type PhaseRefusal = "adoption_phase_unknown" | "adoption_phase_not_started" | "adoption_phase_ended";

/**
 * Holds and offers only while an accept could follow: inside the call's adoption phase, which the ideas
 * service also checks at accept. Outside it, a 409 that names the phase and when adoption opens.
 */
export function assertInAdoptionPhase(
  call: AdoptionPhase | undefined,
  callId: string,
  now: Date,
  action: string,
): void {
  const refuse = (reason: PhaseRefusal, message: string) => {
    throw new ConflictError(message, {
      details: {
        reason,
        callId,
        adoptionStartsAt: call?.adoptionStartsAt?.toISOString() ?? null,
        adoptionEndsAt: call?.adoptionEndsAt?.toISOString() ?? null,
      },
    });
  };
  const name = call?.title || callId;
  if (!call?.adoptionStartsAt || !call.adoptionEndsAt)
    return refuse(
      "adoption_phase_unknown",
      `The dates of call ${name} have not reached this service yet, so you cannot ${action} it now; retry in a moment`,
    );
  if (now < call.adoptionStartsAt)
    return refuse(
      "adoption_phase_not_started",
      `Call ${name} is not in its adoption phase yet: it opens on ${call.adoptionStartsAt.toISOString()}; you can ${action} its ideas from then, when the school can also accept`,
    );
  if (now >= call.adoptionEndsAt)
    return refuse(
      "adoption_phase_ended",
      `The adoption phase of call ${name} ended on ${call.adoptionEndsAt.toISOString()}; you cannot ${action} its ideas any more`,
    );
}
