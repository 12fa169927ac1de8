import { describe, expect, it } from "vitest";
import { effectOf, KINDS, type Fact, type Kind } from "../../src/domain/index.js";

type Folded = Record<Kind, Map<string, unknown>>;

/** Applies facts in order, as the projection does (a record per kind and key). */
function fold(facts: readonly Fact[]): Folded {
  const model = Object.fromEntries(KINDS.map((k) => [k, new Map()])) as Folded;
  for (const fact of facts) {
    const e = effectOf(fact);
    const next = e.apply(model[e.kind].get(e.key) as never);
    if (next !== undefined) model[e.kind].set(e.key, next);
  }
  return model;
}

function permutations<T>(list: readonly T[]): T[][] {
  if (list.length <= 1) return [[...list]];
  return list.flatMap((x, i) =>
    permutations([...list.slice(0, i), ...list.slice(i + 1)]).map((p) => [x, ...p]),
  );
}

const attrs = { callId: "call-1", area: "turismo", district: "viadana" };
const ideaFacts: Fact[] = [
  { type: "idea", ideaId: "i1", state: "submitted", version: 1, attributes: attrs },
  {
    type: "idea",
    ideaId: "i1",
    state: "published",
    version: 2,
    attributes: attrs,
    publishedAt: "2030-11-02T09:00:00.000Z",
  },
  { type: "idea", ideaId: "i1", state: "draft", version: 3 },
  {
    type: "idea",
    ideaId: "i1",
    state: "published",
    version: 4,
    attributes: { ...attrs, area: "cultura" },
    publishedAt: "2030-12-01T09:00:00.000Z",
  },
];
const adoptionFacts: Fact[] = [
  {
    type: "adopted",
    adoptionId: "a1",
    ideaId: "i1",
    at: "2030-12-05T09:00:00.000Z",
    commitments: [{ id: "c", kind: "mentoring", promised: 60 }],
    version: 1,
  },
  { type: "adoptionClosed", adoptionId: "a1", ideaId: "i1", status: "completed", version: 4 },
];
const bookingFacts: Fact[] = [
  {
    type: "booking",
    bookingId: "b1",
    serviceType: "orientamento",
    site: "lto-mantova",
    startsAt: "2030-10-01T08:00:00.000Z",
    status: "booked",
    hours: 1,
    version: 1,
  },
  {
    type: "booking",
    bookingId: "b1",
    serviceType: "orientamento",
    site: "lto-asola",
    startsAt: "2030-10-03T08:00:00.000Z",
    status: "booked",
    hours: 2,
    version: 2,
  },
  {
    type: "serviceDelivered",
    bookingId: "b1",
    serviceType: "orientamento",
    site: "lto-asola",
    startedAt: "2030-10-03T08:00:00.000Z",
    hours: 1.5,
    revision: 1,
  },
  {
    type: "serviceDelivered",
    bookingId: "b1",
    serviceType: "orientamento",
    site: "lto-asola",
    startedAt: "2030-10-03T08:00:00.000Z",
    hours: 1.75,
    revision: 2,
  },
];
const enrolmentFacts: Fact[] = [
  {
    type: "enrolment",
    enrolmentId: "e1",
    courseId: "k",
    site: "lto-mantova",
    status: "confirmed",
    level: "4",
    at: "2030-10-01T08:00:00.000Z",
    version: 1,
  },
  {
    type: "completion",
    enrolmentId: "e1",
    courseId: "k",
    site: "lto-mantova",
    level: "4",
    completed: true,
    at: "2030-12-01T08:00:00.000Z",
  },
  {
    type: "credential",
    credentialId: "cr",
    courseId: "k",
    site: "lto-mantova",
    level: "4",
    at: "2030-12-02T08:00:00.000Z",
  },
  { type: "credentialRevoked", credentialId: "cr", courseId: "k" },
];

describe("the projection's reducers", () => {
  it("end in the same records whatever order one thing's facts come in", () => {
    for (const facts of [ideaFacts, adoptionFacts, bookingFacts, enrolmentFacts]) {
      const expected = fold(facts);
      for (const order of permutations(facts)) expect(fold(order)).toEqual(expected);
    }
  });

  it("take the state of the newest version, attributes of the newest that has them, the first publication", () => {
    expect(fold(ideaFacts).ideas.get("i1")).toEqual({
      callId: "call-1",
      area: "cultura",
      district: "viadana",
      attrVersion: 4,
      state: "published",
      stateVersion: 4,
      firstPublishedAt: "2030-11-02T09:00:00.000Z",
    });
    expect(fold(adoptionFacts).adoptions.get("a1")).toMatchObject({
      status: "completed",
      adoptedAt: "2030-12-05T09:00:00.000Z",
    });
    expect(fold(bookingFacts).bookings.get("b1")).toMatchObject({
      site: "lto-asola",
      hours: 2,
      status: "booked",
      delivered: { hours: 1.75, revision: 2 },
    });
    expect(fold(enrolmentFacts).credentials.get("cr")).toMatchObject({ revoked: true, level: "4" });
  });

  it("change nothing when a fact comes again", () => {
    for (const fact of [...ideaFacts, ...adoptionFacts, ...bookingFacts, ...enrolmentFacts]) {
      const once = fold([fact]);
      const e = effectOf(fact);
      expect(e.apply(once[e.kind].get(e.key) as never), fact.type).toBeUndefined();
    }
  });

  it("ignore a call snapshot not newer than the one held", () => {
    const call = (version: number, title: string): Fact => ({
      type: "call",
      callId: "c",
      schoolYear: "2030/31",
      site: "lto-asola",
      title,
      version,
    });
    expect(fold([call(2, "new"), call(1, "old")]).calls.get("c")).toMatchObject({ title: "new" });
  });
});
