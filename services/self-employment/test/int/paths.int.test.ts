// Paths through the public API on the real broker and store: reception opens a person's path once,
// planned hours under If-Match, the order and cap rules (409 naming what must come first / the hours
// that remain, the staff override, the 80% warning), deliveries recorded, confirmed by the person,
// corrected as history and voided, PathOpened and ServiceDelivered on the topic, the hours report and
// the timesheet as CSV parsed back.
import { romeMonth } from "../../src/domain/index.js";
import { PathOpenedEvent, ServiceDeliveredEvent, topics } from "@lto/contracts";
import { readTopic, type TestService } from "@lto/testkit/service";
import { decodePDFRawStream, PDFArray, PDFDocument, type PDFPage, type PDFRawStream } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  anOperator,
  aPerson,
  csvRecords,
  deliveryBody,
  HOUR,
  personLogin,
  personWithPath,
} from "./paths-support.js";
import { romeDate } from "@lto/civil-time";
import { SCHOOL_REFERENT } from "../fixtures.js";
import { callers, ok, startSelfEmployment } from "./support.js";

/** A page's drawing operators, decompressed. */
function contentOf(page: PDFPage): string {
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray() : [contents];
  return streams
    .map((ref) => page.doc.context.lookup(ref as never))
    .map((s) => Buffer.from(decodePDFRawStream(s as PDFRawStream).decode()).toString("latin1"))
    .join("\n");
}
/** How a standard font draws a line: the hex of its WinAnsi bytes. */
const hex = (text: string) => Buffer.from(text, "latin1").toString("hex").toUpperCase();
const drawn = (line: string) => `<${hex(line)}>`;
const drawnStart = (text: string) => `<${hex(text)}`;

let svc: TestService;
let operatorId: string;
const staff = () => svc.as(callers.staff);
const inDays = (days: number, hours = 1) => {
  const start = new Date(svc.clock.now().getTime() + days * 24 * HOUR);
  return { start: start.toISOString(), end: new Date(start.getTime() + hours * HOUR).toISOString() };
};

beforeAll(async () => {
  svc = await startSelfEmployment();
  operatorId = await anOperator(svc);
});
afterAll(async () => {
  await svc?.close();
});

