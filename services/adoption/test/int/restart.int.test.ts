// The service starts again on its own data (issue 7 item 1): FerretDB 1.24.2 dropped the connection
// on re-creating existing indexes, so the second start died ("start-up failed: connection closed").
// Stop and start on the same database, a second instance beside it, and `projection:rebuild` (the
// real script, as an operator runs it) twice in a row.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "@lto/local-runtime";
import { topics } from "@lto/contracts";
import { deadGroupMember, uniqueGroupId, uniqueId } from "@lto/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "@lto/testkit/service";
import { adoptionService } from "../../src/main.js";
import { client, companyProfile, publishIdea, startHarness, visible, type Harness } from "./support.js";

let h: Harness;
const extra: TestService[] = [];

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  for (const s of extra) await s.close();
  await h?.close();
});

/** Another instance on the harness's store, broker and keys (`env` over its environment). */
const boot = async (env: Record<string, string> = {}) => {
  const s = await startTestService(adoptionService, { sameAs: h.svc, env });
  extra.push(s);
  return s;
};

/** `npm run -w @lto/adoption-service projection:rebuild` on the harness's database and broker. */
function rebuildScript(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const root = repoRoot();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(root, "services/adoption/src/projection-rebuild.ts")],
    { cwd: join(root, "services/adoption"), env: { ...env, LOG_LEVEL: "info" }, stdio: "pipe" },
  );
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (output += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (output += c));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}

describe("restarting the adoption service on existing data", () => {
  it("starts again, and a second instance beside it, and both serve what the first wrote", async () => {
    const company = client(h, { sub: uniqueId("cu"), role: "company", org: uniqueId("company") });
    const reg = await company("POST", "/v1/companies", companyProfile(Math.floor(Math.random() * 1e6)));
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    const ideaId = await visible(h, await publishIdea(h, { schoolId: uniqueId("school") }));

    await h.svc.restart();
    const beside = await boot();
    for (const s of [h.svc, beside]) {
      const res = await s
        .as({ sub: uniqueId("cu"), role: "company", org: uniqueId("c") })
        .get(`/v1/ideas/${ideaId}`);
      expect(res.status).toBe(200);
    }
  }, 120_000);

  it("projection:rebuild runs twice in a row on the same data", async () => {
    for (const round of [1, 2]) {
      const { code, output } = await rebuildScript({ ...process.env, ...h.env });
      expect(code, `round ${round}:\n${output}`).toBe(0);
      expect(output).toContain("projection rebuilt");
    }
  }, 180_000);

  it("after a kill -9, serves at once while its consumer waits for the dead member; /readyz names its state", async () => {
    const group = uniqueGroupId("adoption-dead-member");
    await deadGroupMember({ groupId: group, topics: [topics.ideas], sessionTimeoutMs: 15_000 });
    const s = await boot({ KAFKA_CONSUMER_GROUP: group });
    const token = await h.auth.token({ sub: uniqueId("cu"), role: "company", org: uniqueId("c") });
    const get = (path: string, auth = true) =>
      fetch(`${s.url}${path}`, auth ? { headers: { authorization: `Bearer ${token}` } } : {});
    expect((await get("/healthz", false)).status).toBe(200);
    expect((await get("/v1/ideas")).status).toBe(200);
    const readyz = async () => {
      const res = await get("/readyz", false);
      return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
    };
    let r = await readyz();
    expect(r.status).toBe(503);
    expect(["starting", "joining"]).toContain(r.body.checks.consumer);
    const deadline = Date.now() + 90_000;
    while (r.status !== 200 && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 250));
      r = await readyz();
    }
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.checks.consumer).toBe("ok");
  }, 150_000);
});
