// The adoption part of the Mantova demo, the service's public seed entry: used by `npm start` on an
// empty store and by scripts/seed.ts. `npm run -w @lto/adoption-service seed` loads it into
// MONGO_URL/MONGO_DB. It needs the ideas demo to have reached this service over Kafka (start both
// services once after the ideas seed); otherwise it creates the companies and says to run it again.
// Refused with NODE_ENV=production.
import { isEntryPoint } from "@lto/http-kit";
import { loadAdoptionConfig } from "../config.js";
import { openAdoptionStore, type AdoptionCollections } from "../infra/store.js";
import { seedAdoptionDemo } from "./demo.js";

export { DEMO_COMPANIES, seedAdoptionDemo } from "./demo.js";

/** True when the store has no market data yet (no offer): the demo may be loaded. */
export async function isEmpty(cols: AdoptionCollections): Promise<boolean> {
  return (await cols.offers.count({})) === 0;
}

export async function runAdoptionSeed(env: NodeJS.ProcessEnv = process.env) {
  if (env.NODE_ENV === "production") throw new Error("refused: the demo data is for development");
  const config = loadAdoptionConfig(env);
  const { store, collections } = await openAdoptionStore({ url: config.MONGO_URL, dbName: config.MONGO_DB });
  try {
    return { db: config.MONGO_DB, ...(await seedAdoptionDemo(collections, new Date())) };
  } finally {
    await store.close();
  }
}

if (isEntryPoint(import.meta.url)) {
  const result = await runAdoptionSeed();
  console.log(
    `adoption demo in ${result.db}: created ${result.companies} companies, ${result.holds} holds, ${result.offers} offers, ${result.adoptions} adoptions` +
      (result.pendingIdeas
        ? " (the published demo ideas have not reached this service yet: start the services, then run it again)"
        : ""),
  );
}
