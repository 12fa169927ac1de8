// Taking charge: the company logs deliveries, the school confirms them, PCTO hours, early end.
import type { Identity } from "@lto/auth";
import { ForbiddenError, NotFoundError } from "@lto/errors";
import {
  confirmRecord,
  disputeRecord,
  endAdoption,
  endInternship,
  logRecord,
  pctoHours,
  progress,
  studentRecords,
  type Adoption,
  type AdoptionEvent,
  type CommitmentRecord,
  type PctoLine,
  type RecordInput,
} from "../domain/index.js";
import { assertParty, scopeOf, signedIn, type Deps } from "./context.js";
import { events } from "./events.js";
import type { PageRequest, Stored } from "./ports.js";

export function adoptionUseCases(d: Deps) {
  async function load(me: Identity, id: string) {
    const a = await d.adoptions.get(id);
    if (!a) throw new NotFoundError("adoption", id);
    assertParty(me, a, "adoption");
    return a;
  }
  function as(me: Identity, a: Adoption, party: "company" | "school") {
    const owner = party === "company" ? a.companyId : a.schoolId;
    if (me.role !== party || me.organisationId !== owner)
      throw new ForbiddenError(
        `Only the adopting ${party === "company" ? "company" : "idea's school"} can do this`,
      );
  }
  async function companyName(id: string) {
    return (await d.companies.get(id))?.legalName ?? "";
  }
  const meta = (actor: string, a: Stored<Adoption>) => ({
    now: d.clock.now(),
    actor,
    version: a.version + 1,
  });
  async function save(
    a: Adoption,
    prev: Stored<Adoption>,
    ifMatch: number | undefined,
    evs: AdoptionEvent[],
  ) {
    const stored = await d.adoptions.update(a, ifMatch ?? prev.version, evs);
    return stored;
  }

  return {
    async get(identity: Identity | undefined, id: string) {
      return load(signedIn(identity), id);
    },
    async list(
      identity: Identity | undefined,
      filter: { ideaId?: string; status?: Adoption["status"]; companyId?: string },
      page: PageRequest,
    ) {
      const me = signedIn(identity);
      return d.adoptions.list({ ...filter, ...scopeOf(me) }, page);
    },
    progress,

    async log(identity: Identity | undefined, id: string, input: RecordInput, ifMatch?: number) {
      const me = signedIn(identity);
      const a = await load(me, id);
      as(me, a, "company");
      const recordId = d.ids.newId();
      const logged = logRecord(a, recordId, input, me.subject, d.clock.now());
      // The school must now confirm it: the event names it so the school's referents are told.
      const record = logged.records.find((r) => r.id === recordId)!;
      return save(logged, a, ifMatch, [events.deliveryLogged(logged, record, meta(me.subject, a))]);
    },

    async endInternship(
      identity: Identity | undefined,
      id: string,
      recordId: string,
      endedOn: string,
      hours: number,
      ifMatch?: number,
    ) {
      const me = signedIn(identity);
      const a = await load(me, id);
      as(me, a, "company");
      return save(endInternship(a, recordId, endedOn, hours, d.clock.now()), a, ifMatch, []);
    },

    async confirm(identity: Identity | undefined, id: string, recordId: string, ifMatch?: number) {
      const me = signedIn(identity);
      const a = await load(me, id);
      as(me, a, "school");
      const r = confirmRecord(a, recordId, me.subject, d.clock.now());
      const evs = [events.commitmentDelivered(r.adoption, r.record, meta(me.subject, a))];
      if (r.completed) {
        evs.push(events.adoptionCompleted(r.adoption, await companyName(a.companyId), meta(me.subject, a)));
      }
      return save(r.adoption, a, ifMatch, evs);
    },

    async dispute(
      identity: Identity | undefined,
      id: string,
      recordId: string,
      reason: string,
      ifMatch?: number,
    ) {
      const me = signedIn(identity);
      const a = await load(me, id);
      as(me, a, "school");
      return save(disputeRecord(a, recordId, me.subject, reason, d.clock.now()), a, ifMatch, []);
    },

    /** Either party ends early; the idea's claim is released and the idea returns to the pool. */
    async end(identity: Identity | undefined, id: string, reason: string, ifMatch?: number) {
      const me = signedIn(identity);
      const a = await load(me, id);
      const party = me.role === "company" ? "company" : "school";
      as(me, a, party);
      const ended = endAdoption(a, party, reason, d.clock.now());
      const stored = await save(ended, a, ifMatch, [
        events.adoptionEnded(ended, await companyName(a.companyId), meta(me.subject, a)),
      ]);
      await d.projection.setAdoption(a.ideaId, null);
      return stored;
    },

    /**
     * What this service holds about one student of the school's ideas (their right of access): the
     * adoptions of those ideas, the records naming them and their PCTO hours. Only the ideas' school.
     */
    async exportStudent(identity: Identity | undefined, ideaIds: string[], pseudonym: string) {
      const me = signedIn(identity);
      if (me.role !== "school") throw new ForbiddenError("Only the student's school can export their data");
      const found: { adoption: Stored<Adoption>; records: CommitmentRecord[]; pcto: PctoLine }[] = [];
      for (const ideaId of [...new Set(ideaIds)]) {
        const page = await d.adoptions.list({ ideaId }, { limit: 100 });
        for (const a of page.items) {
          if (a.schoolId !== me.organisationId)
            throw new ForbiddenError(
              "These ideas belong to another school; a school exports only its own students",
            );
          found.push({ adoption: a, ...studentRecords(a, pseudonym) });
        }
      }
      return found;
    },

    /** PCTO hours per student pseudonym, from confirmed records only. */
    async pcto(identity: Identity | undefined, id: string) {
      const a = await load(signedIn(identity), id);
      return { adoptionId: a.id, ideaId: a.ideaId, schoolId: a.schoolId, students: pctoHours(a) };
    },
  };
}
