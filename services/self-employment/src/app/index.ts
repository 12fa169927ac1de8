import { availabilityUseCases } from "./availability.js";
import { bookingUseCases } from "./bookings.js";
import { bookingChangesAndWaitlist } from "./waitlist.js";
import { operatorUseCases } from "./operators.js";
import { pathUseCases } from "./paths.js";
import { personUseCases } from "./persons.js";
import type { Ports } from "./ports.js";
import { referenceUseCases } from "./reference.js";

export function createApp(ports: Ports) {
  return {
    reference: referenceUseCases(),
    operators: operatorUseCases(ports),
    persons: personUseCases(ports),
    availability: availabilityUseCases(ports),
    paths: pathUseCases(ports),
    bookings: bookingUseCases(ports),
    ...bookingChangesAndWaitlist(ports),
  };
}

export type SelfEmploymentApp = ReturnType<typeof createApp>;
export type * from "./ports.js";
export type { Viewer } from "./access.js";
export type { IdeaAdoptedFact, PathView } from "./paths.js";
