// Paths on their aggregate collection: the state, its next version and its events (mapped to the
// contract by the contract room) in one write; a consumed event's id recorded with its effect.
import type { PathRepository } from "../app/index.js";
import { pathPendingEvents } from "../contract/index.js";
import type { SelfEmploymentCollections } from "./store.js";

/** The reports read at most this many paths at once (a province's programme: a few thousand). */
const MAX_REPORT_PATHS = 20_000;

export function pathRepository(paths: SelfEmploymentCollections["paths"]): PathRepository {
  return {
    get: (id) => paths.get(id),
    byHolder: (holderId) => paths.findOne({ holderId }),
    insert: (path, events, eventId) =>
      paths.insert(path, {
        events: pathPendingEvents(events, path.version),
        ...(eventId ? { processedEventId: eventId } : {}),
      }),
    update: (path, events, eventId) =>
      paths.update(path, path.version, {
        events: pathPendingEvents(events, path.version + 1),
        ...(eventId ? { processedEventId: eventId } : {}),
      }),
    hasProcessed: (id, eventId) => paths.hasProcessed(id, eventId),
    markProcessed: async (id, eventId) => {
      await paths.markProcessed(id, eventId);
    },
    withBooking: (bookingId) => paths.findOne({ "bookings.bookingId": bookingId }),
    atSites: (sites) => paths.find(sites ? { site: { $in: [...sites] } } : {}, MAX_REPORT_PATHS),
  };
}
