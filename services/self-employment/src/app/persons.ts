// Persons: staff register them at their sites and look after them there. The programme office sees
// a person only by pseudonym (id, site, age band): it counts, it does not need names.
import { romeDate } from "@lto/civil-time";
import { ConflictError, NotFoundError } from "@lto/errors";
import { ageBandOf, ageOn, registerPerson, type Person, type PersonInput } from "../domain/index.js";
import { requireSiteReader, requireSitesStaff, type Viewer } from "./access.js";
import { accountTaker } from "./person-logins.js";
import type { Ports } from "./ports.js";
import { knownSite } from "./reference.js";

export function personView(p: Person, viewer: Viewer, today: string) {
  const pseudonymous = {
    id: p.id,
    site: p.site,
    ageBand: ageBandOf(ageOn(p.birthDate, today)),
    registeredAt: p.registeredAt.toISOString(),
    version: p.version,
  };
  if (viewer?.role === "programme") return pseudonymous;
  return {
    ...pseudonymous,
    givenName: p.givenName,
    familyName: p.familyName,
    codiceFiscale: p.codiceFiscale,
    birthDate: p.birthDate,
    ...(p.email === undefined ? {} : { email: p.email }),
    ...(p.phone === undefined ? {} : { phone: p.phone }),
    consent: p.consent,
    ...(p.guardianConsent === undefined ? {} : { guardianConsent: p.guardianConsent }),
    ...(p.referent === undefined ? {} : { referent: p.referent }),
    ...(p.learnerSubject === undefined ? {} : { learnerSubject: p.learnerSubject }),
    ...(p.loginHistory === undefined
      ? {}
      : { loginHistory: p.loginHistory.map((c) => ({ ...c, at: c.at.toISOString() })) }),
    registeredBy: p.registeredBy,
  };
}

export function personUseCases(ports: Ports) {
  const { persons, personLogins, clock, ids } = ports;
  const takeAccount = accountTaker(ports);
  const today = () => romeDate(clock.now());

  return {
    /** Staff of the site (or an admin) register a person there; one person per codice fiscale. */
    async register(viewer: Viewer, input: PersonInput) {
      const me = requireSitesStaff(viewer, [input.site]);
      const now = clock.now();
      const { person, events } = registerPerson(input, ids.newId(), today(), me.subject, now);
      // One person per learner account: the account is taken first, given back if nothing is stored.
      const account = person.learnerSubject;
      const claim = account ? await takeAccount(account, person.id) : undefined;
      const inserted = await persons.insert(person, events);
      if (account && claim) {
        if (inserted) await personLogins.settle(account, claim);
        else await personLogins.release(account, { claim });
      }
      if (!inserted) {
        const existing = await persons.byCodiceFiscale(person.codiceFiscale);
        throw new ConflictError(
          `A person with this codice fiscale is registered already${existing ? ` at ${existing.site}` : ""}; book for them instead of registering them again`,
          existing ? { details: { personId: existing.id, site: existing.site } } : {},
        );
      }
      return personView(person, viewer, today());
    },

    async get(viewer: Viewer, id: string) {
      const person = await persons.get(id);
      if (!person) throw new NotFoundError("person", id);
      requireSiteReader(viewer, [person.site]);
      return personView(person, viewer, today());
    },

    async listBySite(viewer: Viewer, site: string, page: { cursor?: string; limit: number }) {
      // Who asks first (401, 403), then whether the site exists (404), as for every other read.
      requireSiteReader(viewer, [site]);
      knownSite(site);
      const found = await persons.listBySite(site, page);
      return { items: found.items.map((p) => personView(p, viewer, today())), nextCursor: found.nextCursor };
    },
  };
}
