// The market's use cases on in-memory ports: what they decide and the domain events they publish
// (the app never builds protobuf; src/contract does).
import { ConflictError, InvalidStateError } from "@lto/errors";
import { beforeEach, describe, expect, it } from "vitest";
import { createUseCases } from "../../src/app/index.js";
import { registerCompany, verifyCompany } from "../../src/domain/index.js";
import { aCompanyProfile, anIdeaView, anOfferInput, t0 } from "../fixtures.js";
import { as, memoryDeps } from "./memory.js";

const day = 86_400_000;
const idea = anIdeaView();

let world: ReturnType<typeof memoryDeps>;
let useCases: ReturnType<typeof createUseCases>;

beforeEach(async () => {
  world = memoryDeps(t0);
  useCases = createUseCases(world.deps);
  for (const id of ["c1", "c2"]) {
    const c = verifyCompany(
      registerCompany(id, aCompanyProfile(), new Date(t0.getTime() - 9 * day)),
      "staff",
      t0,
    );
    world.companies.set(id, { ...c, version: 2 });
  }
  await world.deps.projection.apply(idea);
  await world.deps.projection.applyCall({
    id: "call-1",
    title: "LTO Idee",
    panelOrganisationIds: [],
    adoptionStartsAt: new Date(t0.getTime() - 30 * day),
    adoptionEndsAt: new Date(t0.getTime() + 120 * day),
    callVersion: 1,
  });
});

const offerOf = (companyId: string) => {
  const { commitments, message } = anOfferInput();
  return useCases.market.makeOffer(as("company", companyId), "i1", { commitments, message });
};

describe("accepting an offer", () => {
  it("adopts the idea, declines the other offers, and publishes domain events", async () => {
    const first = await offerOf("c1");
    const second = await offerOf("c2");
    const adoption = await useCases.market.accept(as("school", "school-1"), first.id);

    expect(adoption).toMatchObject({ ideaId: "i1", companyId: "c1", offerId: first.id, status: "active" });
    expect(world.published.map((e) => e.type)).toEqual([
      "AdoptionOffered",
      "AdoptionOffered",
      "IdeaAdopted",
      "OfferDeclined",
    ]);
    expect(world.published[3]).toMatchObject({
      type: "OfferDeclined",
      reason: "another_offer_accepted",
      offer: { id: second.id, status: "declined" },
      meta: { actor: "school-user", version: 2 },
    });
    expect((await world.deps.projection.get("i1"))?.adoption).toEqual({ id: adoption.id, companyId: "c1" });
    await expect(useCases.market.accept(as("school", "school-1"), second.id)).rejects.toThrow(
      InvalidStateError,
    );
  });

  it("refuses a second open offer of the same company on the idea", async () => {
    await offerOf("c1");
    await expect(offerOf("c1")).rejects.toThrow(ConflictError);
    expect(world.published.map((e) => e.type)).toEqual(["AdoptionOffered"]);
  });

  it("finishes the acceptance when another accept of the same offer moved it first (no 409, one adoption)", async () => {
    const offer = await offerOf("c1");
    const offers = world.deps.offers;
    const transition = offers.transition;
    // A retry of this accept on another instance (or a process that died after writing) accepted the
    // offer between this accept's read and its own transition, and made no adoption yet.
    offers.transition = async (o, from, events) => {
      offers.transition = transition;
      const stored = await offers.get(o.id);
      await transition({ ...stored!, status: "accepted", decidedAt: t0 }, "open", []);
      return transition(o, from, events);
    };
    const adoption = await useCases.market.accept(as("school", "school-1"), offer.id);
    expect(adoption).toMatchObject({ offerId: offer.id, status: "active" });
    expect(world.published.filter((e) => e.type === "IdeaAdopted")).toHaveLength(1);
    // and a further retry answers the same adoption
    expect((await useCases.market.accept(as("school", "school-1"), offer.id)).id).toBe(adoption.id);
  });
});

describe("ending an adoption early", () => {
  it("publishes AdoptionEnded and returns the idea to the pool", async () => {
    const offer = await offerOf("c1");
    const adoption = await useCases.market.accept(as("school", "school-1"), offer.id);
    await useCases.adoptions.end(as("company", "c1"), adoption.id, "Stagione produttiva");
    expect(world.published.at(-1)).toMatchObject({
      type: "AdoptionEnded",
      adoption: { id: adoption.id, status: "ended", endedBy: "company" },
    });
    expect((await world.deps.projection.get("i1"))?.adoption).toBeNull();
  });
});
