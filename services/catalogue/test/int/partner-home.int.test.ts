// What a partner body's home reads: its own courses by state (a returned one with the reason), paged,
// never another partner body's; and a session of its published course with how many hold a seat and
// how many wait (counts only). Real broker and store.
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callers, courseBody, ok, sessionBody, startCatalogue } from "./support.js";

let svc: TestService;
const partner = () => svc.as(callers.partner);
const staff = () => svc.as(callers.staff);

beforeAll(async () => {
  svc = await startCatalogue({ env: { SEED_DEMO_WHEN_EMPTY: "false" } });
});
afterAll(async () => {
  await svc?.close();
});

describe("a partner body's own courses and its sessions' counts", () => {
  it("lists its courses by state with the return reason, a page at a time, and none of another body's", async () => {
    const draft = await ok(partner(), "POST", "/v1/courses", courseBody({ titleIt: "Bozza del CFP" }));
    const sent = await ok(partner(), "POST", "/v1/courses", courseBody({ titleIt: "Corso rimandato" }));
    await ok(partner(), "POST", `/v1/courses/${sent.id}/submit`);
    await ok(staff(), "POST", `/v1/courses/${sent.id}/return`, { reason: "Manca il livello atteso" });
    await ok(svc.as(callers.otherPartner), "POST", "/v1/courses", courseBody({ titleIt: "Corso ITS" }));
    await ok(staff(), "POST", "/v1/courses", courseBody({ titleIt: "Corso LTO" }));

    const all = await ok(partner(), "GET", "/v1/courses/mine");
    expect(all.items.map((c: { id: string }) => c.id)).toEqual([sent.id, draft.id]);
    const returned = await ok(partner(), "GET", "/v1/courses/mine?state=returned");
    expect(returned.items).toHaveLength(1);
    expect(returned.items[0]).toMatchObject({ id: sent.id, returnReason: "Manca il livello atteso" });
    expect((await ok(partner(), "GET", "/v1/courses/mine?state=published")).items).toEqual([]);

    const first = await ok(partner(), "GET", "/v1/courses/mine?limit=1");
    expect(first.items.map((c: { id: string }) => c.id)).toEqual([sent.id]);
    const second = await ok(partner(), "GET", `/v1/courses/mine?limit=1&cursor=${first.nextCursor}`);
    expect(second.items.map((c: { id: string }) => c.id)).toEqual([draft.id]);
    expect(second.nextCursor).toBeUndefined();

    const other = await ok(svc.as(callers.otherPartner), "GET", "/v1/courses/mine");
    expect(other.items.map((c: { titleIt: string }) => c.titleIt)).toEqual(["Corso ITS"]);
    const bad = await partner().get("/v1/courses/mine?state=gone");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain("state");
    expect((await staff().get("/v1/courses/mine")).status).toBe(403);
  });

  it("counts who holds a seat and who waits in a session of its published course", async () => {
    const course = await ok(partner(), "POST", "/v1/courses", courseBody({ titleIt: "Corso pubblicato" }));
    await ok(partner(), "POST", `/v1/courses/${course.id}/submit`);
    await ok(staff(), "POST", `/v1/courses/${course.id}/publish`);
    const session = await ok(staff(), "POST", "/v1/sessions", sessionBody(course.id, { capacity: 2 }));
    const empty = await ok(partner(), "GET", `/v1/sessions/${session.id}/counts`);
    expect(empty).toEqual({ sessionId: session.id, capacity: 2, seatsTaken: 0, waiting: 0 });
    for (const n of [1, 2, 3])
      await ok(
        svc.as({ sub: `learner-ph-${n}`, role: "learner", org: `learner-ph-${n}` }),
        "POST",
        `/v1/sessions/${session.id}/enrolments`,
        {},
      );
    const counts = await ok(partner(), "GET", `/v1/sessions/${session.id}/counts`);
    expect(counts).toEqual({ sessionId: session.id, capacity: 2, seatsTaken: 2, waiting: 1 });
    // The same as the staff's list says.
    const list = await ok(staff(), "GET", `/v1/sessions/${session.id}/enrolments`);
    expect(list.seatsTaken).toBe(2);
    expect(list.items.filter((e: { status: string }) => e.status === "waitlisted")).toHaveLength(1);
    expect((await svc.as(callers.otherPartner).get(`/v1/sessions/${session.id}/counts`)).status).toBe(403);
  });
});
