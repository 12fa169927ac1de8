// Every event the self-employment service consumes, and what it does with it: the one place to look.
// The contract room turns each wire message into an app fact (or parks one that breaks its contract on
// the DLQ).
import { BookingCancelledEvent, IdeaAdoptedEvent } from "@lto/contracts";
import { on, type Subscriptions } from "@lto/messaging";
import type { SelfEmploymentApp } from "../app/index.js";
import { bookingCancelledFact, ideaAdoptedFact } from "../contract/index.js";

export function subscriptions(app: SelfEmploymentApp): Subscriptions {
  return [
    on(IdeaAdoptedEvent, (e) => app.paths.ideaEvents.ideaAdopted(ideaAdoptedFact(e))),
    // The service's own cancellations: the freed slot goes to the first in line of its waitlist.
    on(BookingCancelledEvent, async (e) => {
      await app.waitlist.bookingCancelled(bookingCancelledFact(e));
    }),
  ];
}
