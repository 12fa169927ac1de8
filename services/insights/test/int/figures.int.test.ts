// The figures on the real broker and store: events published as the services publish them become the
// programme office's figures (JSON and CSV); a redelivered or stale event changes nothing; events of
// different aggregates may come in any order; every endpoint answers every role as documented.
import { IdeaRejectedEvent } from "@lto/contracts";
import { topics } from "@lto/contracts";
import { groupLag, uniqueId, waitFor } from "@lto/testkit";
import { conformance, operations, probeOperations } from "@lto/testkit/openapi-conformance";
import { startTestService, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insightsService } from "../../src/main.js";
import { programme, publishYear, Publisher, unusedSchoolYears, type Programme } from "./support.js";

let svc: TestService;
let pub: Publisher;
let ids: Programme;
let year: number;
let schoolYear: string;
let sy: string;
const lagAtStart: Record<string, number> = {};
const programmeOffice = { sub: uniqueId("po"), role: "programme", org: "lto" } as const;
const mantovaStaff = { sub: uniqueId("staff"), role: "staff", org: "lto", sites: ["lto-mantova"] } as const;
const FIGURES = ["ideas", "adoption", "commitments", "learning", "services"] as const;

const read = (figure: string, query = "", caller: object = programmeOffice) =>
  svc.as(caller as never).get(`/v1/figures/${figure}?schoolYear=${sy}${query}`);

beforeAll(async () => {
  svc = await startTestService(insightsService);
  // The first start built the model from the topics' beginning and moved the service's group to where
  // that build stopped: it does not read the whole history again (lag taken before anything is sent).
  for (const topic of [topics.ideas, topics.adoption, topics.catalogue, topics.selfemployment])
    lagAtStart[topic] = await groupLag(svc.groupId, topic);
  [{ year, schoolYear }] = (await unusedSchoolYears(svc)) as [{ year: number; schoolYear: string }];
  sy = encodeURIComponent(schoolYear);
  pub = await Publisher.open();
  ids = programme(year);
  await publishYear(pub, year, schoolYear, ids);
  // The last events published: the corrected delivery, and the Asola call's ideas joined to it.
  await waitFor(
    "the year's figures",
    async () => {
      const services = await read("services");
      const ideas = await read("ideas");
      return (
        services.body.rows?.some((r: { hoursDelivered: number }) => r.hoursDelivered === 1.5) &&
        ideas.body.rows?.length === 4 &&
        ideas.body.rows.every((r: { site: string }) => r.site !== "unknown")
      );
    },
    60_000,
  );
}, 180_000);
afterAll(async () => {
  await pub?.close();
  await svc?.close();
});

