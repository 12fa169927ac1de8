// Attendance registers, completions, issued credentials, the issuer's key and status lists on the
// service's store, and the roster read from the enrolments the seat ledger keeps.
import { ConflictError, PreconditionFailedError } from "@lto/errors";
import type { AggregateStore } from "@lto/store";
import type {
  AttendanceRepository,
  CompletionRepository,
  CredentialIssuer,
  CredentialRepository,
  PassportReadLog,
  Roster,
} from "../app/index.js";
import { buildStatusListCredential, type IssuerInput } from "../domain/credential.js";
import { takeStatusIndex } from "../domain/index.js";
import {
  attendancePendingEvents,
  completionPendingEvents,
  credentialPendingEvents,
} from "../contract/index.js";
import {
  attestatoInputFrom,
  decodeStatusList,
  encodeStatusList,
  generateIssuerJwk,
  getStatus,
  issuerKeysFromJwk,
  jwksDocument,
  newStatusList,
  parseIssuerJwk,
  renderAttestato,
  setStatus,
  signCredential,
  statusLookup,
  verifyCredential,
  type IssuerKeys,
} from "./credentials/index.js";
import type { CatalogueCollections, StatusListDocument } from "./store.js";

/** How many times a write that lost a version race is tried again on a fresh copy. */
const RETRIES = 20;

/** The enrolments the seat ledger writes: only what the roster reads. */
interface EnrolmentDocument {
  id: string;
  sessionId: string;
  personId: string;
  status: string;
  version: number;
}

export function enrolmentRoster(store: AggregateStore): Roster {
  return {
    async confirmedLearners(sessionId) {
      // Looked up when asked, so the enrolments module's own registration (with its indexes) is the one used.
      const enrolments = store.aggregates<EnrolmentDocument>({ name: "enrolments", entity: "enrolment" });
      const confirmed = await enrolments.find({ sessionId, status: "confirmed" }, 5000, { _id: 1 });
      return confirmed.map((e) => ({ personId: e.personId, enrolmentId: e.id }));
    },
  };
}

export function attendanceRepository(collection: CatalogueCollections["attendance"]): AttendanceRepository {
  return {
    get: (sessionId, meetingId) => collection.get(`${sessionId}:${meetingId}`),
    listForSession: (sessionId) => collection.find({ sessionId }, 500, { _id: 1 }),
    listNaming: (personId) => collection.find({ "entries.personId": personId }, 5000),
    async save(register, events) {
      if (register.version === 0) {
        const created = { ...register, version: 1 };
        if (!(await collection.insert(created, { events: attendancePendingEvents(events, 1) })))
          throw new ConflictError(
            "Someone else recorded attendance for this meeting at the same moment; reload the register and send it again",
          );
        return created;
      }
      return collection.update(register, register.version, {
        events: attendancePendingEvents(events, register.version + 1),
      });
    },
  };
}

export function completionRepository(collection: CatalogueCollections["completions"]): CompletionRepository {
  return {
    get: (sessionId) => collection.get(sessionId),
    insert: (record, events) => collection.insert(record, { events: completionPendingEvents(events, 1) }),
    update: (record) => collection.update(record, record.version),
    listNaming: (personId) => collection.find({ "outcomes.personId": personId }, 5000),
  };
}

export function credentialRepository(collection: CatalogueCollections["credentials"]): CredentialRepository {
  return {
    get: (id) => collection.get(id),
    listAllFor: (personId) => collection.find({ personId }, 5000),
    pageFor: (personId, page, activeOnly) =>
      collection.page({ personId, ...(activeOnly ? { revoked: false } : {}) }, page),
    insert: (credential, events) =>
      collection.insert(credential, { events: credentialPendingEvents(events, credential.version) }),
    update: (credential, events) =>
      collection.update(credential, credential.version, {
        events: credentialPendingEvents(events, credential.version + 1),
      }),
  };
}

export function passportReadLog(
  collection: CatalogueCollections["passportReads"],
  newId: () => string,
): PassportReadLog {
  return {
    async record(entry) {
      await collection.insert({ id: newId(), ...entry, version: 1 });
    },
    async eraseNaming(personId, tombstone) {
      for (const read of await collection.find({ personId }, 5000))
        await collection.update({ ...read, personId: tombstone }, read.version);
    },
  };
}

/**
 * The issuer's keys: from the ISSUER_JWK setting, or (outside production) the key the service generated
 * once and stored. Two instances starting together both try to store theirs; the unique insert lets one
 * win and the other reads it back, so there is only ever one key.
 */
export async function storedIssuerKeys(
  collection: CatalogueCollections["issuerKeys"],
  options: { jwksUrl: string; settingJwk?: string; now: () => Date },
): Promise<IssuerKeys> {
  if (options.settingJwk) return issuerKeysFromJwk(parseIssuerJwk(options.settingJwk), options);
  const existing = await collection.get("current");
  if (existing) return issuerKeysFromJwk(existing.jwk, options);
  const jwk = await generateIssuerJwk();
  const mine = { id: "current", jwk: jwk as Record<string, unknown>, createdAt: options.now(), version: 1 };
  if (await collection.insert(mine)) return issuerKeysFromJwk(jwk, options);
  return issuerKeysFromJwk((await collection.get("current"))!.jwk, options);
}

