// The adoption journey through the public HTTP API on the real broker and store: a published idea
// (real IdeaPublished event) shows up in the browse list, a verified company holds it and offers,
// the school accepts (CheckAdoptable over real gRPC), commitments are logged and confirmed, the
// adoption completes; the events it publishes reach Kafka with CloudEvents headers.
import {
  IdeaAdoptedEvent,
  AdoptionCompletedEvent,
  CommitmentDeliveredEvent,
  topics,
  eventsByType,
} from "@lto/contracts";
import { createTestKafka, uniqueGroupId, uniqueId } from "@lto/testkit";
import type { Consumer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  client,
  dayOf,
  offerBody,
  publishIdea,
  startHarness,
  verifiedCompany,
  waitFor,
  type Harness,
  type Res,
} from "./support.js";

let h: Harness;
const seen: Array<{ type: string; subject: string; data: unknown; headers: Record<string, string> }> = [];
let consumer: Consumer;

beforeAll(async () => {
  h = await startHarness();
  const kafka = await createTestKafka();
  consumer = kafka.consumer({ groupId: uniqueGroupId("adoption-events") });
  await consumer.connect();
  await consumer.subscribe({ topic: topics.adoption, fromBeginning: true }); // filtered by subject below
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(
        Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
      );
      const codec = eventsByType.get(headers.ce_type ?? "");
      if (codec && message.value)
        seen.push({
          type: codec.type,
          subject: headers.ce_subject ?? "",
          data: codec.decode(message.value),
          headers,
        });
    },
  });
});
afterAll(async () => {
  await consumer?.disconnect();
  await h?.close();
});