describe("the programme office's figures", () => {
  it("starts consuming where its first build from the topics' beginning stopped", async () => {
    const history = await groupLag(uniqueId("never-joined"), topics.selfemployment);
    expect(history).toBeGreaterThan(0);
    // Other tests may publish meanwhile: far less than the history is left, never all of it.
    for (const [topic, lag] of Object.entries(lagAtStart))
      expect(lag, topic).toBeLessThan(Math.max(200, history / 10));
  });

  it("counts ideas per call, area, district and state, joined to the call's school year and site", async () => {
    const res = await read("ideas");
    expect(res.status).toBe(200);
    const call = { mantova: ids.calls.mantova, asola: ids.calls.asola };
    expect(res.body.rows).toEqual(
      [
        {
          site: "lto-asola",
          callId: call.asola,
          callTitle: "Bando Asola",
          area: "turismo",
          district: "viadana",
          state: "completed",
        },
        {
          site: "lto-asola",
          callId: call.asola,
          callTitle: "Bando Asola",
          area: "turismo",
          district: "viadana",
          state: "withdrawn",
        },
        {
          site: "lto-mantova",
          callId: call.mantova,
          callTitle: 'Bando "Futuro", Mantova',
          area: "agroalimentare",
          district: "mantova",
          state: "published",
        },
        {
          site: "lto-mantova",
          callId: call.mantova,
          callTitle: 'Bando "Futuro", Mantova',
          area: "meccanica",
          district: "asola",
          state: "rejected",
        },
      ].map((r) => ({ schoolYear, ...r, ideas: 1 })),
    );
    expect(res.body.chart.by).toBe("state");
    expect(res.body.chart.categories).toEqual(["completed", "published", "rejected", "withdrawn"]);
    expect(res.body.chart.series).toEqual([{ label: "ideas", data: [1, 1, 1, 1] }]);
    const byDistrict = await read("ideas", "&by=district");
    expect(byDistrict.body.chart).toEqual({
      by: "district",
      categories: ["asola", "mantova", "viadana"],
      series: [{ label: "ideas", data: [1, 1, 2] }],
    });
  });

  it("gives the adoption rate and the days from first publication to adoption", async () => {
    const res = await read("adoption");
    expect(res.body.rows).toEqual([
      {
        schoolYear,
        site: "lto-asola",
        callId: ids.calls.asola,
        area: "turismo",
        district: "viadana",
        published: 1,
        adopted: 1,
        adoptionRate: 1,
        avgDaysToAdoption: 10,
      },
      {
        schoolYear,
        site: "lto-mantova",
        callId: ids.calls.mantova,
        area: "agroalimentare",
        district: "mantova",
        published: 1,
        adopted: 0,
        adoptionRate: 0,
        avgDaysToAdoption: null,
      },
    ]);
    const bySite = await read("adoption", "&by=schoolYear");
    expect(bySite.body.chart.series).toEqual([
      { label: "published", data: [2] },
      { label: "adopted", data: [1] },
      { label: "adoptionRate", data: [0.5] },
      { label: "avgDaysToAdoption", data: [10] },
    ]);
  });

  it("sums commitments promised and delivered, and PCTO hours as hours x students", async () => {
    const res = await read("commitments");
    expect(res.body.rows).toEqual([
      {
        schoolYear,
        site: "lto-asola",
        kind: "internship",
        promised: 1,
        delivered: 0,
        deliveries: 0,
        pctoHours: 0,
      },
      {
        schoolYear,
        site: "lto-asola",
        kind: "mentoring",
        promised: 180,
        delivered: 120,
        deliveries: 1,
        pctoHours: 4,
      },
    ]);
  });

  it("counts enrolments, completions and credentials by level, site and audience", async () => {
    const res = await read("learning");
    expect(res.body.rows).toEqual([
      {
        schoolYear,
        site: "lto-mantova",
        level: "5",
        audience: "students+teachers",
        enrolments: 1,
        completions: 1,
        credentials: 1,
      },
    ]);
  });

  it("counts bookings and the hours delivered (the latest correction) by site, service type and month", async () => {
    const res = await read("services");
    expect(res.body.rows).toEqual([
      {
        schoolYear,
        site: "lto-asola",
        serviceType: "bilancio_competenze",
        month: `${year + 1}-01`,
        bookings: 0,
        cancelled: 0,
        noShows: 1,
        delivered: 0,
        hoursDelivered: 0,
      },
      {
        schoolYear,
        site: "lto-mantova",
        serviceType: "orientamento",
        month: `${year}-10`,
        bookings: 1,
        cancelled: 1,
        noShows: 0,
        delivered: 1,
        hoursDelivered: 1.5,
      },
    ]);
    expect((await read("services", "&site=lto-asola")).body.rows).toHaveLength(1);
    expect((await read("services", "&by=month")).body.chart).toEqual({
      by: "month",
      categories: [`${year}-10`, `${year + 1}-01`],
      series: [
        { label: "bookings", data: [1, 0] },
        { label: "cancelled", data: [1, 0] },
        { label: "noShows", data: [0, 1] },
        { label: "delivered", data: [1, 0] },
        { label: "hoursDelivered", data: [1.5, 0] },
      ],
    });
  });

  it("exports the same rows as CSV, header first, by ?format=csv or by Accept", async () => {
    for (const figure of FIGURES) {
      const json = await read(figure);
      const csv = await read(figure, "&format=csv");
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(csv.headers.get("content-disposition")).toContain(
        `lto-${figure}-${schoolYear.replace("/", "-")}.csv`,
      );
      const lines = csv.text.split("\r\n");
      expect(lines.pop()).toBe("");
      expect(lines[0]).toBe(json.body.columns.join(","));
      expect(lines).toHaveLength(json.body.rows.length + 1);
      const viaAccept = await svc.as(programmeOffice).get(`/v1/figures/${figure}?schoolYear=${sy}`, {
        headers: { accept: "text/csv" },
      });
      expect(viaAccept.text).toBe(csv.text);
    }
    const ideas = (await read("ideas", "&format=csv")).text.split("\r\n");
    expect(ideas[0]).toBe("schoolYear,site,callId,callTitle,area,district,state,ideas");
    expect(ideas).toContain(
      `${schoolYear},lto-mantova,${ids.calls.mantova},"Bando ""Futuro"", Mantova",agroalimentare,mantova,published,1`,
    );
    const adoption = (await read("adoption", "&format=csv")).text.split("\r\n");
    expect(adoption).toContain(
      `${schoolYear},lto-mantova,${ids.calls.mantova},agroalimentare,mantova,1,0,0,`,
    );
    const services = (await read("services", "&format=csv")).text;
    expect(services).toContain(`${schoolYear},lto-mantova,orientamento,${year}-10,1,1,0,1,1.5\r\n`);
  });

  it("applies a redelivered event and a stale one nothing twice", async () => {
    const before = await Promise.all(FIGURES.map((f) => read(f)));
    const original = pub.sent.find((s) => s.codec.type === "lto.adoption.v1.CommitmentDelivered")!;
    await pub.send(original.codec, original.message as never, { id: original.id });
    // Stale: an older version of an idea's state than the one applied.
    await pub.send(IdeaRejectedEvent, { ideaId: ids.ideas.published, version: 1 });
    // A marker after them: once it shows, the two before it were handled.
    await pub.send(IdeaRejectedEvent, { ideaId: ids.ideas.published, version: 9 });
    await waitFor("the marker", async () =>
      (await read("ideas")).body.rows.some(
        (r: { state: string; area: string }) => r.area === "agroalimentare" && r.state === "rejected",
      ),
    );
    const after = await Promise.all(FIGURES.map((f) => read(f)));
    expect(after[2]!.body).toEqual(before[2]!.body); // the delivery counted once
    expect(after[4]!.body).toEqual(before[4]!.body);
  });
});

