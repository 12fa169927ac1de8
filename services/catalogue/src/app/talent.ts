// Talent profiles and company search. An adult learner opts in with chosen credentials from their
// passport; companies (verified by the adoption service; for now the `company` role of the token, the
// gateway checks verification) search and open profiles under a pseudonym, and ask for contact, which
// the person accepts (sharing the contact they choose) or declines. The person sees every view and
// request, and withdraws at any time: the profile goes at once and pending requests close.
import type { LocalDate } from "@lto/civil-time";
import { romeDate } from "@lto/civil-time";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@lto/errors";
import { contactDecisionRefusal, isAdultOn, type TalentEntry } from "../domain/index.js";
import { requireRole, type Viewer } from "./access.js";
import { passportEntry } from "./passport.js";
import type { ContactRequest, PageRequest, Ports, TalentProfile, TalentSearch } from "./ports.js";

export interface TalentOptIn {
  /** Only used to check the person is an adult today; not stored. */
  birthDate: LocalDate;
  credentialIds: string[];
  district: string;
  areas: string[];
  headline: string;
}

export type TalentSearchQuery = TalentSearch;

const ATTEMPTS = 5;

/** What a company sees: competences, levels, dates and issuing sites under the pseudonym. */
function companyView(p: TalentProfile) {
  return {
    profileId: p.id,
    headline: p.headline,
    district: p.district,
    areas: p.areas,
    credentials: p.entries.map((e) => ({
      courseTitle: e.courseTitle,
      site: e.site,
      issuedAt: e.issuedAt,
      competences: e.competences,
    })),
    updatedAt: p.updatedAt,
  };
}

function ownView(p: TalentProfile) {
  return { ...companyView(p), entries: p.entries, createdAt: p.createdAt };
}

function requestForPerson(r: ContactRequest) {
  return {
    id: r.id,
    profileId: r.profileId,
    companyId: r.companyId,
    message: r.message,
    state: r.state,
    createdAt: r.createdAt,
    ...(r.decidedAt ? { decidedAt: r.decidedAt } : {}),
    ...(r.contact ? { contact: r.contact } : {}),
  };
}

/** The company sees the shared contact only once the person accepted. */
function requestForCompany(r: ContactRequest) {
  const { contact, ...rest } = requestForPerson(r);
  return r.state === "accepted" && contact ? { ...rest, contact } : rest;
}

/** A revoked credential leaves the holder's profile at once (search keys follow from the entries). */
export async function dropFromTalentProfile(
  { talent, clock }: Ports,
  personId: string,
  credentialId: string,
): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const profile = await talent.ofPerson(personId);
    if (!profile || !profile.entries.some((e) => e.credentialId === credentialId)) return;
    const entries = profile.entries.filter((e) => e.credentialId !== credentialId);
    if (await talent.update({ ...profile, entries, updatedAt: clock.now() })) return;
  }
  throw new ConflictError("The talent profile kept changing; revoke again to finish");
}

