import { PreconditionFailedError } from "@lto/errors";

export function checkVersion(entity: string, current: number, ifMatch: number | undefined): void {
  if (ifMatch !== undefined && ifMatch !== current) {
    throw new PreconditionFailedError(
      `The ${entity} changed since you read it (version ${current}, you sent ${ifMatch}); reload and retry`,
    );
  }
}
