/* global rs, db, print, sleep, process -- mongosh globals */
// Run by compose's mongo-init job (mongosh, as the root user) at every `docker compose up`:
// 1. initiates the one-member replica set rs0 (once), 2. waits until this member is primary,
// 3. creates each service's user with readWrite on its own database only, or sets its password again
//    when it exists (so rotating a password in .env takes effect at the next `up`).
const services = {
  ideas: ["lto_ideas", "IDEAS_DB_PASSWORD"],
  adoption: ["lto_adoption", "ADOPTION_DB_PASSWORD"],
  catalogue: ["lto_catalogue", "CATALOGUE_DB_PASSWORD"],
  "self-employment": ["lto_self_employment", "SELF_EMPLOYMENT_DB_PASSWORD"],
  insights: ["lto_insights", "INSIGHTS_DB_PASSWORD"],
  notifications: ["lto_notifications", "NOTIFICATIONS_DB_PASSWORD"],
  gateway: ["lto_gateway", "GATEWAY_DB_PASSWORD"],
};

try {
  rs.status();
} catch (e) {
  if (e.codeName !== "NotYetInitialized") throw e;
  rs.initiate({ _id: "rs0", members: [{ _id: 0, host: "mongo:27017" }] });
  print("replica set rs0 initiated");
}

for (let i = 0; !db.hello().isWritablePrimary; i++) {
  if (i >= 120)
    throw new Error("this member did not become primary within 60 s; see `docker compose logs mongo`");
  sleep(500);
}

for (const [user, [database, variable]] of Object.entries(services)) {
  const pwd = process.env[variable];
  if (!pwd) throw new Error(`${variable} is not set: give every service's database password in .env`);
  const target = db.getSiblingDB(database);
  const roles = [{ role: "readWrite", db: database }];
  if (target.getUser(user)) {
    target.updateUser(user, { pwd, roles });
    print(`user ${user} on ${database}: password and roles set again`);
  } else {
    target.createUser({ user, pwd, roles });
    print(`user ${user} on ${database}: created`);
  }
}
