// The gRPC SelfEmploymentService as other services call it: health, and (until bookings exist)
// UNIMPLEMENTED with a message saying so, after the caller's token is checked. GetAvailability:
// availability.int.test.ts; GetPath: paths-grpc tests.
import { selfEmploymentV1 } from "@lto/contracts";
import { NotImplementedError, UnauthenticatedError } from "@lto/errors";
import { checkHealth, createGrpcClient } from "@lto/grpc-kit";
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callers, startSelfEmployment } from "./support.js";

let svc: TestService;
let client: ReturnType<typeof createGrpcClient<typeof selfEmploymentV1.SelfEmploymentServiceService>>;

beforeAll(async () => {
  svc = await startSelfEmployment();
  client = createGrpcClient(selfEmploymentV1.SelfEmploymentServiceClient, svc.running.grpc.address, {
    deadlineMs: 5000,
  });
});
afterAll(async () => {
  client?.close();
  await svc?.close();
});

describe("SelfEmploymentService over gRPC", () => {
  it("serves grpc.health.v1", async () => {
    expect(await checkHealth(svc.running.grpc.address)).toBe("SERVING");
  });

  it("answers each method not answered yet UNIMPLEMENTED, saying what is missing, and needs a token", async () => {
    const token = { token: await svc.auth.token(callers.staff) };
    const calls = [
      [
        "ListBookingsBySite",
        () => client.listBookingsBySite({ site: "lto-mantova", pageSize: 10, pageToken: "" }, token),
      ],
    ] as const;
    for (const [method, call] of calls) {
      const err = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, method).toBeInstanceOf(NotImplementedError);
      expect((err as Error).message).toMatch(new RegExp(`^${method} is not answered yet`));
    }
    await expect(client.getPath({ personId: "p-1" })).rejects.toBeInstanceOf(UnauthenticatedError);
  });
});
