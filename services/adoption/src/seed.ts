// `npm run -w @lto/adoption-service seed`: the adoption part of the Mantova demo in this service's
// store (MONGO_URL, MONGO_DB). Needs the ideas demo to have reached this service over Kafka (start both
// services once after the ideas seed); otherwise it creates the companies and says to run it again.
// Refused with NODE_ENV=production.
import { isEntryPoint } from "@lto/http-kit";
import { loadAdoptionConfig } from "./config.js";
import { connectStore } from "./infra/connect.js";
import { seedAdoptionDemo } from "./infra/demo.js";

export async function runAdoptionSeed(env: NodeJS.ProcessEnv = process.env) {
  if (env.NODE_ENV === "production") throw new Error("refused: the demo data is for development");
  const config = loadAdoptionConfig(env);
  const store = await connectStore(config.MONGO_URL, config.MONGO_DB);
  try {
    return { db: config.MONGO_DB, ...(await seedAdoptionDemo(store.cols, new Date())) };
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
