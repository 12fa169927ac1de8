import { ConflictError, InvalidStateError, ValidationError } from "@lto/errors";

export const MAX_HOLD_HOURS = 7 * 24;

/**
 * active: exclusive until it expires, nobody else may hold or offer (its holder may offer, and the
 * hold keeps others out while the school considers that offer); released: the holder gave it up;
 * lapsed: it expired; cancelled: the idea was withdrawn; declined: the idea was adopted.
 */
export type HoldStatus = "active" | "released" | "lapsed" | "cancelled" | "declined";

export interface Hold {
  id: string;
  ideaId: string;
  callId: string;
  schoolId: string;
  companyId: string;
  status: HoldStatus;
  createdAt: Date;
  expiresAt: Date;
  endedAt?: Date;
}

export function placeHold(
  input: {
    id: string;
    ideaId: string;
    callId: string;
    schoolId: string;
    companyId: string;
    hours?: number;
    /** The end of the call's adoption phase: a hold never outlasts it (no accept could follow). */
    until?: Date | undefined;
  },
  now: Date,
): Hold {
  const hours = input.hours ?? MAX_HOLD_HOURS;
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_HOLD_HOURS)
    throw new ValidationError("A hold lasts from 1 hour to 7 days", [
      { path: "hours", message: `must be a whole number of hours from 1 to ${MAX_HOLD_HOURS}` },
    ]);
  if (input.until && input.until.getTime() <= now.getTime())
    throw new InvalidStateError("call", "closed", "hold an idea of", {
      reason: "adoption_phase_ended",
      because: "its adoption phase is over",
    });
  return {
    id: input.id,
    ideaId: input.ideaId,
    callId: input.callId,
    schoolId: input.schoolId,
    companyId: input.companyId,
    status: "active",
    createdAt: now,
    expiresAt: new Date(Math.min(now.getTime() + hours * 3_600_000, input.until?.getTime() ?? Infinity)),
  };
}

/** An active hold is in force until its expiry instant (exclusive). */
export function isInForce(hold: Hold, now: Date): boolean {
  return hold.status === "active" && now.getTime() < hold.expiresAt.getTime();
}

export function isLapsable(hold: Hold, now: Date): boolean {
  return hold.status === "active" && now.getTime() >= hold.expiresAt.getTime();
}

function end(hold: Hold, to: HoldStatus, attempted: string, now: Date): Hold {
  if (hold.status !== "active") throw new InvalidStateError("hold", hold.status, attempted);
  return { ...hold, status: to, endedAt: now };
}

/** The sweeper's decision, by the clock: an unused hold past its expiry lapses. */
export function lapseHold(hold: Hold, now: Date): Hold {
  if (hold.status === "active" && !isLapsable(hold, now))
    throw new InvalidStateError("hold", "active", "lapse", {
      reason: "not_expired",
      because: `it is active until ${hold.expiresAt.toISOString()}`,
    });
  return end(hold, "lapsed", "lapse", now);
}

export function releaseHold(hold: Hold, now: Date): Hold {
  return end(hold, "released", "release", now);
}

export function cancelHold(hold: Hold, now: Date): Hold {
  return end(hold, "cancelled", "cancel", now);
}

export function declineHold(hold: Hold, now: Date): Hold {
  return end(hold, "declined", "decline", now);
}

/** Another company's hold in force keeps everyone else from holding or offering on the idea. */
export function assertNotBlockedBy(
  hold: Hold | undefined,
  companyId: string,
  now: Date,
  action: string,
): void {
  if (hold && isInForce(hold, now) && hold.companyId !== companyId)
    throw new ConflictError(
      `Another company holds this idea until ${hold.expiresAt.toISOString()}; you cannot ${action} before then`,
      { details: { ideaId: hold.ideaId, heldUntil: hold.expiresAt.toISOString() } },
    );
}