describe("who reads what", () => {
  const callers = {
    none: undefined,
    programme: programmeOffice,
    admin: { sub: uniqueId("adm"), role: "admin", org: "lto" },
    staff: mantovaStaff,
    school: { sub: uniqueId("s"), role: "school", org: "school-1" },
    company: { sub: uniqueId("c"), role: "company", org: "company-1" },
    learner: { sub: uniqueId("l"), role: "learner", org: "lto" },
    partner: { sub: uniqueId("p"), role: "partner", org: "partner-1" },
  } as const;
  const expected = {
    none: 401,
    programme: 200,
    admin: 200,
    staff: 200,
    school: 403,
    company: 403,
    learner: 403,
    partner: 403,
  };

  it("answers every figure to every role as documented", async () => {
    for (const figure of FIGURES)
      for (const [name, caller] of Object.entries(callers)) {
        const res = await svc.as(caller as never).get(`/v1/figures/${figure}?schoolYear=${sy}`);
        expect(res.status, `${figure} as ${name}`).toBe(expected[name as keyof typeof expected]);
        if (res.status >= 400) expect(res.headers.get("content-type")).toContain("application/problem+json");
      }
  });

  it("shows staff only their own sites' rows, and refuses a site of another", async () => {
    for (const figure of FIGURES) {
      const all = await read(figure);
      const mine = await read(figure, "", mantovaStaff);
      expect(mine.body.rows, figure).toEqual(
        all.body.rows.filter((r: { site: string }) => r.site === "lto-mantova"),
      );
      const other = await read(figure, "&site=lto-asola", mantovaStaff);
      expect(other.status).toBe(403);
      expect(other.body.detail).toContain("lto-mantova");
    }
  });

  it("refuses bad filters with 400 naming the field", async () => {
    const bad = [
      ["schoolYear=2025-26", "schoolYear"],
      ["schoolYear=2025/27", "schoolYear"],
      ["site=lto-roma", "site"],
      ["by=colour", "by"],
      ["format=xlsx", "format"],
      ["year=2025/26", "year"],
    ] as const;
    for (const figure of FIGURES)
      for (const [query, field] of bad) {
        const res = await svc.as(programmeOffice).get(`/v1/figures/${figure}?${query}`);
        expect(res.status, `${figure}?${query}`).toBe(400);
        expect(JSON.stringify(res.body.errors), `${figure}?${query}`).toContain(field);
      }
  });
});

describe("the OpenAPI document", () => {
  it("documents every answer, the CSV export included", async () => {
    const doc = (await svc.as().get("/openapi.json")).body;
    const valid = Object.fromEntries(
      FIGURES.map((f) => [
        `GET /v1/figures/${f}`,
        async () => ({ as: programmeOffice, path: `/v1/figures/${f}?schoolYear=${sy}` }),
      ]),
    );
    const wrongRole = { sub: uniqueId("s"), role: "school", org: "school-1" } as const;
    expect(await probeOperations({ doc, as: svc.as, valid, wrongRole })).toEqual([]);
    const check = conformance(doc);
    const ops = operations(doc);
    expect(ops.map((o) => o.path).sort()).toEqual(FIGURES.map((f) => `/v1/figures/${f}`).sort());
    for (const op of ops) {
      const csv = await svc.as(programmeOffice).get(`${op.path}?schoolYear=${sy}&format=csv`);
      expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(check(op, csv, "csv")).toEqual([]);
    }
  });
});
