// The ideas service's public seed entry: the Mantova demo, loaded on an empty store by `npm start`
// (main.ts) and by `npm run seed` (scripts/seed.ts). Demo data lives here, out of production source:
// nothing else under src imports this room.
import { loadIdeasConfig } from "../config.js";
import { ideasRepositories } from "../infra/repositories.js";
import { openIdeasStore } from "../infra/store.js";
import { seedIdeasDemo } from "./demo.js";

export { seedIdeasDemo };

/**
 * Loads the demo into the store the environment names (MONGO_URL, MONGO_DB; the development defaults
 * otherwise) and says how many calls, teams and ideas it created (0s when they were all there). Its
 * events wait in the outbox until the service's relay publishes them (on its next start or sweep).
 */
export async function runIdeasSeed(env: NodeJS.ProcessEnv = process.env, now = new Date()) {
  if (env.NODE_ENV === "production") throw new Error("refused: the demo data is for development");
  const config = loadIdeasConfig(env);
  const { store, collections } = await openIdeasStore(config.MONGO_URL, config.MONGO_DB);
  try {
    return { db: config.MONGO_DB, created: await seedIdeasDemo(ideasRepositories(collections), now) };
  } finally {
    await store.close();
  }
}
