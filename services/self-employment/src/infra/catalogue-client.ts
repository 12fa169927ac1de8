// The catalogue service over gRPC: a fresh CheckCredential with a deadline, never cached (a revoked
// credential stops counting at once). If the catalogue cannot answer in time the caller gets a
// retryable UnavailableError (503 with Retry-After) and nothing is decided blindly.
import { catalogueV1 } from "@lto/contracts";
import { callPeer, createGrpcClient } from "@lto/grpc-kit";
import type { CredentialCheck } from "../app/index.js";

export function catalogueCredentialCheck(
  address: string,
  deadlineMs = 2000,
): CredentialCheck & { close(): void } {
  // Made on first use: the demo seed composes the same ports and never asks the catalogue.
  let client: ReturnType<typeof createGrpcClient<typeof catalogueV1.CatalogueServiceService>> | undefined;
  return {
    async check(learnerSubject, requirement, token) {
      client ??= createGrpcClient(catalogueV1.CatalogueServiceClient, address, { deadlineMs });
      const c = client;
      const r = await callPeer(
        () =>
          c.checkCredential(
            {
              personId: learnerSubject,
              framework: requirement.framework,
              frameworkVersion: requirement.version,
              competence: requirement.competence,
              minimumLevel: requirement.minimumLevel,
            },
            { token },
          ),
        "The catalogue service did not answer whether the person holds the credential this item needs; nothing was decided, retry shortly",
      );
      return {
        satisfied: r.satisfied,
        ...(r.credentialId ? { credentialId: r.credentialId } : {}),
        ...(r.level ? { level: r.level } : {}),
      };
    },
    close: () => client?.close(),
  };
}
