// Availability as the gRPC contract has it: one Slot per free start and operator, with the seats a
// slot offers (rooms come with bookings: empty until then).
import type { selfEmploymentV1 } from "@lto/contracts";
import { seatsOf, serviceType } from "../domain/index.js";

interface AvailabilityView {
  service: string;
  site: string;
  computedAt: string;
  days: { slots: { start: string; end: string; operators: { id: string }[] }[] }[];
}

export function toProtoAvailability(view: AvailabilityView): selfEmploymentV1.GetAvailabilityResponse {
  const type = serviceType(view.service);
  const seats = type ? seatsOf(type) : 1;
  return {
    serviceType: view.service,
    site: view.site,
    computedAt: view.computedAt,
    slots: view.days.flatMap((day) =>
      day.slots.flatMap((slot) =>
        slot.operators.map((op) => ({
          startsAt: slot.start,
          endsAt: slot.end,
          operatorId: op.id,
          roomId: "",
          freeSeats: seats,
        })),
      ),
    ),
  };
}
