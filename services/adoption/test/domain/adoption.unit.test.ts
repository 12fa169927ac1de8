import { ConflictError, InvalidStateError, NotFoundError, ValidationError } from "@lto/errors";
import { describe, expect, it } from "vitest";
import {
  confirmRecord,
  disputeRecord,
  endAdoption,
  endInternship,
  logRecord,
  pctoHours,
  progress,
  startAdoption,
  type Adoption,
  type RecordInput,
} from "../../src/domain/index.js";
import { aTeam, anAcceptedOffer, later, t0 } from "../fixtures.js";

const offer = anAcceptedOffer();
const team = aTeam;

let seq = 0;
function log(a: Adoption, input: RecordInput): Adoption {
  return logRecord(a, `r${++seq}`, input, "company-user", later);
}
const last = (a: Adoption) => a.records[a.records.length - 1]!.id;
function confirmLast(a: Adoption) {
  return confirmRecord(a, last(a), "school-user", t0);
}

describe("starting an adoption", () => {
  it("copies the accepted offer's promise and the team", () => {
    const a = startAdoption("a1", offer, team, t0);
    expect(a).toMatchObject({
      id: "a1",
      ideaId: "i1",
      offerId: "o1",
      companyId: "c1",
      schoolId: "school-1",
      status: "active",
      promised: offer.commitments,
      teamPseudonyms: team.teamPseudonyms,
      records: [],
    });
  });
  it("needs an accepted offer", () => {
    expect(() => startAdoption("a1", { ...offer, status: "open" }, team, t0)).toThrow(InvalidStateError);
  });
});

