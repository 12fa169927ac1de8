// Browsing published ideas, holds, offers and the accept that turns one offer into the adoption.
import { requireRole, type Identity } from "@lto/auth";
import { ConflictError, ForbiddenError, InvalidStateError, NotFoundError } from "@lto/errors";
import {
  acceptOffer,
  assertInAdoptionPhase,
  assertNoConflictOfInterest,
  assertNotBlockedBy,
  assertVerified,
  declineHold,
  declineOffer,
  isLapsable,
  lapseHold,
  makeOffer,
  placeHold,
  releaseHold,
  startAdoption,
  withdrawOffer,
  type Adoption,
  type Commitments,
  type Hold,
  type OfferStatus,
} from "../domain/index.js";
import { asCompany, asSchool, assertParty, scopeOf, signedIn, type Deps } from "./context.js";
import { events } from "./events.js";
import type { BrowseFilter, IdeaView, PageRequest, Stored } from "./ports.js";

/** CheckAdoptable answers that will not change for this offer (the rest may: phase not started yet, ...). */
const FINAL_REFUSALS = new Set(["adoption_phase_ended", "conflict_of_interest"]);

export function marketUseCases(d: Deps) {
  const meta = (actor: string, version: number) => ({ now: d.clock.now(), actor, version });

  async function verifiedCompany(me: Identity) {
    const c = await d.companies.get(me.organisationId);
    if (!c)
      throw new ForbiddenError(
        "Register your company first (POST /v1/companies), then ask LTO staff to verify it",
      );
    assertVerified(c);
    return c;
  }

  async function loadIdea(ideaId: string): Promise<IdeaView> {
    const idea = await d.projection.get(ideaId);
    if (!idea) throw new NotFoundError("idea", ideaId);
    return idea;
  }

  /**
   * The idea must be published, not adopted, and the company free of conflicts; the call must be in
   * its adoption phase, so that an accept can follow the hold or offer.
   */
  async function assertOpenTo(idea: IdeaView, companyId: string, action: string) {
    if (idea.status !== "published") throw new InvalidStateError("idea", idea.status, action);
    if (idea.adoption) throw new InvalidStateError("idea", "adopted", action);
    const call = await d.projection.getCall(idea.callId);
    assertNoConflictOfInterest(
      companyId,
      call && { id: call.id, panelOrganisationIds: call.panelOrganisationIds },
    );
    assertInAdoptionPhase(call, idea.callId, d.clock.now(), action);
    return call;
  }

  /** Ends a hold by the clock if it is past expiry; returns the hold still in force, if any. */
  async function activeHold(ideaId: string): Promise<Stored<Hold> | undefined> {
    const hold = await d.holds.findActive(ideaId);
    if (hold && isLapsable(hold, d.clock.now())) {
      await lapse(hold);
      return undefined;
    }
    return hold;
  }

  async function lapse(hold: Stored<Hold>): Promise<boolean> {
    const now = d.clock.now();
    const lapsed = lapseHold(hold, now);
    const ok = await d.holds.endIfActive(lapsed, [
      events.holdLapsed(lapsed, "expired", meta("system", hold.version + 1)),
    ]);
    return ok;
  }

  /** After an adoption claims the idea: every other open offer and active hold is declined. */
  async function settleAdopted(adoption: Adoption, actor: string) {
    const now = d.clock.now();
    for (const o of await d.offers.listOpenByIdea(adoption.ideaId)) {
      if (o.id === adoption.offerId) continue;
      const declined = declineOffer(o, now, "The school accepted another offer for this idea");
      await d.offers.transition(declined, "open", [
        events.offerDeclined(declined, "another_offer_accepted", meta(actor, o.version + 1)),
      ]);
    }
    const hold = await d.holds.findActive(adoption.ideaId);
    if (hold) {
      const declined = declineHold(hold, now);
      await d.holds.endIfActive(declined, [
        events.holdLapsed(declined, "idea_adopted", meta(actor, hold.version + 1)),
      ]);
    }
    await d.projection.setAdoption(adoption.ideaId, { id: adoption.id, companyId: adoption.companyId });
  }

  return {
    lapse,
    settleAdopted,

    async browse(identity: Identity | undefined, filter: BrowseFilter, page: PageRequest) {
      signedIn(identity);
      return d.projection.browse(filter, page);
    },

    async getIdea(identity: Identity | undefined, ideaId: string) {
      signedIn(identity);
      return loadIdea(ideaId);
    },

    async placeHold(identity: Identity | undefined, ideaId: string, hours?: number) {
      const me = asCompany(identity);
      const company = await verifiedCompany(me);
      const idea = await loadIdea(ideaId);
      const call = await assertOpenTo(idea, company.id, "hold");
      const current = await activeHold(ideaId);
      if (current?.companyId === company.id)
        throw new ConflictError(`You already hold this idea until ${current.expiresAt.toISOString()}`);
      assertNotBlockedBy(current, company.id, d.clock.now(), "hold it");
      if (await d.holds.hasHeld(ideaId, company.id))
        throw new ConflictError("You already held this idea once; make an offer instead");
      const hold = placeHold(
        {
          id: d.ids.newId(),
          ideaId,
          callId: idea.callId,
          schoolId: idea.schoolId,
          companyId: company.id,
          hours,
          until: call?.adoptionEndsAt ?? undefined,
        },
        d.clock.now(),
      );
      const stored = await d.holds.insertActive(hold, [
        events.ideaHeld(hold, company.legalName, meta(me.subject, 1)),
      ]);
      if (!stored) throw new ConflictError("Another company put a hold on this idea a moment ago");
      return stored;
    },

    async releaseHold(identity: Identity | undefined, holdId: string) {
      const me = asCompany(identity);
      const hold = await d.holds.get(holdId);
      if (!hold || hold.companyId !== me.organisationId) throw new NotFoundError("hold", holdId);
      const released = releaseHold(hold, d.clock.now());
      if (
        !(await d.holds.endIfActive(released, [
          events.holdLapsed(released, "released", meta(me.subject, hold.version + 1)),
        ]))
      )
        throw new ConflictError("The hold changed meanwhile; read it again");
      return { ...released, version: hold.version + 1 };
    },

    async getHold(identity: Identity | undefined, holdId: string) {
      const me = signedIn(identity);
      const hold = await d.holds.get(holdId);
      if (!hold) throw new NotFoundError("hold", holdId);
      assertParty(me, hold, "hold");
      return hold;
    },

    async listHolds(
      identity: Identity | undefined,
      filter: { ideaId?: string; active?: boolean },
      page: PageRequest,
    ) {
      const me = signedIn(identity);
      return d.holds.list({ ...filter, ...scopeOf(me) }, page);
    },

    async makeOffer(
      identity: Identity | undefined,
      ideaId: string,
      input: { commitments: Commitments; message: string },
    ) {
      const me = asCompany(identity);
      const company = await verifiedCompany(me);
      const idea = await loadIdea(ideaId);
      await assertOpenTo(idea, company.id, "make an offer on");
      assertNotBlockedBy(await activeHold(ideaId), company.id, d.clock.now(), "offer");
      const offer = makeOffer(
        {
          id: d.ids.newId(),
          ideaId,
          callId: idea.callId,
          schoolId: idea.schoolId,
          companyId: company.id,
          ...input,
        },
        d.clock.now(),
      );
      const stored = await d.offers.insert(offer, [
        events.adoptionOffered(offer, company.legalName, meta(me.subject, 1)),
      ]);
      if (!stored)
        throw new ConflictError("You already have an open offer on this idea; withdraw it to make a new one");
      // An accept may have claimed the idea between the checks above and the insert: close this offer.
      const claim = await d.adoptions.findClaiming(ideaId);
      if (claim) {
        const declined = declineOffer(offer, d.clock.now(), "The idea was adopted meanwhile");
        await d.offers.transition(declined, "open", [
          events.offerDeclined(declined, "another_offer_accepted", meta("system", 2)),
        ]);
        throw new InvalidStateError("idea", "adopted", "make an offer on");
      }
      return stored;
    },

    async getOffer(identity: Identity | undefined, offerId: string) {
      const me = signedIn(identity);
      const offer = await d.offers.get(offerId);
      if (!offer) throw new NotFoundError("offer", offerId);
      assertParty(me, offer, "offer");
      return offer;
    },

    async listOffers(
      identity: Identity | undefined,
      filter: { ideaId?: string; status?: OfferStatus },
      page: PageRequest,
    ) {
      const me = signedIn(identity);
      return d.offers.list({ ...filter, ...scopeOf(me) }, page);
    },

    async withdrawOffer(identity: Identity | undefined, offerId: string, reason: string) {
      const me = asCompany(identity);
      const offer = await d.offers.get(offerId);
      if (!offer || offer.companyId !== me.organisationId) throw new NotFoundError("offer", offerId);
      const withdrawn = withdrawOffer(offer, d.clock.now(), reason);
      const ev = events.offerDeclined(withdrawn, "withdrawn_by_company", meta(me.subject, offer.version + 1));
      if (!(await d.offers.transition(withdrawn, "open", [ev]))) return failTransition(offerId, "withdraw");
      return { ...withdrawn, version: offer.version + 1 };
    },

    async declineOffer(identity: Identity | undefined, offerId: string, reason: string) {
      const me = asSchool(identity);
      const offer = await d.offers.get(offerId);
      if (!offer || offer.schoolId !== me.organisationId) throw new NotFoundError("offer", offerId);
      const declined = declineOffer(offer, d.clock.now(), reason);
      const ev = events.offerDeclined(declined, "declined_by_school", meta(me.subject, offer.version + 1));
      if (!(await d.offers.transition(declined, "open", [ev]))) return failTransition(offerId, "decline");
      return { ...declined, version: offer.version + 1 };
    },

    /**
     * The school accepts an offer. The ideas service is asked first (fresh, with a deadline; down ->
     * UnavailableError, nothing stored). Then the offer moves open -> accepted and the adoption is
     * inserted with the idea's claim, a unique key in the store: of two racing accepts exactly one
     * inserts, the other's offer is declined and it gets 409. Retrying an accept that crashed halfway
     * finishes it.
     */
    async accept(identity: Identity | undefined, offerId: string) {
      const me = requireRole(identity, "school");
      let offer = await d.offers.get(offerId);
      if (!offer || offer.schoolId !== me.organisationId) throw new NotFoundError("offer", offerId);
      const done = await d.adoptions.findByOffer(offerId);
      if (done) {
        await settleAdopted(done, me.subject);
        return done;
      }
      if (offer.status !== "open" && offer.status !== "accepted")
        throw new InvalidStateError("offer", offer.status, "accept");
      const company = await d.companies.get(offer.companyId);
      if (!company) throw new NotFoundError("company", offer.companyId);
      const idea = await loadIdea(offer.ideaId);

      const answer = await d.ideas.checkAdoptable(offer.ideaId, offer.companyId, me.token);
      if (!answer.adoptable) {
        // Final answers close the offer (the contract's IDEA_NOT_ADOPTABLE); transient ones leave it open.
        if (offer.status === "open" && FINAL_REFUSALS.has(answer.reason)) {
          const closed = declineOffer(
            offer,
            d.clock.now(),
            `The idea cannot be adopted: ${answer.detail || answer.reason}`,
          );
          await d.offers.transition(closed, "open", [
            events.offerDeclined(closed, "idea_not_adoptable", meta(me.subject, offer.version + 1)),
          ]);
        }
        throw new ConflictError(`The idea cannot be adopted now: ${answer.detail || answer.reason}`, {
          details: { ideaId: offer.ideaId, reason: answer.reason },
        });
      }

      const now = d.clock.now();
      if (offer.status === "open") {
        const accepted = acceptOffer(offer, now);
        if (await d.offers.transition(accepted, "open", []))
          offer = { ...accepted, version: offer.version + 1 };
        else {
          // Another accept of this very offer (a retry that reached another instance, or one whose
          // process died after this write) got there first: finish that acceptance instead of refusing.
          const current = await d.offers.get(offerId);
          if (current?.status !== "accepted") return failTransition(offerId, "accept");
          offer = current;
        }
      }
      const adoption = startAdoption(
        d.ids.newId(),
        offer,
        { title: idea.title, teamPseudonyms: idea.memberPseudonyms },
        now,
      );
      const stored = await d.adoptions.insertClaiming(adoption, [
        events.ideaAdopted(adoption, company.legalName, meta(me.subject, 1)),
      ]);
      if (!stored) {
        const winner = await d.adoptions.findClaiming(offer.ideaId);
        if (winner?.offerId === offer.id) return winner; // the same offer accepted twice at once
        const declined = {
          ...offer,
          status: "declined" as const,
          reason: "The school accepted another offer for this idea",
        };
        await d.offers.transition(declined, "accepted", [
          events.offerDeclined(declined, "another_offer_accepted", meta(me.subject, offer.version + 1)),
        ]);
        throw new ConflictError("Another offer for this idea was accepted first; the idea is adopted", {
          details: { ideaId: offer.ideaId, adoptionId: winner?.id },
        });
      }
      await settleAdopted(stored, me.subject);
      return stored;
    },
  };

  async function failTransition(offerId: string, attempted: string): Promise<never> {
    const now = await d.offers.get(offerId);
    if (!now) throw new NotFoundError("offer", offerId);
    throw new InvalidStateError("offer", now.status, attempted);
  }
}