describe("a person's path", () => {
  it("opens once at reception, publishes PathOpened, and reads with its ETag", async () => {
    const { personId, pathId, path } = await personWithPath(svc, 20, {
      funder: "dote_unica_lavoro",
      proposed: ["coaching"],
    });
    expect(path).toMatchObject({
      holderId: personId,
      holder: { kind: "person", personId, minor: false },
      site: "lto-mantova",
      origin: { kind: "reception" },
      funder: "dote_unica_lavoro",
      status: "open",
      proposed: ["coaching"],
      confirmedBy: "person",
      version: 1,
    });
    const again = await staff().post(`/v1/persons/${personId}/path`, {});
    expect(again.status).toBe(409);
    expect(again.body.pathId).toBe(pathId);

    const read = await staff().get(`/v1/persons/${personId}/path`);
    expect(read.status).toBe(200);
    expect(read.headers.get("etag")).toBe('"1"');
    expect(read.body.id).toBe(pathId);
    // the person themself reads it (their learner account, as for bookings); another learner does
    // not, nor a token that merely carries the person's pseudonymous id as its subject
    expect((await svc.as(personLogin(personId)).get(`/v1/paths/${pathId}`)).status).toBe(200);
    expect((await svc.as(callers.learner).get(`/v1/paths/${pathId}`)).status).toBe(403);
    const byId = { sub: personId, role: "learner", org: personId } as const;
    expect((await svc.as(byId).get(`/v1/paths/${pathId}`)).status).toBe(403);

    const records = await readTopic(topics.selfemployment, (rs) =>
      rs.some((r) => r.key === personId && r.headers.ce_type?.endsWith("PathOpened")),
    );
    const event = PathOpenedEvent.decode(
      records.find((r) => r.key === personId && r.headers.ce_type?.endsWith("PathOpened"))!.value,
    );
    expect(event).toMatchObject({
      personId,
      pathId,
      site: "lto-mantova",
      funder: "dote_unica_lavoro",
      ideaId: "",
      actorSubject: callers.staff.sub,
      version: 1,
    });
    expect(event.services).toEqual([{ serviceType: "coaching", plannedHours: 0, maxHours: 10 }]);
  });

  it("plans hours under If-Match: 412 on a stale version, 428 without, the service's limits named", async () => {
    const { pathId } = await personWithPath(svc);
    const url = `/v1/paths/${pathId}/plan/coaching`;
    const set = await staff().put(url, { hours: 4 }, { headers: { "if-match": '"1"' } });
    expect(set.status).toBe(200);
    expect(set.headers.get("etag")).toBe('"2"');
    expect(set.body.plan).toEqual([{ serviceCode: "coaching", hours: 4 }]);
    expect(
      set.body.services.find((s: { serviceCode: string }) => s.serviceCode === "coaching"),
    ).toMatchObject({
      plannedHours: 4,
      capHours: 10,
      remainingHours: 10,
    });
    const stale = await staff().put(url, { hours: 6 }, { headers: { "if-match": '"1"' } });
    expect(stale.status).toBe(412);
    expect((await staff().put(url, { hours: 6 })).status).toBe(428);
    const tooMany = await staff().put(url, { hours: 12 }, { headers: { "if-match": '"2"' } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([
      expect.objectContaining({ path: "hours", message: expect.stringMatching(/at most 10 h per person/) }),
    ]);
    const history = (await staff().get(`/v1/paths/${pathId}`)).body;
    expect(history.version).toBe(2);
    expect(history.history.map((h: { what: string }) => h.what)).toEqual(["opened", "plan_set"]);
  });

  it("refuses a service out of order naming what comes first; staff override with a reason; a delivery meets the order", async () => {
    const { pathId } = await personWithPath(svc);
    const check = (body: Record<string, unknown>) => staff().post(`/v1/paths/${pathId}/booking-checks`, body);

    const refused = await check({ serviceCode: "business_plan", ...inDays(2, 2) });
    expect(refused.status).toBe(409);
    expect(refused.body.reason).toBe("order_not_met");
    expect(refused.body.mustComeFirst).toEqual(["definizione_percorso", "consulenza_autoimpiego"]);
    expect(refused.body.detail).toMatch(
      /"Definizione del percorso" and "Consulenza per l'autoimpiego" must come first/,
    );
    const overridden = await check({
      serviceCode: "business_plan",
      ...inDays(2, 2),
      overrideReason: "business plan already drafted at school with the referent",
    });
    expect(overridden.status).toBe(200);
    expect(overridden.body.waived).toEqual(["definizione_percorso", "consulenza_autoimpiego"]);

    // reception delivered (recorded without a booking: bookings come next) meets the path definition's rule
    expect((await check({ serviceCode: "definizione_percorso", ...inDays(1, 1.5) })).status).toBe(409);
    await ok(staff(), "POST", `/v1/paths/${pathId}/deliveries`, deliveryBody(svc, operatorId, "accoglienza"));
    const met = await check({ serviceCode: "definizione_percorso", ...inDays(1, 1.5) });
    expect(met.status).toBe(200);
    expect(met.body.waived).toEqual([]);
    // a check records nothing
    const path = (await staff().get(`/v1/paths/${pathId}`)).body;
    expect(path.overrides).toEqual([]);
    expect(path.bookings).toEqual([]);
  });

  it("refuses hours past the cap with the hours that remain, and warns from 80%", async () => {
    const { pathId } = await personWithPath(svc);
    // accoglienza: 2 h per person; 1 h delivered
    await ok(staff(), "POST", `/v1/paths/${pathId}/deliveries`, deliveryBody(svc, operatorId, "accoglienza"));
    const check = (hours: number) =>
      staff().post(`/v1/paths/${pathId}/booking-checks`, { serviceCode: "accoglienza", ...inDays(1, hours) });
    const over = await check(1.5);
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({
      reason: "hours_cap_reached",
      capHours: 2,
      usedHours: 1,
      remainingHours: 1,
      requestedHours: 1.5,
    });
    expect(over.body.detail).toMatch(/only 1 h remain.*at most 1 h/);
    const near = await check(0.75);
    expect(near.status).toBe(200);
    expect(near.body.warnings).toEqual([
      { code: "cap_near", message: expect.stringMatching(/1\.75 h of the 2 h .* \(88%\): 0\.25 h remain/) },
    ]);
    const under = await check(0.25);
    expect(under.body.warnings).toEqual([]);
    // a delivery is a fact: past the cap it is recorded, with a warning
    const past = await staff().post(
      `/v1/paths/${pathId}/deliveries`,
      deliveryBody(svc, operatorId, "accoglienza", {}, 90, 6),
    );
    expect(past.status).toBe(201);
    expect(past.body.warnings).toEqual([
      { code: "cap_exceeded", message: expect.stringMatching(/past its 2 h/) },
    ]);
  });

  it("records a delivery, the person confirms it, a correction is history needing a new confirmation", async () => {
    const { personId, pathId } = await personWithPath(svc);
    const recorded = await staff().post(
      `/v1/paths/${pathId}/deliveries`,
      deliveryBody(svc, operatorId, "accoglienza", { outcome: "cv_prodotto" }, 50),
    );
    expect(recorded.status).toBe(201);
    const deliveryId = recorded.body.delivery.id as string;
    expect(recorded.body.delivery).toMatchObject({
      status: "awaiting_confirmation",
      operatorId,
      site: "lto-mantova",
      current: { n: 1, minutes: 50, hours: 0.75, outcome: "cv_prodotto", by: callers.staff.sub },
    });
    const url = `/v1/paths/${pathId}/deliveries/${deliveryId}`;
    // the operator's side cannot sign for the person; another learner is not the person
    expect((await staff().post(`${url}/confirmation`, {})).status).toBe(403);
    expect((await svc.as(callers.learner).post(`${url}/confirmation`, {})).status).toBe(403);
    const me = svc.as(personLogin(personId));
    const byId = svc.as({ sub: personId, role: "learner", org: personId });
    expect((await byId.post(`${url}/confirmation`, {})).status).toBe(403);
    // signed by the person (their pseudonymous id on the timesheet), whichever account they use
    const confirmed = await me.post(`${url}/confirmation`, {});
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.delivery).toMatchObject({
      status: "confirmed",
      current: { confirmation: { by: personId, as: "person" } },
    });
    expect((await me.post(`${url}/confirmation`, {})).status).toBe(409);

    const end = new Date(svc.clock.now().getTime() - 2 * HOUR).toISOString();
    const corrected = await staff().post(`${url}/corrections`, { end, reason: "ended at the full hour" });
    expect(corrected.status).toBe(200);
    expect(corrected.body.delivery.status).toBe("awaiting_confirmation");
    expect(corrected.body.delivery.revisions).toHaveLength(2);
    expect(corrected.body.delivery.revisions[0]).toMatchObject({
      n: 1,
      hours: 0.75,
      confirmation: { by: personId },
    });
    expect(corrected.body.delivery.revisions[1]).toMatchObject({
      n: 2,
      hours: 1,
      reason: "ended at the full hour",
    });
    expect(corrected.body.delivery.revisions[1].confirmation).toBeUndefined();
    const again = await me.post(`${url}/confirmation`, {});
    expect(again.body.delivery).toMatchObject({
      status: "confirmed",
      current: { n: 2, confirmation: { by: personId } },
    });
    expect(again.body.history.map((h: { what: string }) => h.what)).toEqual([
      "opened",
      "delivered",
      "delivery_confirmed",
      "delivery_corrected",
      "delivery_confirmed",
    ]);

    const records = await readTopic(
      topics.selfemployment,
      (rs) =>
        rs.filter((r) => r.key === personId && r.headers.ce_type?.endsWith("ServiceDelivered")).length >= 2,
    );
    const delivered = records
      .filter((r) => r.key === personId && r.headers.ce_type?.endsWith("ServiceDelivered"))
      .map((r) => ServiceDeliveredEvent.decode(r.value));
    expect(delivered.map((e) => [e.revision, e.hours, e.outcome])).toEqual([
      [1, 0.75, "OUTCOME_CV_PRODOTTO"],
      [2, 1, "OUTCOME_CV_PRODOTTO"],
    ]);
    expect(delivered[0]).toMatchObject({
      serviceType: "accoglienza",
      site: "lto-mantova",
      operatorId,
      funder: "lto_diffuso",
    });

    // voided: kept, counted nowhere
    const voided = await staff().post(`${url}/void`, { reason: "recorded on the wrong person" });
    expect(voided.status).toBe(200);
    expect(voided.body.delivery.status).toBe("voided");
    expect(
      voided.body.services.find((s: { serviceCode: string }) => s.serviceCode === "accoglienza")
        .deliveredHours,
    ).toBe(0);
  });

  it("a minor's path is confirmed by the referent: the person's side cannot sign it yet, and says why", async () => {
    const today = romeDate(svc.clock.now());
    const person = await aPerson(
      svc,
      { guardianConsent: { name: "Anna Rossi", date: today }, referent: SCHOOL_REFERENT },
      17,
    );
    const path = await ok(staff(), "POST", `/v1/persons/${person.id}/path`, {});
    expect(path).toMatchObject({ holder: { minor: true }, confirmedBy: "referent" });
    const d = await ok(
      staff(),
      "POST",
      `/v1/paths/${path.id}/deliveries`,
      deliveryBody(svc, operatorId, "accoglienza"),
    );
    const res = await svc
      .as(personLogin(person.id))
      .post(`/v1/paths/${path.id}/deliveries/${d.delivery.id}/confirmation`);
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/minor: their school referent confirms/);
  });

  it("closes with a reason (no deliveries then) and reopens", async () => {
    const { pathId } = await personWithPath(svc);
    const closed = await staff().post(`/v1/paths/${pathId}/closure`, { reason: "hired", outcome: "assunto" });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: "closed", closure: { reason: "hired", outcome: "assunto" } });
    const refused = await staff().post(
      `/v1/paths/${pathId}/deliveries`,
      deliveryBody(svc, operatorId, "accoglienza"),
    );
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/reopen it first/);
    const reopened = await staff().post(`/v1/paths/${pathId}/reopening`, {
      reason: "contract ended, came back",
    });
    expect(reopened.body.status).toBe("open");
    expect(reopened.body.closure).toBeUndefined();
  });
});

