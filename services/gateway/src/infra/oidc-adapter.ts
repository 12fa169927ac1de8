// The provider's storage on the gateway's store: one collection for every model (Session, Grant,
// AuthorizationCode, RefreshToken, Interaction...), found by id, uid, grant or account. Expired records
// are ignored when read and removed by a periodic sweep (the store has no TTL indexes).
import type { Adapter, AdapterPayload } from "oidc-provider";
import type { AggregateCollection } from "@lto/store";
import type { OidcRecord } from "./store.js";

/** Models that belong to an account and die with its sessions (revocation, disabling). */
const ACCOUNT_MODELS = ["Session", "Grant", "AuthorizationCode", "RefreshToken", "AccessToken"];

export function oidcAdapterFactory(records: AggregateCollection<OidcRecord>, now: () => Date) {
  const live = (record: OidcRecord | undefined): AdapterPayload | undefined => {
    if (!record) return undefined;
    if (record.expiresAt && record.expiresAt.getTime() <= now().getTime()) return undefined;
    return JSON.parse(record.payload) as AdapterPayload;
  };

  return (model: string): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        const record: OidcRecord = {
          id: key(id),
          version: 1,
          model,
          payload: JSON.stringify(payload),
          ...(expiresIn ? { expiresAt: new Date(now().getTime() + expiresIn * 1000) } : {}),
          ...(payload.uid ? { uid: payload.uid } : {}),
          ...(payload.grantId ? { grantId: payload.grantId } : {}),
          ...(payload.accountId ? { accountId: payload.accountId } : {}),
          ...(payload.userCode ? { userCode: payload.userCode } : {}),
        };
        for (;;) {
          if (await records.insert(record)) return;
          const current = await records.get(record.id);
          if (!current) continue;
          if (await records.updateIf({ ...record, version: current.version }, current.version)) return;
        }
      },
      async find(id) {
        return live(await records.get(key(id)));
      },
      async findByUid(uid) {
        return live(await records.findOne({ model, uid }));
      },
      async findByUserCode(userCode) {
        return live(await records.findOne({ model, userCode }));
      },
      async consume(id) {
        for (;;) {
          const current = await records.get(key(id));
          if (!current) return;
          const payload = {
            ...(JSON.parse(current.payload) as AdapterPayload),
            consumed: Math.floor(now().getTime() / 1000),
          };
          if (await records.updateIf({ ...current, payload: JSON.stringify(payload) }, current.version))
            return;
        }
      },
      async destroy(id) {
        await records.deleteMany({ _id: key(id) });
      },
      async revokeByGrantId(grantId) {
        await records.deleteMany({ grantId });
      },
    };
  };
}

/** Ends every session of `accountId` and removes its grants, codes and refresh tokens. */
export async function revokeAccountRecords(
  records: AggregateCollection<OidcRecord>,
  accountId: string,
): Promise<number> {
  const grants = await records.find({ model: "Grant", accountId });
  let removed = await records.deleteMany({ accountId, model: { $in: ACCOUNT_MODELS } });
  const grantIds = grants.map((g) => g.id.slice("Grant:".length));
  if (grantIds.length) removed += await records.deleteMany({ grantId: { $in: grantIds } });
  return removed;
}

/** Removes the records past their expiry. */
export function sweepExpired(records: AggregateCollection<OidcRecord>, now: () => Date): Promise<number> {
  return records.deleteMany({ expiresAt: { $lt: now() } });
}
