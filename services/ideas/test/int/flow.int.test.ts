// The "demo and proof" flow through the public HTTP API on the real broker and store.
import { romeDate } from "@lto/civil-time";
import {
  AdoptionCompletedEvent,
  AdoptionEndedEvent,
  CallCreatedEvent,
  IdeaAdoptedEvent,
  IdeaPublishedEvent,
  topics,
} from "@lto/contracts";
import { freePort } from "@lto/testkit";
import {
  eventProducer,
  leaveIdempotencyKeyAsCrashed,
  watchTopic,
  type EventProducer,
  type TopicWatch,
} from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callers,
  fullScores,
  ideaContent,
  openCall,
  startIdeas,
  teamBody,
  type IdeasHarness,
} from "./support.js";

let h: IdeasHarness;
let watcher: TopicWatch;
let producer: EventProducer;
let callId: string;
let schoolYear: string;
let teamId: string;

async function poll<T>(fn: () => Promise<T>, done: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function draftIdea(title = ideaContent.title, team = teamId): Promise<{ id: string; version: number }> {
  const res = await h.request("POST", "/v1/ideas", {
    as: callers.school,
    body: { ...ideaContent, title, callId, teamId: team },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function publishedIdea(title: string): Promise<string> {
  const { id } = await draftIdea(title);
  expect((await h.request("POST", `/v1/ideas/${id}/submit`, { as: callers.school })).status).toBe(200);
  expect(
    (
      await h.request("PUT", `/v1/ideas/${id}/evaluators`, {
        as: callers.staff,
        body: { evaluators: [callers.evaluator.sub] },
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await h.request("PUT", `/v1/ideas/${id}/scores`, {
        as: callers.evaluator,
        body: { scores: fullScores },
      })
    ).status,
  ).toBe(200);
  const published = await h.request("POST", `/v1/ideas/${id}/publish`, {
    as: callers.staff,
    body: { answer: "Pubblicata, ottimo lavoro" },
  });
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  return id;
}

beforeAll(async () => {
  h = await startIdeas({
    ADOPTION_GRPC_ADDRESS: `127.0.0.1:${await freePort()}`,
    ADOPTION_GRPC_DEADLINE_MS: "500",
  });
  watcher = await watchTopic(topics.ideas);
  producer = await eventProducer();
  ({ id: callId, schoolYear } = await openCall(h));
  const team = await h.request("POST", "/v1/teams", { as: callers.school, body: teamBody(schoolYear) });
  expect(team.status, JSON.stringify(team.body)).toBe(201);
  teamId = team.body.id;
});

afterAll(async () => {
  await watcher?.stop();
  await producer?.stop();
  await h?.close();
});

describe("an idea from draft to adoption", () => {
  it("is drafted, submitted, evaluated, published and announced on Kafka with CloudEvents headers", async () => {
    const draft = await draftIdea();
    expect(draft).toMatchObject({ state: "draft", schoolId: callers.school.org, teamId });

    const submitted = await h.request("POST", `/v1/ideas/${draft.id}/submit`, { as: callers.school });
    expect(submitted.status).toBe(200);
    expect(submitted.body.state).toBe("submitted");
    expect(submitted.headers.get("etag")).toContain(String(submitted.body.version));

    const assigned = await h.request("PUT", `/v1/ideas/${draft.id}/evaluators`, {
      as: callers.staff,
      body: { evaluators: [callers.evaluator.sub] },
    });
    expect(assigned.body.state).toBe("under_review");

    const scored = await h.request("PUT", `/v1/ideas/${draft.id}/scores`, {
      as: callers.evaluator,
      body: { scores: fullScores, notes: "Molto promettente" },
    });
    expect(scored.status).toBe(200);
    expect(scored.body.evaluators[0]).toMatchObject({ weightedScore: 4.1, notes: "Molto promettente" });

    // The answer stays internal until the decision.
    await h.request("PUT", `/v1/ideas/${draft.id}/answer`, {
      as: callers.staff,
      body: { answer: "Idea solida, da pubblicare" },
    });
    const beforeDecision = await h.request("GET", `/v1/ideas/${draft.id}`, { as: callers.school });
    expect(beforeDecision.body.answer).toBeUndefined();
    expect(beforeDecision.body.evaluators).toBeUndefined();

    const published = await h.request("POST", `/v1/ideas/${draft.id}/publish`, { as: callers.staff });
    expect(published.status).toBe(200);
    expect(published.body.state).toBe("published");
    const schoolView = await h.request("GET", `/v1/ideas/${draft.id}`, { as: callers.school });
    expect(schoolView.body.answer).toBe("Idea solida, da pubblicare");
    expect(schoolView.body.history.map((e: { to: string }) => e.to)).toEqual([
      "draft",
      "submitted",
      "under_review",
      "published",
    ]);

    const event = await watcher.waitFor(
      (e) => e.headers.ce_subject === draft.id && e.headers.ce_type === IdeaPublishedEvent.type,
    );
    expect(event.key).toBe(draft.id);
    expect(event.headers).toMatchObject({
      ce_specversion: "1.0",
      ce_source: "/lto/ideas",
      ce_type: "lto.ideas.v1.IdeaPublished",
      "content-type": "application/protobuf",
    });
    expect(event.headers.ce_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(Date.parse(event.headers.ce_time!)).not.toBeNaN();
    const message = IdeaPublishedEvent.decode(event.value);
    expect(message.idea).toMatchObject({
      id: draft.id,
      state: "IDEA_STATE_PUBLISHED",
      economicArea: "ECONOMIC_AREA_AGROALIMENTARE",
      district: "viadana",
      memberPseudonyms: ["Volpe Blu", "Airone"],
      schoolName: "IIS E. Fermi Mantova",
      needs: ["NEED_MENTORING", "NEED_FUNDING"],
    });
    expect(message.version).toBe(published.body.version);
    expect(JSON.stringify(message)).not.toMatch(/Molto promettente|Bonfanti|minor/);
    const submittedEvent = await watcher.waitFor(
      (e) => e.headers.ce_subject === draft.id && e.headers.ce_type === "lto.ideas.v1.IdeaSubmitted",
    );
    expect(watcher.records.indexOf(submittedEvent)).toBeLessThan(watcher.records.indexOf(event));
  });

  it("becomes adopted when IdeaAdopted arrives, once even if redelivered, and completed after", async () => {
    const id = await publishedIdea("Idea da adottare");
    const adopted = IdeaAdoptedEvent.create({
      adoptionId: "adoption-1",
      ideaId: id,
      callId,
      companyId: "company-omv",
      companyName: "OMV",
      occurredAt: new Date().toISOString(),
    });
    const eventId = await producer.send(IdeaAdoptedEvent, id, adopted);
    const after = await poll(
      () => h.request("GET", `/v1/ideas/${id}`, { as: callers.school }),
      (r) => r.body.state === "adopted",
    );
    expect(after.body.state).toBe("adopted");
    expect(after.body.adoption).toMatchObject({ adoptionId: "adoption-1", companyId: "company-omv" });

    await producer.send(IdeaAdoptedEvent, id, adopted, { id: eventId }); // redelivery of the same event
    await producer.send(
      AdoptionCompletedEvent,
      id,
      AdoptionCompletedEvent.create({
        adoptionId: "adoption-1",
        ideaId: id,
        occurredAt: new Date().toISOString(),
      }),
    );
    const done = await poll(
      () => h.request("GET", `/v1/ideas/${id}`, { as: callers.school }),
      (r) => r.body.state === "completed",
    );
    expect(done.body.state).toBe("completed");
    expect(done.body.history.filter((e: { to: string }) => e.to === "adopted")).toHaveLength(1);
  });

  it("answers 503 to a student's export while the adoption service is down, rather than leave it out", async () => {
    const id = await publishedIdea("Idea adottata, export incompleto");
    const adopted = IdeaAdoptedEvent.create({
      adoptionId: "adoption-export",
      ideaId: id,
      callId,
      companyId: "company-omv",
      companyName: "OMV",
      occurredAt: new Date().toISOString(),
    });
    await producer.send(IdeaAdoptedEvent, id, adopted);
    await poll(
      () => h.request("GET", `/v1/ideas/${id}`, { as: callers.school }),
      (r) => r.body.state === "adopted",
    );
    const team = await h.request("GET", `/v1/teams/${teamId}`, { as: callers.school });
    const res = await h.request("GET", `/v1/teams/${teamId}/members/${team.body.members[0].id}/export`, {
      as: callers.school,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.headers.get("retry-after")).toBeTruthy();
    expect(res.body.detail).toContain("adoption service");
  });

  it("returns to published when the adoption ends early", async () => {
    const id = await publishedIdea("Idea con adozione interrotta");
    await producer.send(
      IdeaAdoptedEvent,
      id,
      IdeaAdoptedEvent.create({ adoptionId: "adoption-2", ideaId: id, companyId: "company-omv" }),
    );
    await poll(
      () => h.request("GET", `/v1/ideas/${id}`),
      (r) => r.body.state === "adopted",
    );
    await producer.send(
      AdoptionEndedEvent,
      id,
      AdoptionEndedEvent.create({ adoptionId: "adoption-2", ideaId: id, reason: "Azienda in difficoltà" }),
    );
    const back = await poll(
      () => h.request("GET", `/v1/ideas/${id}`, { as: callers.staff }),
      (r) => r.body.state === "published",
    );
    expect(back.body.state).toBe("published");
    expect(back.body.history.at(-1)).toMatchObject({
      from: "adopted",
      to: "published",
      reason: "Azienda in difficoltà",
    });
  });
});

describe("other paths", () => {
  it("lets the school withdraw with a reason, and announces it", async () => {
    const { id } = await draftIdea("Idea da ritirare");
    await h.request("POST", `/v1/ideas/${id}/submit`, { as: callers.school });
    const withdrawn = await h.request("POST", `/v1/ideas/${id}/withdraw`, {
      as: callers.school,
      body: { reason: "Il team si è sciolto" },
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.history.at(-1)).toMatchObject({
      from: "submitted",
      to: "withdrawn",
      reason: "Il team si è sciolto",
      by: callers.school.sub,
    });
    await watcher.waitFor(
      (e) => e.headers.ce_subject === id && e.headers.ce_type === "lto.ideas.v1.IdeaWithdrawn",
    );
    const again = await h.request("POST", `/v1/ideas/${id}/submit`, { as: callers.school });
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
    expect(again.body.detail).toContain("withdrawn");
  });

  it("sends an idea back to draft with a change request, then accepts the resubmission", async () => {
    const { id } = await draftIdea("Idea da rivedere");
    await h.request("POST", `/v1/ideas/${id}/submit`, { as: callers.school });
    await h.request("POST", `/v1/ideas/${id}/start-review`, { as: callers.staff });
    const back = await h.request("POST", `/v1/ideas/${id}/request-changes`, {
      as: callers.staff,
      body: { reason: "Stimate meglio i costi" },
    });
    expect(back.body.state).toBe("draft");
    await watcher.waitFor(
      (e) => e.headers.ce_subject === id && e.headers.ce_type === "lto.ideas.v1.IdeaChangesRequested",
    );
    const edited = await h.request("PATCH", `/v1/ideas/${id}`, {
      as: callers.school,
      body: { solution: "Sensori a basso costo, con un piano dei costi dettagliato per tre anni." },
      headers: { "if-match": `"${back.body.version}"` },
    });
    expect(edited.status).toBe(200);
    const stale = await h.request("PATCH", `/v1/ideas/${id}`, {
      as: callers.school,
      body: { title: "Titolo nuovo" },
      headers: { "if-match": `"${back.body.version}"` },
    });
    expect(stale.status).toBe(412);
    const missing = await h.request("PATCH", `/v1/ideas/${id}`, {
      as: callers.school,
      body: { title: "Titolo nuovo" },
    });
    expect(missing.status).toBe(428);
    expect((await h.request("POST", `/v1/ideas/${id}/submit`, { as: callers.school })).body.state).toBe(
      "submitted",
    );
  });

  it("refuses submission while a minor lacks parental consent, and accepts it once recorded", async () => {
    const team = await h.request("POST", "/v1/teams", {
      as: callers.school,
      body: teamBody(schoolYear, {
        name: "Senza Consenso",
        members: [{ pseudonym: "Scoiattolo", minor: true }],
      }),
    });
    const { id } = await draftIdea("Idea senza consenso", team.body.id);
    const refused = await h.request("POST", `/v1/ideas/${id}/submit`, { as: callers.school });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain("parental consent is missing");
    expect((await h.request("GET", `/v1/ideas/${id}`, { as: callers.school })).body.state).toBe("draft");
    const memberId = team.body.members[0].id;
    const consent = await h.request("POST", `/v1/teams/${team.body.id}/members/${memberId}/consent`, {
      as: callers.school,
      body: { parentalConsentOn: romeDate(new Date(Date.now() - 86_400_000)) },
    });
    expect(consent.status).toBe(200);
    expect((await h.request("POST", `/v1/ideas/${id}/submit`, { as: callers.school })).body.state).toBe(
      "submitted",
    );
  });

  it("exports everything about a student and erases them, re-publishing the team's public ideas", async () => {
    const team = await h.request("POST", "/v1/teams", {
      as: callers.school,
      body: teamBody(schoolYear, {
        name: "Team Privacy",
        members: [
          { pseudonym: "Gheppio", minor: false },
          { pseudonym: "Tasso", minor: false },
        ],
      }),
    });
    const teamIdP = team.body.id as string;
    const member = team.body.members[0];
    const { id } = await draftIdea("Idea del team privacy", teamIdP);
    await h.request("POST", `/v1/ideas/${id}/submit`, { as: callers.school });
    await h.request("PUT", `/v1/ideas/${id}/evaluators`, {
      as: callers.staff,
      body: { evaluators: [callers.evaluator.sub] },
    });
    await h.request("PUT", `/v1/ideas/${id}/scores`, { as: callers.evaluator, body: { scores: fullScores } });
    await h.request("POST", `/v1/ideas/${id}/publish`, {
      as: callers.staff,
      body: { answer: "Pubblicata davvero" },
    });

    const exported = await h.request("GET", `/v1/teams/${teamIdP}/members/${member.id}/export`, {
      as: callers.school,
    });
    expect(exported.status).toBe(200);
    expect(exported.body.member).toMatchObject({ id: member.id, pseudonym: "Gheppio", minor: false });
    expect(exported.body.team).toMatchObject({ id: teamIdP, name: "Team Privacy" });
    expect(exported.body.ideas.map((i: { id: string }) => i.id)).toEqual([id]);
    expect(
      (
        await h.request("GET", `/v1/teams/${teamIdP}/members/${member.id}/export`, {
          as: callers.otherSchool,
        })
      ).status,
    ).toBe(404); // another school's team is as unknown as a wrong id

    const erased = await h.request("POST", `/v1/teams/${teamIdP}/members/${member.id}/erase`, {
      as: callers.school,
    });
    expect(erased.status).toBe(200);
    expect(erased.body.members[0]).toMatchObject({ id: member.id, pseudonym: "anonimo-1" });
    expect(JSON.stringify(erased.body)).not.toContain("Gheppio");
    const exportedAfter = await h.request("GET", `/v1/teams/${teamIdP}/members/${member.id}/export`, {
      as: callers.school,
    });
    expect(JSON.stringify(exportedAfter.body)).not.toContain("Gheppio");
    const idea = await h.request("GET", `/v1/ideas/${id}`, { as: callers.company });
    expect(idea.body.team.members).toEqual([{ pseudonym: "anonimo-1" }, { pseudonym: "Tasso" }]);
    const republished = await watcher.waitFor(
      (e) =>
        e.headers.ce_subject === id &&
        e.headers.ce_type === IdeaPublishedEvent.type &&
        IdeaPublishedEvent.decode(e.value).idea!.memberPseudonyms.includes("anonimo-1"),
    );
    expect(IdeaPublishedEvent.decode(republished.value).idea!.memberPseudonyms).toEqual([
      "anonimo-1",
      "Tasso",
    ]);
  });

  it("searches by words, area, district, technology and state, page by page", async () => {
    const res = await h.request(
      "GET",
      "/v1/ideas?q=SERRA%20idroponica&area=agroalimentare&district=viadana&technology=iot&state=published",
      { as: callers.company },
    );
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    for (const item of res.body.items) expect(item.state).toBe("published");
    expect(
      res.body.items.every((i: { title: string; summary: string }) =>
        /serra idroponica/i.test(`${i.title} ${i.summary}`),
      ),
    ).toBe(true);
    const none = await h.request("GET", "/v1/ideas?district=asola", { as: callers.company });
    expect(none.body.items).toEqual([]);

    // By the site of the call (its staff's review list).
    const site = (await h.request("GET", `/v1/calls/${callId}`, { as: callers.staff })).body.site as string;
    const atSite = await h.request("GET", `/v1/ideas?callId=${callId}&site=${site}`, { as: callers.staff });
    expect(atSite.status).toBe(200);
    expect(atSite.body.items.length).toBeGreaterThan(0);
    for (const item of atSite.body.items) expect(item.site).toBe(site);
    const elsewhere = site === "lto-asola" ? "lto-viadana" : "lto-asola";
    const other = await h.request("GET", `/v1/ideas?callId=${callId}&site=${elsewhere}`, {
      as: callers.staff,
    });
    expect(other.body.items).toEqual([]);

    const first = await h.request("GET", `/v1/ideas?callId=${callId}&limit=2`, { as: callers.staff });
    expect(first.body.items).toHaveLength(2);
    const second = await h.request(
      "GET",
      `/v1/ideas?callId=${callId}&limit=2&cursor=${first.body.nextCursor}`,
      { as: callers.staff },
    );
    expect(second.body.items.length).toBeGreaterThan(0);
    const ids = [...first.body.items, ...second.body.items].map((i: { id: string }) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Drafts never leave their school.
    const drafts = await h.request("GET", "/v1/ideas?state=draft", { as: callers.otherSchool });
    expect(drafts.body.items).toEqual([]);
  });
});

describe("the service itself", () => {
  it("publishes CallCreated on the registered ideas topic", async () => {
    const event = await watcher.waitFor(
      (e) => e.headers.ce_subject === callId && e.headers.ce_type === "lto.ideas.v1.CallCreated",
    );
    expect(event.key).toBe(callId);
    expect(topics.ideas).toBe("lto.ideas.events.v1");
    // The site that runs the call travels with it (the programme's figures count ideas per site).
    const call = (await h.request("GET", `/v1/calls/${callId}`, { as: callers.staff })).body;
    expect(CallCreatedEvent.decode(event.value).call?.site).toBe(call.site);
    expect(call.site).toMatch(/^lto-/);
  });

  it("answers health, readiness and the OpenAPI document generated from its schemas", async () => {
    expect((await h.request("GET", "/healthz")).status).toBe(200);
    expect((await h.request("GET", "/readyz")).status).toBe(200);
    const doc = (await h.request("GET", "/openapi.json")).body;
    expect(doc.openapi).toMatch(/^3\.1/);
    for (const path of [
      "/v1/calls",
      "/v1/teams/{teamId}/members/{memberId}/erase",
      "/v1/ideas/{ideaId}/publish",
      "/v1/ideas/{ideaId}/scores",
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });

  it("lets exactly one of two racing updates with the same version win", async () => {
    const { id, version } = await draftIdea("Idea contesa");
    const results = await Promise.all(
      ["Titolo A della gara", "Titolo B della gara"].map((title) =>
        h.request("PATCH", `/v1/ideas/${id}`, {
          as: callers.school,
          body: { title },
          headers: { "if-match": `"${version}"` },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    const winner = results.find((r) => r.status === 200)!.body.title;
    expect((await h.request("GET", `/v1/ideas/${id}`, { as: callers.school })).body).toMatchObject({
      title: winner,
      version: version + 1,
    });
  });

  it("replays a create retried with the same Idempotency-Key instead of creating twice", async () => {
    const headers = { "idempotency-key": `team-${Date.now()}` };
    const body = teamBody(schoolYear, { name: "Team Idempotente" });
    const first = await h.request("POST", "/v1/teams", { as: callers.school, body, headers });
    const again = await h.request("POST", "/v1/teams", { as: callers.school, body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const teams = (await h.request("GET", "/v1/teams?limit=100", { as: callers.school })).body.items;
    expect(teams.filter((t: { name: string }) => t.name === "Team Idempotente")).toHaveLength(1);
  });

  it("a create whose instance died after writing and before storing its answer is not made twice by the retry", async () => {
    const key = `idea-crash-${Date.now()}`;
    const headers = { "idempotency-key": key };
    const body = { ...ideaContent, title: "Idea sopravvissuta al crash", callId, teamId };
    const first = await h.request("POST", "/v1/ideas", { as: callers.school, body, headers });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // The instance dies right after the insert: the key stays claimed, the answer is never stored.
    await leaveIdempotencyKeyAsCrashed(h, callers.school, key, 0);
    const early = await h.request("POST", "/v1/ideas", { as: callers.school, body, headers });
    expect(early.status).toBe(409);
    expect(early.body.type).toMatch(/idempotency-key-in-progress$/);
    // After the abandon time (IDEMPOTENCY_ABANDON_MS, 60 s by default) the retry takes the key over and
    // runs the request again: it finds the draft the first run wrote instead of making a second one.
    await leaveIdempotencyKeyAsCrashed(h, callers.school, key, 60_000);
    const retried = await h.request("POST", "/v1/ideas", { as: callers.school, body, headers });
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    expect(retried.headers.get("idempotent-replayed")).toBeNull(); // it ran, it was not replayed
    expect(retried.body).toMatchObject({ id: first.body.id, version: 1, state: "draft" });
    const mine = (await h.request("GET", "/v1/ideas?limit=100", { as: callers.school })).body.items;
    expect(mine.filter((i: { title: string }) => i.title === body.title)).toHaveLength(1);
    // From now on its answer is stored and replayed.
    const replayed = await h.request("POST", "/v1/ideas", { as: callers.school, body, headers });
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(replayed.body.id).toBe(first.body.id);
  });
});
