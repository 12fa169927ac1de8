// The catalogue service's public seed entry: the Mantova demo catalogue, loaded on an empty store by
// `npm start` (main.ts) and by `npm run seed` (scripts/seed.ts). Nothing else under src imports this room.
import { AggregateStore } from "@lto/store";
import { loadCatalogueConfig } from "../config.js";
import { cataloguePorts } from "../infra/ports.js";
import { seedCatalogueDemo } from "./demo.js";

export { seedCatalogueDemo };

/**
 * Loads the demo into the store the environment names (MONGO_URL, MONGO_DB; the development defaults
 * otherwise) and says how many courses, sessions,
 * enrolments and credentials it created. Its events wait in the outbox until the
 * service's relay publishes them (on its next start or sweep).
 */
export async function runCatalogueSeed(env: NodeJS.ProcessEnv = process.env, now = new Date()) {
  if (env.NODE_ENV === "production") throw new Error("refused: the demo data is for development");
  const config = loadCatalogueConfig(env);
  const store = await AggregateStore.open({
    url: config.MONGO_URL,
    dbName: config.MONGO_DB,
    appName: "lto-catalogue",
  });
  try {
    const { ports } = cataloguePorts(store, config, { now: () => now });
    await store.ensureIndexes();
    return { db: config.MONGO_DB, created: await seedCatalogueDemo(ports, now) };
  } finally {
    await store.close();
  }
}