describe("logging and confirming commitments", () => {
  const a0 = startAdoption("a1", offer, team, t0);

  it("validates each kind and names the fields", () => {
    const paths = (input: RecordInput) => {
      try {
        log(a0, input);
      } catch (e) {
        return (e as ValidationError).issues.map((i) => i.path);
      }
      return [];
    };
    expect(paths({ kind: "kickoff", date: "2026-13-01" })).toEqual(["date"]);
    expect(paths({ kind: "mentoring", date: "2026-03-02", hours: 0.3, pseudonyms: [] })).toEqual([
      "hours",
      "pseudonyms",
    ]);
    expect(paths({ kind: "mentoring", date: "2026-03-02", hours: 2, pseudonyms: ["stranger"] })).toEqual([
      "pseudonyms.0",
    ]);
    expect(paths({ kind: "internship", pseudonym: "volpe-rossa" })).toEqual(["startedOn"]);
    expect(paths({ kind: "funding", date: "2026-03-02", amountCents: 0 })).toEqual(["amountCents"]);
    expect(paths({ kind: "equipment", date: "2026-03-02", item: "x", quantity: 0 })).toEqual([
      "item",
      "quantity",
    ]);
  });

  it("allows one live kick-off", () => {
    const a = log(a0, { kind: "kickoff", date: "2026-03-02" });
    expect(() => log(a, { kind: "kickoff", date: "2026-03-03" })).toThrow(ConflictError);
    const disputed = disputeRecord(a, last(a), "school-user", "it did not take place", t0);
    expect(log(disputed, { kind: "kickoff", date: "2026-03-03" }).records).toHaveLength(2);
  });

  it("confirms only logged records, and internships only once ended", () => {
    let a = log(a0, { kind: "internship", pseudonym: "gufo-blu", startedOn: "2026-06-08" });
    const id = last(a);
    expect(() => confirmRecord(a, id, "s", t0)).toThrow(
      "Cannot confirm the internship: it is still in progress",
    );
    expect(() => log(a, { kind: "internship", pseudonym: "gufo-blu", startedOn: "2026-06-09" })).toThrow(
      ConflictError,
    );
    expect(() => endInternship(a, id, "2026-06-01", 80, later)).toThrow(ValidationError);
    a = endInternship(a, id, "2026-07-03", 80, later);
    expect(() => endInternship(a, id, "2026-07-04", 80, later)).toThrow(InvalidStateError);
    a = confirmRecord(a, id, "s", t0).adoption;
    expect(() => confirmRecord(a, id, "s", t0)).toThrow(
      "Cannot confirm the commitment record: it is confirmed",
    );
    expect(() => confirmRecord(a, "nope", "s", t0)).toThrow(NotFoundError);
  });

  it("shows progress against the promise and completes when everything is confirmed", () => {
    let a = a0;
    a = log(a, { kind: "kickoff", date: "2026-03-02" });
    let r = confirmLast(a);
    expect(r.completed).toBe(false);
    a = r.adoption;
    a = log(a, {
      kind: "mentoring",
      date: "2026-03-09",
      hours: 2.5,
      pseudonyms: ["volpe-rossa", "gufo-blu"],
    });
    a = confirmLast(a).adoption;
    a = log(a, { kind: "mentoring", date: "2026-03-16", hours: 1.5, pseudonyms: ["volpe-rossa"] });
    expect(progress(a).mentoringHours).toEqual({ promised: 4, logged: 4, confirmed: 2.5 });
    a = confirmLast(a).adoption;
    a = log(a, { kind: "funding", date: "2026-04-01", amountCents: 50_000 });
    a = confirmLast(a).adoption;
    a = log(a, { kind: "equipment", date: "2026-04-02", item: "arduino KIT", quantity: 3 });
    a = confirmLast(a).adoption;
    a = log(a, { kind: "internship", pseudonym: "lince-verde", startedOn: "2026-06-08" });
    a = endInternship(a, last(a), "2026-07-03", 120, later);
    const p = progress(a);
    expect(p).toMatchObject({
      kickoff: { logged: true, confirmed: true },
      internshipPlaces: { promised: 1, logged: 1, confirmed: 0 },
      fundingCents: { promised: 50_000, confirmed: 50_000 },
      equipment: [{ item: "Arduino kit", promised: 3, confirmed: 3 }],
      complete: false,
    });
    r = confirmLast(a);
    expect(r.completed).toBe(true);
    expect(r.adoption).toMatchObject({ status: "completed", completedAt: t0 });
    expect(() => log(r.adoption, { kind: "kickoff", date: "2026-03-02" })).toThrow(
      "Cannot log a commitment on the adoption: it is completed",
    );
  });

  it("disputed records count for nothing", () => {
    let a = log(a0, { kind: "funding", date: "2026-04-01", amountCents: 50_000 });
    a = disputeRecord(a, last(a), "s", "not received", t0);
    expect(progress(a).fundingCents).toEqual({ promised: 50_000, logged: 0, confirmed: 0 });
    expect(() => disputeRecord(a, last(a), "s", "again", t0)).toThrow(InvalidStateError);
  });
});

describe("PCTO hours", () => {
  it("sums confirmed mentoring and internship hours per pseudonym", () => {
    let a = startAdoption("a1", offer, team, t0);
    a = log(a, { kind: "mentoring", date: "2026-03-09", hours: 2, pseudonyms: ["volpe-rossa", "gufo-blu"] });
    a = confirmLast(a).adoption;
    a = log(a, { kind: "mentoring", date: "2026-03-16", hours: 3, pseudonyms: ["volpe-rossa"] });
    a = confirmLast(a).adoption;
    a = log(a, { kind: "mentoring", date: "2026-03-23", hours: 5, pseudonyms: ["gufo-blu"] }); // not confirmed
    a = log(a, { kind: "internship", pseudonym: "volpe-rossa", startedOn: "2026-06-08" });
    a = endInternship(a, last(a), "2026-07-03", 80, later);
    a = confirmLast(a).adoption;
    a = log(a, { kind: "internship", pseudonym: "gufo-blu", startedOn: "2026-06-08" });
    a = endInternship(a, last(a), "2026-07-03", 60, later);
    a = disputeRecord(a, last(a), "s", "dates are wrong", t0);
    expect(pctoHours(a)).toEqual([
      { pseudonym: "gufo-blu", mentoringHours: 2, internshipHours: 0, totalHours: 2 },
      { pseudonym: "volpe-rossa", mentoringHours: 5, internshipHours: 80, totalHours: 85 },
    ]);
  });
});