describe("adoption journey", () => {
  it("browse -> hold -> offer -> accept -> log and confirm -> completed, with events on Kafka", async () => {
    const schoolOrg = uniqueId("school");
    const school = client(h, { sub: uniqueId("teacher"), role: "school", org: schoolOrg });
    const staff = client(h, { sub: uniqueId("staff"), role: "staff", org: "lto", sites: ["mantova"] });
    const { orgId, company } = await verifiedCompany(h, staff, 1);

    const ideaId = await publishIdea(h, {
      schoolId: schoolOrg,
      district: "suzzara",
      technologies: ["iot", "ai"],
    });
    const browsed = await waitFor("the idea in the browse list", async () => {
      const r = await company("GET", `/v1/ideas?district=suzzara&technology=ai&limit=100`);
      return r.body.items.find((i: { id: string }) => i.id === ideaId);
    });
    expect(browsed).toMatchObject({
      title: "Serra intelligente",
      area: "agroalimentare",
      status: "published",
      adoption: null,
    });

    const hold = await company(
      "POST",
      `/v1/ideas/${ideaId}/holds`,
      { hours: 48 },
      { "idempotency-key": uniqueId("k") },
    );
    expect(hold.status).toBe(201);
    expect(hold.body).toMatchObject({ ideaId, companyId: orgId, status: "active" });

    const offer = await company("POST", `/v1/ideas/${ideaId}/offers`, offerBody, {
      "idempotency-key": uniqueId("k"),
    });
    expect(offer.status).toBe(201);
    expect(offer.body).toMatchObject({ status: "open", schoolId: schoolOrg });

    const schoolOffers = await school("GET", `/v1/offers?ideaId=${ideaId}`);
    expect(schoolOffers.body.items.map((o: { id: string }) => o.id)).toEqual([offer.body.id]);

    const accepted = await school("POST", `/v1/offers/${offer.body.id}/accept`);
    expect(accepted.status).toBe(201);
    const adoption = accepted.body;
    expect(adoption).toMatchObject({ ideaId, companyId: orgId, schoolId: schoolOrg, status: "active" });
    expect(h.ideasServer.calls).toBeGreaterThan(0);
    expect((await company("GET", `/v1/holds/${hold.body.id}`)).body.status).toBe("declined");
    expect(
      (await company("GET", `/v1/ideas?limit=100`)).body.items.some((i: { id: string }) => i.id === ideaId),
    ).toBe(false);

    let etag = accepted.headers.get("etag")!;
    const step = async (res: Promise<Res>, status = 200) => {
      const r = await res;
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      etag = r.headers.get("etag")!;
      return r.body;
    };
    const log = (body: unknown) =>
      step(company("POST", `/v1/adoptions/${adoption.id}/records`, body, { "if-match": etag }), 201);
    const confirm = (recordId: string) =>
      step(
        school("POST", `/v1/adoptions/${adoption.id}/records/${recordId}/confirm`, undefined, {
          "if-match": etag,
        }),
      );
    const lastRecord = (a: { records: { id: string }[] }) => a.records[a.records.length - 1]!.id;

    // deliveries happen on the adoption's days, up to today: the clock moves on 61 days to log them
    const on = (days: number) => dayOf(adoption.startedAt, days);
    h.clock.advance(61 * 24 * 3_600_000);
    let a = await log({ kind: "kickoff", date: on(1) });
    a = await confirm(lastRecord(a));
    a = await log({
      kind: "mentoring",
      date: on(8),
      hours: 3,
      pseudonyms: ["volpe-rossa", "gufo-blu"],
    });
    a = await confirm(lastRecord(a));
    a = await log({ kind: "funding", date: on(31), amountCents: 20_000 });
    a = await confirm(lastRecord(a));
    a = await log({ kind: "equipment", date: on(32), item: "Arduino kit", quantity: 2 });
    a = await confirm(lastRecord(a));
    a = await log({ kind: "internship", pseudonym: "volpe-rossa", startedOn: on(40) });
    const internship = lastRecord(a);
    a = await step(
      company(
        "POST",
        `/v1/adoptions/${adoption.id}/records/${internship}/end`,
        { endedOn: on(60), hours: 80 },
        { "if-match": etag },
      ),
    );
    expect(a.progress).toMatchObject({
      complete: false,
      internshipPlaces: { promised: 1, logged: 1, confirmed: 0 },
    });
    a = await confirm(internship);
    expect(a).toMatchObject({ status: "completed", progress: { complete: true, percent: 100 } });

    const pcto = await school("GET", `/v1/adoptions/${adoption.id}/pcto`);
    expect(pcto.body.students).toEqual([
      { pseudonym: "gufo-blu", mentoringHours: 3, internshipHours: 0, totalHours: 3 },
      { pseudonym: "volpe-rossa", mentoringHours: 3, internshipHours: 80, totalHours: 83 },
    ]);

    const events = await waitFor("AdoptionCompleted on the topic", async () => {
      const mine = seen.filter((e) => e.subject === ideaId);
      return mine.some((e) => e.type === AdoptionCompletedEvent.type) && mine;
    });
    // The outbox keeps order per document (aggregate); across the hold, offer and adoption documents of
    // one idea the relay may interleave them.
    const names = events.map((e) => e.type.replace("lto.adoption.v1.", ""));
    expect([...names].sort()).toEqual(
      [
        "IdeaHeld",
        "AdoptionOffered",
        "IdeaAdopted",
        "HoldLapsed",
        ...Array(5).fill("DeliveryLogged"),
        ...Array(5).fill("CommitmentDelivered"),
        "AdoptionCompleted",
      ].sort(),
    );
    const ofAdoption = names.filter((n) =>
      ["IdeaAdopted", "DeliveryLogged", "CommitmentDelivered", "AdoptionCompleted"].includes(n),
    );
    // each delivery logged (for the school to confirm) before its confirmation
    expect(ofAdoption).toEqual([
      "IdeaAdopted",
      ...Array(5).fill(["DeliveryLogged", "CommitmentDelivered"]).flat(),
      "AdoptionCompleted",
    ]);
    const logged = events.filter((e) => e.type === "lto.adoption.v1.DeliveryLogged");
    expect(logged[1]!.data).toMatchObject({
      adoptionId: adoption.id,
      ideaId,
      schoolId: schoolOrg,
      companyId: orgId,
      kind: "COMMITMENT_KIND_MENTORING",
      deliveredOn: on(8),
    });
    expect(names.indexOf("IdeaHeld")).toBeLessThan(names.indexOf("HoldLapsed"));
    // Each confirmed delivery tells the PCTO hours it gives each student it names (the figures add them up).
    const delivered = events
      .filter((e) => e.type === CommitmentDeliveredEvent.type)
      .map((e) => e.data as { kind: string; pctoHours: number; studentPseudonyms: string[] })
      .map((d) => [d.kind, d.pctoHours, d.studentPseudonyms.length])
      .sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    expect(delivered).toEqual([
      ["COMMITMENT_KIND_EQUIPMENT", 0, 0],
      ["COMMITMENT_KIND_FUNDING", 0, 0],
      ["COMMITMENT_KIND_INTERNSHIP", 80, 1],
      ["COMMITMENT_KIND_KICK_OFF", 0, 0],
      ["COMMITMENT_KIND_MENTORING", 3, 2],
    ]);
    const adopted = events.find((e) => e.type === IdeaAdoptedEvent.type)!;
    expect(adopted.headers).toMatchObject({
      ce_specversion: "1.0",
      ce_source: "/lto/adoption",
      ce_subject: ideaId,
    });
    expect(adopted.data).toMatchObject({
      adoptionId: adoption.id,
      ideaId,
      companyId: orgId,
      offerId: offer.body.id,
    });
  });
});
