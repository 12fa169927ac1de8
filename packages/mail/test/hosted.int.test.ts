// The outbox wired into a hosted service as a service would wire it (settings from the environment,
// `periodic: [mail.senderJob]`): the host's timer sends what is enqueued, into MAIL_DIR.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@lto/config";
import { hostedEnv, type ServiceDefinition } from "@lto/service-host";
import { waitFor } from "@lto/testkit";
import { startTestService, type TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { z } from "zod";
import { mailEnv, mailOutbox, type MailOutbox } from "../src/index.js";

const serviceEnv = hostedEnv({ name: "mailtest", httpPort: 0, grpcPort: 0 }).extend(mailEnv.shape);

let mail: MailOutbox | undefined;

const service: ServiceDefinition<z.infer<typeof serviceEnv>> = {
  name: "mailtest",
  config: (e) => loadConfig(serviceEnv, e),
  topics: [],
  compose({ store, config, clock, logger }) {
    mail = mailOutbox(store, config, clock, { logger, everyMs: 100 });
    return { routes: () => undefined, periodic: [mail.senderJob] };
  },
};

let dir: string;
let svc: TestService;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lto-mail-hosted-"));
  svc = await startTestService(service, { env: { MAIL_DIR: dir } });
});

afterAll(async () => {
  await svc?.close();
  await rm(dir, { recursive: true, force: true });
});

it("sends through the host's periodic job into MAIL_DIR", async () => {
  expect(mail!.transport).toBe("eml");
  expect(mail!.directory).toBe(dir);
  expect(await mail!.enqueue({ id: "hosted-1", to: ["a@example.org"], subject: "Ciao", text: "x" })).toBe(
    true,
  );
  await waitFor(
    "the sender job to send hosted-1",
    async () => (await mail!.get("hosted-1"))?.status === "sent",
  );
  expect(await readdir(dir)).toEqual(["hosted-1.eml"]);
});
