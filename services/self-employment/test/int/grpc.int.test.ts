// The gRPC SelfEmploymentService as other services call it: health, and a token needed. GetAvailability:
// availability.int.test.ts; GetPath: paths-grpc tests; ListBookingsBySite: bookings.int.test.ts.
import { selfEmploymentV1 } from "@lto/contracts";
import { UnauthenticatedError } from "@lto/errors";
import { checkHealth, createGrpcClient } from "@lto/grpc-kit";
import type { TestService } from "@lto/testkit/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callers, startSelfEmployment } from "./support.js";

let svc: TestService;
let client: ReturnType<typeof createGrpcClient<typeof selfEmploymentV1.SelfEmploymentServiceService>>;

beforeAll(async () => {
  svc = await startSelfEmployment();
  client = createGrpcClient(selfEmploymentV1.SelfEmploymentServiceClient, svc.grpcAddress, {
    deadlineMs: 5000,
  });
});
afterAll(async () => {
  client?.close();
  await svc?.close();
});

describe("SelfEmploymentService over gRPC", () => {
  it("serves grpc.health.v1", async () => {
    expect(await checkHealth(svc.grpcAddress)).toBe("SERVING");
  });

  it("needs a token; ListBookingsBySite answers staff of the site (bookings: bookings.int.test.ts)", async () => {
    const token = { token: await svc.auth.token(callers.staff) };
    expect(
      await client.listBookingsBySite({ site: "lto-mantova", pageSize: 10, pageToken: "" }, token),
    ).toEqual({
      bookings: [],
      nextPageToken: "",
    });
    await expect(
      client.listBookingsBySite({ site: "lto-mantova", pageSize: 10, pageToken: "" }),
    ).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(client.getPath({ personId: "p-1" })).rejects.toBeInstanceOf(UnauthenticatedError);
  });
});
