import { requireRole, signedIn, type Identity } from "@lto/auth";
import { ForbiddenError, NotFoundError } from "@lto/errors";
import type {
  AdoptionRepository,
  Clock,
  CompanyRepository,
  HoldRepository,
  IdGenerator,
  IdeaProjection,
  IdeasGateway,
  OfferRepository,
} from "./ports.js";

export interface Deps {
  companies: CompanyRepository;
  holds: HoldRepository;
  offers: OfferRepository;
  adoptions: AdoptionRepository;
  projection: IdeaProjection;
  ideas: IdeasGateway;
  clock: Clock;
  ids: IdGenerator;
}

// Signed in: the platform's check (a 401 with the same words everywhere).
export { signedIn };

/** Staff, the programme office and admins read everything. */
export function readsAll(me: Identity): boolean {
  return me.role === "staff" || me.role === "programme" || me.role === "admin";
}

/** A company user acts only for the company they sign in as: its id is their organisation id. */
export function asCompany(identity: Identity | undefined): Identity {
  return requireRole(identity, "company");
}

export function asSchool(identity: Identity | undefined): Identity {
  return requireRole(identity, "school");
}

/**
 * `me` may read what belongs to the company `companyId` and the school `schoolId`; anyone else gets the
 * same 404 as for an unknown id, so no answer tells that another party's hold, offer or adoption exists.
 */
export function assertParty(
  me: Identity,
  owner: { id: string; companyId: string; schoolId: string },
  entity: string,
): void {
  if (readsAll(me)) return;
  if (me.role === "company" && me.organisationId === owner.companyId) return;
  if (me.role === "school" && me.organisationId === owner.schoolId) return;
  throw new NotFoundError(entity, owner.id);
}

/** The list scope a role may see: companies their own, schools theirs, readers everything. */
export function scopeOf(me: Identity): { companyId?: string; schoolId?: string } {
  if (readsAll(me)) return {};
  if (me.role === "company") return { companyId: me.organisationId };
  if (me.role === "school") return { schoolId: me.organisationId };
  throw new ForbiddenError(`The role ${me.role} cannot list these`);
}