describe("ending early", () => {
  it("either party ends an active adoption with a reason", () => {
    const a = startAdoption("a1", offer, team, t0);
    expect(endAdoption(a, "school", "the team dissolved", t0)).toMatchObject({
      status: "ended",
      endedBy: "school",
      endReason: "the team dissolved",
    });
    expect(() => endAdoption(a, "company", " ", t0)).toThrow(ValidationError);
    const ended = endAdoption(a, "company", "budget cut", t0);
    expect(() => endAdoption(ended, "school", "again", t0)).toThrow("Cannot end the adoption: it is ended");
  });
});

describe("dates and hours of commitment records (issue 7 item 13)", () => {
  const a0 = startAdoption("a1", offer, team, t0);
  const issues = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return e.issues;
    }
    return [];
  };

  it("refuses a delivery dated in the future or before the adoption started, naming the field", () => {
    const now = new Date("2026-03-20T10:00:00Z");
    const at = (input: RecordInput) => issues(() => logRecord(a0, "r", input, "u", now));
    expect(at({ kind: "mentoring", date: "2099-01-01", hours: 2, pseudonyms: ["gufo-blu"] })).toEqual([
      { path: "date", message: "must not be in the future (today is 2026-03-20)" },
    ]);
    expect(at({ kind: "kickoff", date: "2026-02-28" })).toEqual([
      { path: "date", message: "must not be before the adoption started (2026-03-01)" },
    ]);
    expect(at({ kind: "funding", date: "2026-03-21", amountCents: 100 }).map((i) => i.path)).toEqual([
      "date",
    ]);
    expect(at({ kind: "equipment", date: "2026-03-21", item: "Arduino kit", quantity: 1 })[0]?.path).toBe(
      "date",
    );
    expect(at({ kind: "internship", pseudonym: "gufo-blu", startedOn: "2026-04-01" })[0]?.path).toBe(
      "startedOn",
    );
    // today (Rome) and the adoption's first day are both fine
    expect(at({ kind: "kickoff", date: "2026-03-20" })).toEqual([]);
    expect(at({ kind: "kickoff", date: "2026-03-01" })).toEqual([]);
  });

  it("caps internship hours at 8 per calendar day spanned and refuses an end in the future", () => {
    let a = log(a0, { kind: "internship", pseudonym: "gufo-blu", startedOn: "2026-06-08" });
    const id = last(a);
    expect(issues(() => endInternship(a, id, "2026-06-08", 2000, later))).toEqual([
      {
        path: "hours",
        message: "must be at most 8: 1 day(s) from 2026-06-08 to 2026-06-08 at 8 hours a day",
      },
    ]);
    expect(issues(() => endInternship(a, id, "2026-06-12", 41, later)).map((i) => i.path)).toEqual(["hours"]);
    expect(issues(() => endInternship(a, id, "2099-06-12", 8, later)).map((i) => i.path)).toEqual([
      "endedOn",
    ]);
    a = endInternship(a, id, "2026-06-12", 40, later);
    expect(a.records[0]).toMatchObject({ endedOn: "2026-06-12", hours: 40 });
  });

  it("caps one student's mentoring at 12 hours a day across sessions", () => {
    let a = log(a0, {
      kind: "mentoring",
      date: "2026-03-09",
      hours: 8,
      pseudonyms: ["gufo-blu", "volpe-rossa"],
    });
    expect(
      issues(() => log(a, { kind: "mentoring", date: "2026-03-09", hours: 5, pseudonyms: ["volpe-rossa"] })),
    ).toEqual([
      {
        path: "hours",
        message:
          "volpe-rossa already has 8 hours of mentoring logged on 2026-03-09; a student has at most 12 a day",
      },
    ]);
    a = log(a, { kind: "mentoring", date: "2026-03-09", hours: 4, pseudonyms: ["volpe-rossa"] });
    a = log(a, { kind: "mentoring", date: "2026-03-10", hours: 5, pseudonyms: ["volpe-rossa"] });
    expect(a.records).toHaveLength(3);
  });
});
