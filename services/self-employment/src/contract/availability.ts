// Availability as the gRPC contract has it: one Slot per free start and operator, with the seats it
// has left (a group session's that are not taken) and its room when it joins a group session (a new
// start gets its room at booking: empty until then).
import type { selfEmploymentV1 } from "@lto/contracts";

interface AvailabilityView {
  service: string;
  site: string;
  computedAt: string;
  days: {
    slots: { start: string; end: string; operators: { id: string }[]; freeSeats: number; roomId?: string }[];
  }[];
}

export function toProtoAvailability(view: AvailabilityView): selfEmploymentV1.GetAvailabilityResponse {
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
          roomId: slot.roomId ?? "",
          freeSeats: slot.freeSeats,
        })),
      ),
    ),
  };
}
