// Every event the self-employment service consumes, and what it does with it: the one place to look.
// The contract room turns each wire message into an app fact (or parks one that breaks its contract on
// the DLQ).
import { BookingCancelledEvent, IdeaAdoptedEvent, NoShowRecordedEvent } from "@lto/contracts";
import { on, type Subscriptions } from "@lto/messaging";
import type { SelfEmploymentApp } from "../app/index.js";
import { bookingCancelledFact, ideaAdoptedFact, noShowRecordedFact } from "../contract/index.js";

export function subscriptions(app: SelfEmploymentApp): Subscriptions {
  return [
    on(IdeaAdoptedEvent, (e) => app.paths.ideaEvents.ideaAdopted(ideaAdoptedFact(e))),
    // The service's own cancellations: the freed slot goes to the first in line of its waitlist.
    on(BookingCancelledEvent, async (e) => {
      const fact = bookingCancelledFact(e);
      await app.bookingChanges.pathCatchUp(fact.bookingId);
      await app.waitlist.bookingCancelled(fact);
    }),
    // The path records a no-show a crash kept it from recording.
    on(NoShowRecordedEvent, async (e) => {
      await app.bookingChanges.pathCatchUp(noShowRecordedFact(e).bookingId);
    }),
  ];
}
