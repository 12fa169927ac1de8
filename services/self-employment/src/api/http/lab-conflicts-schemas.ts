// Request and response schemas of the lab conflicts (course meetings that found their lab booked).
import { singleLineText, z } from "@lto/http-kit";
import { MAX_NOTE } from "../../domain/index.js";

const id = singleLineText({ min: 1, max: 64 });

export const labConflictParams = z.object({ conflictId: id });
export const labConflictQuery = z.strictObject({
  site: id,
  status: z.enum(["open", "resolved"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: singleLineText({ min: 1, max: 200 }).optional(),
});
export const resolutionBody = z.strictObject({
  note: singleLineText({ min: 1, max: MAX_NOTE })
    .optional()
    .meta({ description: "How the room was freed (e.g. the booking moved to Sala colloqui 2)" }),
});

export const labConflictResponse = z.object({
  id: z.string(),
  site: z.string(),
  roomId: z.string(),
  sessionId: z.string(),
  courseId: z.string(),
  meetingId: z.string(),
  sequence: z.number().int(),
  start: z.string(),
  end: z.string(),
  units: z
    .array(z.string())
    .meta({ description: "The room's 5-minute units others held (room:<id>@<instant>)" }),
  heldBy: z.array(z.string()).meta({ description: "Who held them: booking ids, or another meeting" }),
  status: z.enum(["open", "resolved"]),
  detectedAt: z.string(),
  resolution: z
    .object({
      how: z.enum(["lab_freed", "meeting_moved", "meeting_cancelled"]),
      by: z.string(),
      at: z.string(),
      note: z.string().optional(),
    })
    .optional(),
  version: z.number().int(),
});
