// What a refused domain call threw, typed, for the assertions on its reason and message.
import { InvalidStateError, ValidationError } from "@lto/errors";

function thrown<E extends Error>(type: new (...args: never[]) => E, what: string, run: () => unknown): E {
  try {
    run();
  } catch (err) {
    if (err instanceof type) return err;
    throw err;
  }
  throw new Error(`expected ${what}`);
}

/** The InvalidStateError (a 409) `run` throws. */
export const refusal = (run: () => unknown) => thrown(InvalidStateError, "a refusal", run);

/** The ValidationError (a 400) `run` throws. */
export const invalid = (run: () => unknown) => thrown(ValidationError, "a validation error", run);