export function credentialIssuer(
  collections: Pick<CatalogueCollections, "issuerKeys" | "statusLists">,
  options: { publicBaseUrl: string; issuerName: string; issuerJwk?: string; now: () => Date },
): CredentialIssuer {
  const base = options.publicBaseUrl;
  const publicUrl = (path: string) => `${base}${path}`;
  const issuer: IssuerInput = { id: publicUrl("/v1/issuer"), name: options.issuerName, url: base };
  const listUrl = (listId: string) => publicUrl(`/v1/status-lists/${listId}`);
  const lists = collections.statusLists;

  let keys: Promise<IssuerKeys> | undefined;
  const issuerKeys = (): Promise<IssuerKeys> => {
    keys ??= storedIssuerKeys(collections.issuerKeys, {
      jwksUrl: publicUrl("/v1/issuer/jwks.json"),
      ...(options.issuerJwk ? { settingJwk: options.issuerJwk } : {}),
      now: options.now,
    }).catch((err: unknown) => {
      keys = undefined; // a store outage is not remembered: the next call tries again
      throw err;
    });
    return keys;
  };

  async function signedList(listId: string, encodedList: string, at: Date): Promise<string> {
    const doc = buildStatusListCredential({ listUrl: listUrl(listId), issuer, validFrom: at, encodedList });
    return signCredential(doc, await issuerKeys(), at);
  }

  async function listOrCreate(listId: string): Promise<StatusListDocument> {
    const existing = await lists.get(listId);
    if (existing) return existing;
    const now = options.now();
    const encodedList = encodeStatusList(newStatusList());
    const fresh: StatusListDocument = {
      id: listId,
      encodedList,
      nextIndex: 0,
      jwt: await signedList(listId, encodedList, now),
      updatedAt: now,
      version: 1,
    };
    return (await lists.insert(fresh)) ? fresh : (await lists.get(listId))!;
  }

  /** Applies `change` to a fresh copy of the list until its version check passes. */
  async function changeList<T>(
    listId: string,
    change: (list: StatusListDocument) => Promise<{ next: StatusListDocument; result: T } | undefined>,
  ): Promise<T | undefined> {
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      const list = await listOrCreate(listId);
      const step = await change(list);
      if (!step) return undefined;
      if (await lists.updateIf(step.next, list.version)) return step.result;
    }
    throw new PreconditionFailedError(
      "The status list is busy (many credentials at once); try again in a moment",
    );
  }

  return {
    issuer: () => issuer,
    publicUrl,
    jwks: async () => jwksDocument(await issuerKeys()),

    async allocateStatus() {
      // Lists are numbered from 1; a full one sends the next credential to the next list.
      for (let n = 1; ; n++) {
        const listId = String(n);
        const index = await changeList(listId, async (list) => {
          const taken = takeStatusIndex(list.nextIndex);
          return taken && { next: { ...list, nextIndex: taken.nextIndex }, result: taken.index };
        });
        if (index !== undefined) return { listId, listUrl: listUrl(listId), index };
      }
    },

    async revokeStatus(listId, index) {
      await changeList(listId, async (list) => {
        const bits = decodeStatusList(list.encodedList);
        if (getStatus(bits, index)) return undefined;
        setStatus(bits, index, true);
        const now = options.now();
        const encodedList = encodeStatusList(bits);
        return {
          next: { ...list, encodedList, jwt: await signedList(listId, encodedList, now), updatedAt: now },
          result: true,
        };
      });
    },

    statusListJwt: async (listId) => (await lists.get(listId))?.jwt,

    sign: async (credential, at) => signCredential(credential, await issuerKeys(), at),

    async verify(jwt, now) {
      const prefix = publicUrl("/v1/status-lists/");
      return verifyCredential(jwt, {
        issuerKeys: await issuerKeys(),
        issuerId: issuer.id,
        now,
        statusOf: statusLookup(async (url) => {
          if (!url.startsWith(prefix)) return undefined;
          const list = await lists.get(url.slice(prefix.length));
          return list ? decodeStatusList(list.encodedList) : undefined;
        }),
      });
    },

    attestatoPdf: (input, learnerName) =>
      renderAttestato(
        attestatoInputFrom(input, {
          verifyUrl: publicUrl(
            `/v1/credentials/verify?credential=${input.credentialId.replace(/^urn:uuid:/, "")}`,
          ),
          ...(learnerName === undefined ? {} : { learnerName }),
        }),
      ),
  };
}

export function credentialPorts(
  store: AggregateStore,
  collections: CatalogueCollections,
  options: {
    publicBaseUrl: string;
    issuerName: string;
    issuerJwk?: string;
    now: () => Date;
    newId: () => string;
  },
) {
  return {
    roster: enrolmentRoster(store),
    attendance: attendanceRepository(collections.attendance),
    completions: completionRepository(collections.completions),
    issuedCredentials: credentialRepository(collections.credentials),
    passportReads: passportReadLog(collections.passportReads, options.newId),
    issuer: credentialIssuer(collections, options),
  };
}
