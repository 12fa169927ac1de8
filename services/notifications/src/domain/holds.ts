// The holds companies put on ideas, watched so that a company is told some hours before its hold lapses
// (the adoption service says when a hold ends, not when its end draws near).

export type HoldState = "open" | "noticed" | "ended";

export interface HoldWatch {
  /** The hold id. */
  id: string;
  ideaId: string;
  companyId: string;
  expiresAt: Date;
  /** When the "about to lapse" notice is due. */
  noticeAt: Date;
  state: HoldState;
  version: number;
}

export function heldWatch(
  stored: HoldWatch | undefined,
  h: { holdId: string; ideaId: string; companyId: string; expiresAt: Date },
  noticeAt: Date,
): HoldWatch | undefined {
  if (stored) return undefined; // known already (a redelivery, or it ended before we saw it held)
  return {
    id: h.holdId,
    ideaId: h.ideaId,
    companyId: h.companyId,
    expiresAt: h.expiresAt,
    noticeAt,
    state: "open",
    version: 0,
  };
}

/** The hold once it ended (a tombstone when its end arrives first, so a late IdeaHeld does not reopen it). */
export function endedWatch(
  stored: HoldWatch | undefined,
  h: { holdId: string; ideaId: string; companyId: string; at: Date },
): HoldWatch | undefined {
  if (stored?.state === "ended") return undefined;
  if (stored) return { ...stored, state: "ended" };
  return {
    id: h.holdId,
    ideaId: h.ideaId,
    companyId: h.companyId,
    expiresAt: h.at,
    noticeAt: h.at,
    state: "ended",
    version: 0,
  };
}

/** What the sweep does with an open hold whose notice is due: tell the company, or nothing if it lapsed. */
export function sweepDecision(hold: HoldWatch, now: Date): "notify" | "too_late" | "not_due" {
  if (hold.state !== "open" || hold.noticeAt > now) return "not_due";
  return hold.expiresAt > now ? "notify" : "too_late";
}
