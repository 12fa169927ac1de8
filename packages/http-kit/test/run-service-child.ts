// Child process for run-service.int.test.ts: a minimal main.ts built on runService.
import { ConfigError } from "@lto/config";
import { createLogger } from "@lto/telemetry";
import { createHttpApp, runService } from "../src/index.js";

const logger = createLogger("run-service-child");
const mode = process.argv[2];
let stopServer: (() => Promise<void>) | undefined;

await runService({
  logger,
  async start() {
    if (mode === "bad-config")
      throw new ConfigError([{ variable: "HTTP_PORT", message: "must be a port number" }]);
    const http = createHttpApp({
      serviceName: "child",
      logger,
      routes: () => {},
      openapi: { title: "t", version: "1" },
    });
    const server = await http.listen(0, "127.0.0.1");
    stopServer = server.close;
    if (mode === "crash") setTimeout(() => Promise.reject(new Error("forgotten promise")), 10);
    return { httpPort: server.port };
  },
  async stop() {
    await stopServer?.();
    logger.info("child stop complete");
  },
});
