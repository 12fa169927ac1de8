// Waitlist entries and offers on their aggregate collections (an offer with its WaitlistOffered event
// in one write).
import type { WaitlistEntryRepository, WaitlistOfferRepository } from "../app/index.js";
import { waitlistPendingEvents } from "../contract/index.js";
import type { SelfEmploymentCollections } from "./store.js";

export function waitlistRepository(entries: SelfEmploymentCollections["waitlist"]): WaitlistEntryRepository {
  const LINE = { field: "joinedAt", direction: 1 } as const;
  return {
    get: (id) => entries.get(id),
    getMany: (ids) => entries.getMany(ids),
    waitingOf: (personId, serviceCode, site) =>
      entries.findOne({ waitingKey: `${serviceCode}|${site}|${personId}` }),
    insert: (entry) => entries.insert(entry),
    update: (entry) => entries.update(entry, entry.version),
    inLine: (serviceCode, site, limit) =>
      entries.find({ serviceCode, site, status: "waiting" }, limit, { joinedAt: 1, _id: 1 }),
    page: (list, page) =>
      entries.page({ serviceCode: list.serviceCode, site: list.site, status: list.status }, page, LINE),
  };
}

export function waitlistOfferRepository(
  offers: SelfEmploymentCollections["waitlistOffers"],
): WaitlistOfferRepository {
  return {
    get: (id) => offers.get(id),
    insert: (offer, events) => offers.insert(offer, { events: waitlistPendingEvents(events, offer.version) }),
    updateIf: (offer) => offers.updateIf(offer, offer.version),
    pendingOf: (entryIds) =>
      entryIds.length
        ? offers.find({ entryId: { $in: [...entryIds] }, status: "pending" })
        : Promise.resolve([]),
    expired: (now, limit) =>
      offers.find({ status: "pending", expiresAt: { $lte: now } }, limit, { expiresAt: 1 }),
    toForward: (limit) =>
      offers.find(
        { status: { $in: ["declined", "lapsed", "withdrawn"] }, forwardedAt: { $exists: false } },
        limit,
        { _id: 1 },
      ),
    acceptedUnbooked: (before, limit) =>
      offers.find({ status: "accepted", bookedAt: { $exists: false }, decidedAt: { $lte: before } }, limit, {
        decidedAt: 1,
      }),
  };
}
