import * as grpc from "@grpc/grpc-js";
import { service as healthServiceDefinition } from "grpc-health-check";

export type HealthStatus = "UNKNOWN" | "SERVING" | "NOT_SERVING" | "SERVICE_UNKNOWN";

const HealthClient = grpc.makeGenericClientConstructor(
  healthServiceDefinition as unknown as grpc.ServiceDefinition,
  "grpc.health.v1.Health",
);

/**
 * Asks a server's grpc.health.v1 Check for `service` ("" = the whole server). NOT_FOUND (service not
 * registered) answers "SERVICE_UNKNOWN"; a server that cannot be reached rejects.
 */
export function checkHealth(address: string, service = "", deadlineMs = 1000): Promise<HealthStatus> {
  const client = new HealthClient(address, grpc.credentials.createInsecure());
  return new Promise<HealthStatus>((resolve, reject) => {
    client.makeUnaryRequest(
      "/grpc.health.v1.Health/Check",
      (value: { service: string }) => Buffer.from(healthServiceDefinition.Check!.requestSerialize(value)),
      (buf: Buffer) => healthServiceDefinition.Check!.responseDeserialize(buf) as { status: HealthStatus },
      { service },
      new grpc.Metadata(),
      { deadline: Date.now() + deadlineMs },
      (err, res) => {
        client.close();
        if (err?.code === grpc.status.NOT_FOUND) resolve("SERVICE_UNKNOWN");
        else if (err) reject(err);
        else resolve(res?.status ?? "UNKNOWN");
      },
    );
  });
}
