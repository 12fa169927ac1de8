// STAND-IN until the enrolment API lands: writes enrolment documents straight into the service's
// `enrolments` collection, through the same store registration the service reads them with, so the
// calendar tests can give a learner seats. After the merge, replace `enrol` with real enrolments
// through the public API (POST .../enrolments) and delete this file.
import { AggregateStore } from "@lto/store";
import type { TestService } from "@lto/testkit/service";

export interface EnrolmentStandIn {
  enrol(personId: string, sessionId: string, status: string): Promise<void>;
  close(): Promise<void>;
}

export async function enrolmentStandIn(svc: TestService): Promise<EnrolmentStandIn> {
  const store = await AggregateStore.open({ url: svc.mongoUrl, dbName: svc.dbName });
  // Only the fields a calendar reads: a bare registration of the service's `enrolments` collection.
  const enrolments = store.aggregates<{
    id: string;
    sessionId: string;
    personId: string;
    status: string;
    version: number;
  }>({ name: "enrolments" });
  let n = 0;
  return {
    async enrol(personId, sessionId, status) {
      const id = `stand-in-${sessionId}-${personId}-${++n}`;
      if (!(await enrolments.insert({ id, sessionId, personId, status, version: 1 })))
        throw new Error(`enrolment ${id} exists already`);
    },
    close: () => store.close(),
  };
}
