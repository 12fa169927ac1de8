/**
 * `npm run seed`: loads the Mantova demo into the ideas service's store (MONGO_URL, MONGO_DB; the
 * development defaults otherwise): schools and CFPs of the six districts, an open and a challenge call
 * for the current school year and last year's call, teams by pseudonym, ideas in every state.
 * Idempotent: what exists already is left alone. Its events wait in the outbox until the ideas
 * service's relay publishes them (on its next start or sweep). Then the adoption part of the demo, and
 * the catalogue's (courses from DigComp level 1 to 6 for every audience, sessions at the six sites), and
 * the self-employment service's (operators with working plans at every site, persons along their
 * paths: deliveries last month, bookings this week and next, a cancellation, a waitlist entry), and
 * the gateway's demo accounts, one per role (password DEMO_PASSWORD, default lto-mantova-demo).
 * Refused with NODE_ENV=production.
 */
import { runAdoptionSeed } from "@lto/adoption-service/seed";
import { runCatalogueSeed } from "@lto/catalogue-service/seed";
import { runGatewaySeed } from "@lto/gateway-service/seed";
import { runIdeasSeed } from "@lto/ideas-service/seed";
import { runSelfEmploymentSeed } from "@lto/self-employment-service/seed";

if (process.env.NODE_ENV === "production") {
  console.error("refused: the demo data is for development, not NODE_ENV=production");
  process.exit(1);
}

const ideas = await runIdeasSeed(process.env);
const what = Object.entries(ideas.created)
  .map(([kind, n]) => `${n} ${kind}`)
  .join(", ");
console.log(`ideas demo in ${ideas.db}: created ${what} (0 means it was there already)`);

// The adoption part (companies, holds, offers, adoptions) needs the published demo ideas to have
// reached the adoption service over Kafka: on a first run it creates the companies and says so.
const adoption = await runAdoptionSeed({
  ...process.env,
  MONGO_DB: process.env.ADOPTION_MONGO_DB ?? "lto_adoption",
});
console.log(
  `adoption demo in ${adoption.db}: created ${adoption.companies} companies, ${adoption.holds} holds, ` +
    `${adoption.offers} offers, ${adoption.adoptions} adoptions` +
    (adoption.pendingIdeas ? " (demo ideas not yet projected: start the platform, then run it again)" : ""),
);

const catalogue = await runCatalogueSeed({
  ...process.env,
  MONGO_DB: process.env.CATALOGUE_MONGO_DB ?? "lto_catalogue",
});
console.log(
  `catalogue demo in ${catalogue.db}: created ${catalogue.created.courses} courses, ` +
    `${catalogue.created.sessions} sessions, ${catalogue.created.enrolments} enrolments, ` +
    `${catalogue.created.credentials} credentials (0 means they were there already)`,
);

const selfEmployment = await runSelfEmploymentSeed(
  { ...process.env, MONGO_DB: process.env.SELF_EMPLOYMENT_MONGO_DB ?? "lto_self_employment" },
  new Date(),
  (line) => console.log(line),
);
const made = Object.entries(selfEmployment.created)
  .map(([kind, n]) => `${n} ${kind}`)
  .join(", ");
console.log(`self-employment demo in ${selfEmployment.db}: created ${made} (0 means it was there already)`);

const gateway = await runGatewaySeed({
  ...process.env,
  MONGO_DB: process.env.GATEWAY_MONGO_DB ?? "lto_gateway",
});
console.log(
  `gateway demo in ${gateway.db}: created ${gateway.accounts} accounts (0 means they were there already)`,
);
