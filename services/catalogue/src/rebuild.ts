// `npm run catalogue:rebuild`: rebuilds the copy of ideas and adoptions behind the course suggestions
// from the ideas and adoption topics' beginning (see infra/rebuild.ts). Run it with every instance of the
// catalogue stopped (it refuses otherwise), then start them: they go on from where the replay stopped.
// Reads the service's environment (MONGO_URL, MONGO_DB, KAFKA_BROKERS, KAFKA_CONSUMER_GROUP).
import { runRebuild } from "@lto/service-host";
import { loadCatalogueConfig } from "./config.js";
import { rebuildTeamIdeas } from "./infra/rebuild.js";
import { catalogueCollections } from "./infra/store.js";

await runRebuild({
  name: "catalogue",
  config: loadCatalogueConfig(),
  collections: catalogueCollections,
  rebuild: ({ kafka, store, logger, group }) => rebuildTeamIdeas({ kafka, store, logger, group }),
  done: "the ideas' copy is rebuilt from the topics' beginning; start the service again",
  failed: "rebuild failed: run it again (with the service stopped) before starting the service",
});
