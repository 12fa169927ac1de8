// The ports the use cases need; src/infra implements them. Every write that changes state takes the
// domain events it causes, so the store keeps them in the SAME document update (transactional outbox).
import type {
  Adoption,
  AdoptionEvent,
  Company,
  CompanyStatus,
  EconomicArea,
  Hold,
  Need,
  Offer,
  OfferStatus,
} from "../domain/index.js";

/** A stored entity with its optimistic version (ETag). */
export type Stored<T> = T & { version: number };

export interface Page<T> {
  items: T[];
  /** Opaque cursor of the next page; absent on the last page. */
  nextCursor?: string;
}
export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface Clock {
  now(): Date;
}
export interface IdGenerator {
  /** Time-ordered ids (UUIDv7), so "newest first" is id order. */
  newId(): string;
}

export interface CompanyRepository {
  get(id: string): Promise<Stored<Company> | undefined>;
  /** AlreadyExistsError when the id or the VAT number is already registered. */
  insert(company: Company): Promise<Stored<Company>>;
  /** PreconditionFailedError when the stored version is not `expectedVersion`. */
  update(company: Company, expectedVersion: number): Promise<Stored<Company>>;
  list(
    filter: { status?: CompanyStatus; area?: EconomicArea },
    page: PageRequest,
  ): Promise<Page<Stored<Company>>>;
}

export interface HoldRepository {
  get(id: string): Promise<Stored<Hold> | undefined>;
  /** The idea's active hold (in force or past expiry but not yet lapsed). */
  findActive(ideaId: string): Promise<Stored<Hold> | undefined>;
  hasHeld(ideaId: string, companyId: string): Promise<boolean>;
  /** false when another active hold of the idea exists (one active hold per idea, enforced by the store). */
  insertActive(hold: Hold, events: AdoptionEvent[]): Promise<Stored<Hold> | undefined>;
  /** Writes the ended hold only if it is still active; false otherwise. */
  endIfActive(hold: Hold, events: AdoptionEvent[]): Promise<boolean>;
  listLapsable(now: Date, limit: number): Promise<Stored<Hold>[]>;
  list(
    filter: { companyId?: string; schoolId?: string; ideaId?: string; active?: boolean },
    page: PageRequest,
  ): Promise<Page<Stored<Hold>>>;
}

export interface OfferRepository {
  get(id: string): Promise<Stored<Offer> | undefined>;
  /** false when the company already has an open offer on the idea (enforced by the store). */
  insert(offer: Offer, events: AdoptionEvent[]): Promise<Stored<Offer> | undefined>;
  /** Writes the offer only if its stored status is still `from`; false otherwise. */
  transition(offer: Offer, from: OfferStatus, events: AdoptionEvent[]): Promise<boolean>;
  listOpenByIdea(ideaId: string): Promise<Stored<Offer>[]>;
  list(
    filter: { companyId?: string; schoolId?: string; ideaId?: string; status?: OfferStatus },
    page: PageRequest,
  ): Promise<Page<Stored<Offer>>>;
}

export interface AdoptionRepository {
  get(id: string): Promise<Stored<Adoption> | undefined>;
  findByOffer(offerId: string): Promise<Stored<Adoption> | undefined>;
  /** The idea's active or completed adoption: the one holding the idea's claim. */
  findClaiming(ideaId: string): Promise<Stored<Adoption> | undefined>;
  /**
   * Inserts the adoption together with the idea's claim (a unique key the store enforces); false
   * when another adoption already claims the idea. This is what makes racing accepts safe.
   */
  insertClaiming(adoption: Adoption, events: AdoptionEvent[]): Promise<Stored<Adoption> | undefined>;
  /** PreconditionFailedError when stale. An ended adoption releases the idea's claim. */
  update(adoption: Adoption, expectedVersion: number, events: AdoptionEvent[]): Promise<Stored<Adoption>>;
  list(
    filter: { companyId?: string; schoolId?: string; ideaId?: string; status?: Adoption["status"] },
    page: PageRequest,
  ): Promise<Page<Stored<Adoption>>>;
  /** Every claiming adoption (active or completed), for projection rebuilds. */
  listClaiming(): Promise<Adoption[]>;
}

/** A published idea as the adoption service knows it, from the ideas service's events. */
export interface IdeaView {
  id: string;
  callId: string;
  callTitle: string;
  schoolYear: string;
  schoolId: string;
  schoolName: string;
  title: string;
  summary: string;
  problem: string;
  solution: string;
  area: EconomicArea | "unspecified";
  technologies: string[];
  district: string;
  needs: Need[];
  teamName: string;
  memberPseudonyms: string[];
  attachments: { title: string; url: string }[];
  challengeCompanyId: string;
  /** published or withdrawn, from the ideas service. */
  status: "published" | "withdrawn";
  publishedAt: Date | null;
  /** The idea's version in the ideas service: older events are ignored. */
  ideaVersion: number;
  /** Set here when an offer is accepted; cleared when that adoption ends. */
  adoption: { id: string; companyId: string } | null;
}

export interface CallView {
  id: string;
  title: string;
  panelOrganisationIds: string[];
  adoptionStartsAt: Date | null;
  adoptionEndsAt: Date | null;
  callVersion: number;
}

export interface BrowseFilter {
  area?: EconomicArea;
  district?: string;
  technology?: string;
  need?: Need;
  callId?: string;
  /** Also list adopted ideas (default: only those still open to offers). */
  includeAdopted?: boolean;
}

export interface IdeaProjection {
  get(ideaId: string): Promise<IdeaView | undefined>;
  /** Stores the view unless a newer idea version is already stored (keeps the adoption marker). */
  apply(view: Omit<IdeaView, "adoption">): Promise<boolean>;
  markWithdrawn(ideaId: string, ideaVersion: number): Promise<boolean>;
  /** Replaces a pseudonym in the idea's members (an erasure); false when it is not there (already done). */
  renamePseudonym(ideaId: string, from: string, to: string): Promise<boolean>;
  setAdoption(ideaId: string, adoption: IdeaView["adoption"]): Promise<void>;
  browse(filter: BrowseFilter, page: PageRequest): Promise<Page<IdeaView>>;
  getCall(callId: string): Promise<CallView | undefined>;
  applyCall(call: CallView): Promise<boolean>;
}

export interface AdoptableAnswer {
  adoptable: boolean;
  /** Machine-readable reason when not adoptable (e.g. "withdrawn", "already_adopted"). */
  reason: string;
  detail: string;
}

/**
 * The ideas service, asked over gRPC for a fresh answer with a deadline. Throws UnavailableError
 * when it cannot be reached in time: the caller must refuse, never proceed blindly.
 */
export interface IdeasGateway {
  checkAdoptable(ideaId: string, companyId: string, bearerToken: string): Promise<AdoptableAnswer>;
}