describe("reports", () => {
  it("sums hours by funder, service and month as JSON and CSV; staff see their sites only", async () => {
    const { personId, pathId } = await personWithPath(svc, 20, { funder: "fse_plus" });
    expect(
      (
        await staff().put(
          `/v1/paths/${pathId}/plan/coaching`,
          { hours: 5 },
          { headers: { "if-match": '"1"' } },
        )
      ).status,
    ).toBe(200);
    const first = await ok(staff(), "POST", `/v1/paths/${pathId}/deliveries`, {
      ...deliveryBody(svc, operatorId, "accoglienza"),
      notes: 'Colloquio, "CV" da rivedere\nseconda riga',
    });
    await ok(
      staff(),
      "POST",
      `/v1/paths/${pathId}/deliveries`,
      deliveryBody(svc, operatorId, "accoglienza", {}, 45, 6),
    );
    await ok(
      svc.as(personLogin(personId)),
      "POST",
      `/v1/paths/${pathId}/deliveries/${first.delivery.id}/confirmation`,
    );
    const month = romeMonth(new Date(svc.clock.now().getTime() - 6 * HOUR));

    const report = await svc.as(callers.programme).get("/v1/reports/hours?group=funder,service,month");
    expect(report.status).toBe(200);
    expect(report.body.group).toEqual(["funder", "serviceCode", "month"]);
    const mine = report.body.lines.filter((l: { key: { funder: string } }) => l.key.funder === "fse_plus");
    expect(mine).toEqual([
      {
        key: { funder: "fse_plus", serviceCode: "accoglienza", month },
        plannedHours: 0,
        bookedHours: 0,
        deliveredHours: 1.75,
        signedHours: 1,
        deliveries: 2,
      },
      {
        key: { funder: "fse_plus", serviceCode: "coaching", month: null },
        plannedHours: 5,
        bookedHours: 0,
        deliveredHours: 0,
        signedHours: 0,
        deliveries: 0,
      },
    ]);

    const csv = await svc.as(callers.programme).get("/v1/reports/hours.csv?group=funder,service,month");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    const rows = csvRecords(csv.text);
    expect(Object.keys(rows[0]!)).toEqual([
      "finanziatore",
      "servizio",
      "mese",
      "ore_pianificate",
      "ore_prenotate",
      "ore_erogate",
      "ore_firmate",
      "erogazioni",
    ]);
    expect(rows.filter((r) => r.finanziatore === "fse_plus")).toEqual([
      {
        finanziatore: "fse_plus",
        servizio: "accoglienza",
        mese: month,
        ore_pianificate: "0",
        ore_prenotate: "0",
        ore_erogate: "1.75",
        ore_firmate: "1",
        erogazioni: "2",
      },
      {
        finanziatore: "fse_plus",
        servizio: "coaching",
        mese: "",
        ore_pianificate: "5",
        ore_prenotate: "0",
        ore_erogate: "0",
        ore_firmate: "0",
        erogazioni: "0",
      },
    ]);

    // a later month: the deliveries fall outside, the plan (no month) stays
    const later = await svc.as(callers.programme).get(`/v1/reports/hours?group=funder,service&from=2999-01`);
    expect(later.body.lines.filter((l: { key: { funder: string } }) => l.key.funder === "fse_plus")).toEqual([
      expect.objectContaining({
        key: { funder: "fse_plus", serviceCode: "coaching" },
        plannedHours: 5,
        deliveredHours: 0,
      }),
    ]);
    // staff of another site: their own sites only, and never a site of others
    const other = await svc.as(callers.otherSiteStaff).get("/v1/reports/hours?group=site,funder");
    expect(other.status).toBe(200);
    expect(other.body.lines.filter((l: { key: { site: string } }) => l.key.site !== "lto-asola")).toEqual([]);
    expect((await svc.as(callers.otherSiteStaff).get("/v1/reports/hours?site=lto-mantova")).status).toBe(403);
    const bad = await svc.as(callers.programme).get("/v1/reports/hours?group=site,colour&from=2026-13");
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["from", "group"]);

    const sheet = await staff().get(`/v1/paths/${pathId}/timesheet.csv`);
    expect(sheet.status).toBe(200);
    const lines = csvRecords(sheet.text);
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => [l.servizio, l.ore, l.minuti, l.firmata, l.esito])).toEqual([
      ["Accoglienza", "0.75", "45", "no", "Servizio svolto, percorso in corso"],
      ["Accoglienza", "1", "60", "si", "Servizio svolto, percorso in corso"],
    ]);
    const pdf = await staff().request("GET", `/v1/paths/${pathId}/evidence.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(
      await (
        await fetch(`${svc.url}/v1/paths/${pathId}/evidence.pdf`, {
          headers: { authorization: `Bearer ${await svc.auth.token(callers.programme)}` },
        })
      ).arrayBuffer(),
    );
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe(`Foglio presenze - percorso ${pathId}`);
    const text = contentOf(doc.getPage(0));
    expect(text).toContain(drawn("Foglio presenze"));
    expect(text).toContain(drawn("Ore erogate: 1.75 h; firmate da entrambe le parti: 1 h; erogazioni: 2"));
    expect(text).toContain(drawnStart("Firmato: operatore e persona"));
    expect(text).toContain(drawnStart("Non ancora confermato"));
    expect(text).toContain(drawnStart('Note: Colloquio, "CV" da rivedere seconda riga'));

    expect(lines[1]).toMatchObject({
      note: 'Colloquio, "CV" da rivedere\nseconda riga',
      confermata_da: personId,
      confermata_come: "person",
      sede: "lto-mantova",
      finanziatore: "fse_plus",
    });
  });
});
