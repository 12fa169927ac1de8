// `npm run seed`'s part: the demo accounts, once, that sign in with the demo password.
import { useTestDb } from "@lto/testkit";
import { describe, expect, it } from "vitest";
import { argon2Hasher } from "../../src/infra/repositories.js";
import { DEMO_ACCOUNTS, runGatewaySeed } from "../../src/seed/index.js";

const db = useTestDb({ prefix: "gateway-seed" });

describe("runGatewaySeed", () => {
  it("creates one active account per role, once", async () => {
    const env = { MONGO_URL: db.mongoUrl, MONGO_DB: db.dbName, DEMO_PASSWORD: "demo password for the seed" };
    expect(await runGatewaySeed(env)).toEqual({ db: db.dbName, accounts: 7 });
    expect(await runGatewaySeed(env)).toEqual({ db: db.dbName, accounts: 0 });
    const stored = await db.connection.collection("accounts").find({}).toArray();
    expect(stored.map((a) => a.role).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.role).sort());
    expect(stored.every((a) => a.status === "active")).toBe(true);
    expect(await argon2Hasher.verify(String(stored[0]!.passwordHash), "demo password for the seed")).toBe(
      true,
    );
  });
});
