// Request and response schemas of availability and the equipment credential gate.
import { isLocalDate } from "@lto/civil-time";
import { singleLineText, z } from "@lto/http-kit";

const id = singleLineText({ min: 1, max: 64 });
const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine(isLocalDate, "must be a calendar date that exists");

export const availabilityQuery = z.strictObject({
  service: id.meta({ description: "The service type code, e.g. colloquio_specialistico" }),
  site: id.meta({ description: "The site id, e.g. lto-mantova" }),
  from: localDate.meta({ description: "First day (Europe/Rome), inclusive" }),
  to: localDate.meta({ description: "Last day (Europe/Rome), inclusive; at most 62 days per call" }),
  operator: id.optional().meta({ description: "Only this operator's slots" }),
});

const localLabel = z.string().meta({
  description:
    "Rome wall-clock time with its offset, 2026-10-25T02:30+02:00: the offset tells the repeated October hour apart",
});

export const availabilityResponse = z.object({
  service: z.string(),
  site: z.string(),
  from: z.string(),
  to: z.string(),
  durationMinutes: z.number().int(),
  bookableUntil: z.string().meta({ description: "The last day the service's horizon reaches (Rome)" }),
  computedAt: z.iso.datetime(),
  days: z.array(
    z.object({
      date: z.string(),
      closed: z.string().optional().meta({ description: "Why the site is closed that day" }),
      slots: z.array(
        z.object({
          start: z.iso.datetime(),
          end: z.iso.datetime(),
          startLocal: localLabel,
          endLocal: localLabel,
          occurrence: z
            .enum(["earlier", "later"])
            .optional()
            .meta({ description: "Set when the start's wall-clock time happens twice that day" }),
          operators: z.array(z.object({ id: z.string(), name: z.string() })),
          freeSeats: z.number().int().meta({
            description:
              "Seats left at this slot: 1 for an individual service, a group service's seats at a new start, those left in the group session it joins",
          }),
          roomId: z.string().optional().meta({
            description: "The room of the group session the slot joins (a new start gets one at booking)",
          }),
        }),
      ),
    }),
  ),
});

export const equipmentParams = z.object({ itemId: id });
export const equipmentAccessQuery = z.strictObject({
  person: id.meta({ description: "The person's id (in this service)" }),
});

const requirement = z.object({
  framework: z.string(),
  version: z.string(),
  competence: z.string(),
  minimumLevel: z.number().int(),
});

export const equipmentAccessResponse = z.object({
  item: z.string(),
  person: z.string(),
  allowed: z.boolean(),
  requirement: requirement.nullable().meta({ description: "The credential the item needs; null: none" }),
  reason: z.string(),
  credentialId: z.string().optional(),
});