/** Every request the person received (all pages, read before any is changed). */
async function everyRequestOf(talent: Ports["talent"], personId: string): Promise<ContactRequest[]> {
  const all: ContactRequest[] = [];
  let cursor: string | undefined;
  do {
    const page = await talent.pageRequestsOf({ personId }, { limit: 100, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/**
 * Erasure: the profile and the views of it go; requests stay for the companies' records with the
 * person as `tombstone`, the shared contact removed and pending ones closed.
 */
export async function eraseTalent({ talent, clock }: Ports, personId: string, tombstone: string) {
  await talent.remove(personId);
  await talent.removeViewsOf(personId);
  const now = clock.now();
  for (const request of await everyRequestOf(talent, personId)) {
    const { contact: _contact, ...rest } = request;
    await talent.updateRequest({
      ...rest,
      personId: tombstone,
      ...(request.state === "pending" ? { state: "closed" as const, decidedAt: now } : {}),
    });
  }
}

export function talentUseCases({ talent, issuedCredentials, clock, ids }: Ports) {
  async function loadOwnRequest(personId: string, id: string) {
    const request = await talent.getRequest(id);
    if (!request || request.personId !== personId) throw new NotFoundError("contact request", id);
    return request;
  }

  async function decide(viewer: Viewer, id: string, accept: boolean, contact?: string) {
    const me = requireRole(viewer, "learner");
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const request = await loadOwnRequest(me.subject, id);
      const refusal = contactDecisionRefusal(request.state);
      if (refusal) throw new ConflictError(refusal);
      const next: ContactRequest = {
        ...request,
        state: accept ? "accepted" : "declined",
        decidedAt: clock.now(),
        ...(accept && contact ? { contact } : {}),
      };
      if (await talent.updateRequest(next)) return requestForPerson({ ...next, version: next.version + 1 });
    }
    throw new ConflictError("The request kept changing; read it again and retry");
  }

  async function loadForCompany(viewer: Viewer, profileId: string) {
    const me = requireRole(viewer, "company");
    const profile = await talent.get(profileId);
    if (!profile) throw new NotFoundError("talent profile", profileId);
    return { me, profile };
  }

  return {
    /** Opts in, or changes the profile (same pseudonym). A minor is refused, with nothing stored. */
    async put(viewer: Viewer, input: TalentOptIn) {
      const me = requireRole(viewer, "learner");
      const now = clock.now();
      if (!isAdultOn(input.birthDate, romeDate(now)))
        throw new ForbiddenError(
          "Talent profiles are for adults (18 or over): a minor cannot opt in; ask again when you turn 18",
        );
      const held = new Map(
        (await issuedCredentials.listAllFor(me.subject)).filter((c) => !c.revoked).map((c) => [c.id, c]),
      );
      const unknown = input.credentialIds.filter((id) => !held.has(id));
      if (unknown.length)
        throw new ValidationError("Show only valid credentials from your own passport", [
          { path: "credentialIds", message: `not in your passport: ${unknown.join(", ")}` },
        ]);
      const entries: TalentEntry[] = [...new Set(input.credentialIds)].map((id) =>
        passportEntry(held.get(id)!),
      );
      const fields = {
        entries,
        district: input.district,
        areas: [...new Set(input.areas)],
        headline: input.headline,
        adultConfirmedAt: now,
        updatedAt: now,
      };
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const current = await talent.ofPerson(me.subject);
        if (current) {
          const next = { ...current, ...fields };
          if (await talent.update(next)) return ownView({ ...next, version: next.version + 1 });
        } else {
          const profile: TalentProfile = {
            id: ids.newId(),
            personId: me.subject,
            ...fields,
            createdAt: now,
            version: 1,
          };
          if (await talent.insert(profile)) return ownView(profile);
        }
      }
      throw new ConflictError("Your profile kept changing; read it again and retry");
    },

    async mine(viewer: Viewer) {
      const me = requireRole(viewer, "learner");
      const profile = await talent.ofPerson(me.subject);
      return { profile: profile ? ownView(profile) : null };
    },

    /** The companies that opened the caller's profiles, newest first, a page at a time. */
    async views(viewer: Viewer, page: PageRequest) {
      const me = requireRole(viewer, "learner");
      const views = await talent.viewsOf(me.subject, page);
      return {
        items: views.items.map((v) => ({ profileId: v.profileId, companyId: v.companyId, at: v.at })),
        ...(views.nextCursor ? { nextCursor: views.nextCursor } : {}),
      };
    },

    /** Withdraws at once: out of search, pending requests closed. */
    async withdraw(viewer: Viewer) {
      const me = requireRole(viewer, "learner");
      const removed = await talent.remove(me.subject);
      if (!removed) throw new NotFoundError("talent profile", "mine");
      const now = clock.now();
      for (const request of await everyRequestOf(talent, me.subject))
        if (request.state === "pending")
          await talent.updateRequest({ ...request, state: "closed", decidedAt: now });
      return { withdrawn: true as const };
    },

    async search(viewer: Viewer, query: TalentSearchQuery) {
      requireRole(viewer, "company");
      const page = await talent.search(query);
      return {
        items: page.items.map(companyView),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },

    /** A company opens a profile: the view is recorded for the person to see. */
    async open(viewer: Viewer, profileId: string) {
      const { me, profile } = await loadForCompany(viewer, profileId);
      await talent.recordView({
        id: ids.newId(),
        profileId,
        personId: profile.personId,
        companyId: me.organisationId,
        by: me.subject,
        at: clock.now(),
      });
      return companyView(profile);
    },

    async requestContact(viewer: Viewer, profileId: string, message: string) {
      const { me, profile } = await loadForCompany(viewer, profileId);
      const request: ContactRequest = {
        id: ids.newId(),
        profileId,
        personId: profile.personId,
        companyId: me.organisationId,
        by: me.subject,
        message,
        state: "pending",
        createdAt: clock.now(),
        version: 1,
      };
      if (!(await talent.insertRequest(request)))
        throw new ConflictError(
          "Your company already has a pending request to this profile; wait for the person's answer",
        );
      return requestForCompany(request);
    },

    async requestsMine(viewer: Viewer, page: PageRequest) {
      const me = requireRole(viewer, "learner", "company");
      const company = me.role === "company";
      const found = await talent.pageRequestsOf(
        company ? { companyId: me.organisationId } : { personId: me.subject },
        page,
      );
      return {
        items: found.items.map((r) => (company ? requestForCompany(r) : requestForPerson(r))),
        ...(found.nextCursor ? { nextCursor: found.nextCursor } : {}),
      };
    },

    accept: (viewer: Viewer, id: string, contact: string) => decide(viewer, id, true, contact),
    decline: (viewer: Viewer, id: string) => decide(viewer, id, false),
  };
}
