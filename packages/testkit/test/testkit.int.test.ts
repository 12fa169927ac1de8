import { createJwtVerifier } from "@lto/auth";
import { Schema } from "mongoose";
import { afterAll, describe, expect, it } from "vitest";
import {
  createTestKafka,
  createTestTopics,
  getInfra,
  testAuth,
  uniqueGroupId,
  uniqueTopic,
  useTestDb,
} from "../src/index.js";

describe("testkit", () => {
  const db = useTestDb();

  it("hands out the run's broker and store", async () => {
    const infra = await getInfra();
    expect(infra.kafkaBrokers.length).toBeGreaterThan(0);
    expect(infra.mongoUrl).toMatch(/^mongodb:\/\//);
    expect(["env", "testcontainers", "local"]).toContain(infra.kafkaSource);
  });

  it("gives the file its own database, dropped afterwards", async () => {
    expect(db.dbName).toMatch(/^t_testkit_/);
    const Thing = db.connection.model("Thing", new Schema({ name: String }));
    await Thing.create({ name: "a" });
    expect(await Thing.countDocuments()).toBe(1);
    const names = (await db.connection.listDatabases()).databases.map((d) => d.name);
    expect(names).toContain(db.dbName);
  });

  it("produces and consumes with a unique client id and consumer group", async () => {
    const kafka = await createTestKafka();
    const [topic] = await createTestTopics(kafka, [uniqueTopic("testkit")], { partitions: 1 });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: topic!, messages: [{ key: "k", value: "v1" }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueGroupId() });
    await consumer.connect();
    await consumer.subscribe({ topic: topic!, fromBeginning: true });
    const received = await new Promise<string>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(message.value!.toString()) });
    });
    await consumer.disconnect();
    expect(received).toBe("v1");
  });

  describe("testAuth", () => {
    let auth: Awaited<ReturnType<typeof testAuth>>;
    afterAll(() => auth?.close());

    it("signs tokens that a verifier trusts through the served JWKS, and foreign ones it refuses", async () => {
      auth = await testAuth();
      const verify = createJwtVerifier({
        jwksUrl: auth.jwksUrl,
        issuer: auth.issuer,
        audience: auth.audience,
      });
      const identity = await verify(
        await auth.bearer({ sub: "u1", role: "school", org: "school-1", sites: ["mn"] }),
      );
      expect(identity).toMatchObject({
        subject: "u1",
        role: "school",
        organisationId: "school-1",
        sites: ["mn"],
      });
      await expect(
        verify(`Bearer ${await auth.foreignToken({ sub: "u1", role: "admin", org: "x" })}`),
      ).rejects.toThrow();
      expect(auth.env).toEqual({
        JWKS_URL: auth.jwksUrl,
        JWT_ISSUER: auth.issuer,
        JWT_AUDIENCE: auth.audience,
      });
    });
  });
});
