import { isDeepStrictEqual } from "node:util";
import { requireRole, type Identity } from "@lto/auth";
import { ForbiddenError, NotFoundError, PreconditionFailedError } from "@lto/errors";
import {
  registerCompany,
  updateCompany,
  verifyCompany,
  type CompanyChanges,
  type CompanyProfile,
  type CompanyStatus,
  type EconomicArea,
} from "../domain/index.js";
import { readsAll, signedIn, type Deps } from "./context.js";
import type { PageRequest } from "./ports.js";

export function companyUseCases(d: Deps) {
  async function load(id: string) {
    const c = await d.companies.get(id);
    if (!c) throw new NotFoundError("company", id);
    return c;
  }

  return {
    /** A company user registers their own company (the organisation they sign in as). */
    async register(identity: Identity | undefined, profile: CompanyProfile) {
      const me = requireRole(identity, "company");
      return d.companies.insert(registerCompany(me.organisationId, profile, d.clock.now()));
    },

    /** Verified companies are visible to every signed-in user; a registered one only to itself and staff. */
    async get(identity: Identity | undefined, id: string) {
      const me = signedIn(identity);
      const c = await load(id);
      if (c.status !== "verified" && !readsAll(me) && me.organisationId !== id)
        throw new NotFoundError("company", id);
      return c;
    },

    async list(
      identity: Identity | undefined,
      filter: { status?: CompanyStatus; area?: EconomicArea },
      page: PageRequest,
    ) {
      const me = signedIn(identity);
      if (readsAll(me)) return d.companies.list(filter, page);
      // Everyone else sees the verified companies: asking for no status means those.
      if (filter.status !== undefined && filter.status !== "verified")
        throw new ForbiddenError("Only staff and the programme office list companies that are not verified");
      return d.companies.list({ ...filter, status: "verified" }, page);
    },

    async update(identity: Identity | undefined, id: string, changes: CompanyChanges, ifMatch: number) {
      const me = requireRole(identity, "company");
      if (me.organisationId !== id) throw new ForbiddenError("A company can change only its own profile");
      const c = await load(id);
      const changed = updateCompany(c, changes);
      // Nothing changes: nothing is written, so the version (ETag) other clients hold stays valid.
      if (isDeepStrictEqual(changed, c)) {
        if (ifMatch !== c.version) throw new PreconditionFailedError();
        return c;
      }
      return d.companies.update(changed, ifMatch);
    },

    /** Staff verify a registered company; from then on it may hold ideas and make offers. */
    async verify(identity: Identity | undefined, id: string, ifMatch?: number) {
      const me = requireRole(identity, "staff", "admin");
      const c = await load(id);
      return d.companies.update(verifyCompany(c, me.subject, d.clock.now()), ifMatch ?? c.version);
    },
  };
}
