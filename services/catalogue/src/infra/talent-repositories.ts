// Talent profiles, their views and contact requests on the service's collections. A profile is stored
// under its pseudonymous profile id, one per person (a unique index); withdrawal deletes it.
import type { Filter } from "@lto/store";
import type { Ports, TalentRepository } from "../app/index.js";
import { wantedSkillKeys } from "../domain/index.js";
import type { CatalogueCollections } from "./store.js";

export function talentRepository(collections: CatalogueCollections): TalentRepository {
  const { talentProfiles: profiles, talentViews: views, contactRequests: requests } = collections;
  return {
    ofPerson: (personId) => profiles.findOne({ personId }),
    get: (profileId) => profiles.get(profileId),
    insert: (profile) => profiles.insert(profile),
    update: async (profile) => (await profiles.updateIf(profile, profile.version)) !== undefined,
    remove: async (personId) => (await profiles.deleteMany({ personId })) > 0,
    search: (q) => {
      const filter: Filter = {};
      if (q.competence)
        filter.skillKeys = {
          $in: wantedSkillKeys({
            framework: q.framework,
            competence: q.competence,
            minLevel: q.minLevel,
            ...(q.frameworkVersion ? { frameworkVersion: q.frameworkVersion } : {}),
          }),
        };
      if (q.area) filter.areas = q.area;
      if (q.district) filter.district = q.district;
      return profiles.page(filter, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
    },
    recordView: async (view) => {
      await views.insert({ ...view, version: 1 });
    },
    viewsOf: (personId, page) => views.page({ personId }, page),
    insertRequest: (request) => requests.insert(request),
    getRequest: (id) => requests.get(id),
    updateRequest: async (request) => (await requests.updateIf(request, request.version)) !== undefined,
    pageRequestsOf: (by, page) => requests.page(by as Filter, page),
    removeViewsOf: async (personId) => {
      await views.deleteMany({ personId });
    },
  };
}

export function talentPorts(collections: CatalogueCollections): Pick<Ports, "talent"> {
  return { talent: talentRepository(collections) };
}
