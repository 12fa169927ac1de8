// Schemas of the calendar feed routes: the feed's owner in the path, its secret token in the query,
// and the link a feed's owner is shown.
import { singleLineText, z } from "@lto/http-kit";

const id = singleLineText({ min: 1, max: 64 });

export const operatorFeedParams = z.object({ operatorId: id });
export const personFeedParams = z.object({ personId: id });
export const bookingInvitationParams = z.object({ bookingId: id });

/** Any token up to a sane length: one we did not issue is a 404 like a rotated one, telling nothing. */
export const feedQuery = z.strictObject({
  token: z.string().min(1).max(200).meta({ description: "The secret of the feed's link" }),
});

export const feedLinkResponse = z
  .object({
    url: z.string().meta({ description: "The secret link to subscribe to in a calendar app" }),
    kind: z.enum(["operator", "person"]),
    ownerId: z.string(),
    generation: z.number().int().meta({ description: "1 for the first link, one more on every rotation" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "CalendarFeedLink" });
