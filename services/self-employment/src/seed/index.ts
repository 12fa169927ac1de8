// The self-employment service's public seed entry: the Mantova demo, loaded on an empty store by
// `npm start` (main.ts) and by `npm run seed` (scripts/seed.ts). Nothing else under src imports this room.
import { AggregateStore } from "@lto/store";
import { loadSelfEmploymentConfig } from "../config.js";
import { selfEmploymentPorts } from "../infra/ports.js";
import { seedSelfEmploymentDemo, type SeedLog } from "./demo.js";

export { seedSelfEmploymentDemo, type SeedLog };

/**
 * Loads the demo into the store the environment names (MONGO_URL, MONGO_DB; the development defaults
 * otherwise) and says what it created. Its events wait in the outbox until
 * the service's relay publishes them (on its next start or sweep); the bookings' reminders are written
 * when the running service reads those events. `log` hears what was skipped (no free slot this week).
 */
export async function runSelfEmploymentSeed(
  env: NodeJS.ProcessEnv = process.env,
  now = new Date(),
  log: SeedLog = () => {},
) {
  if (env.NODE_ENV === "production") throw new Error("refused: the demo data is for development");
  const config = loadSelfEmploymentConfig(env);
  const store = await AggregateStore.open({
    url: config.MONGO_URL,
    dbName: config.MONGO_DB,
    appName: "lto-self-employment",
  });
  try {
    const { ports } = selfEmploymentPorts(store, { now: () => now });
    await store.ensureIndexes();
    return { db: config.MONGO_DB, created: await seedSelfEmploymentDemo(ports, now, log) };
  } finally {
    await store.close();
  }
}
