// The reference data as the API shows it: service types and sites (public), read from domain data.
import { NotFoundError } from "@lto/errors";
import { SERVICE_TYPES, SITES, serviceType, siteById } from "../domain/index.js";

export function referenceUseCases() {
  return {
    serviceTypes: () => ({ items: [...SERVICE_TYPES] }),
    serviceType(code: string) {
      const type = serviceType(code);
      if (!type) throw new NotFoundError("service type", code);
      return type;
    },
    sites: () => ({ items: [...SITES] }),
    site(id: string) {
      const site = siteById(id);
      if (!site) throw new NotFoundError("site", id);
      return site;
    },
  };
}

/** The site, or a 404 naming it (lists by site). */
export function knownSite(id: string): string {
  if (!siteById(id)) throw new NotFoundError("site", id);
  return id;
}
