// The service's database on the platform's aggregate store: notices (per recipient, read per person),
// the address book, the watched holds and the course sessions' rosters. Indexes are plain and compound only (FerretDB).
import type { AggregateCollection, AggregateStore } from "@lto/store";
import type { Account, HoldWatch, Notice, Roster } from "../domain/index.js";

export interface NotificationsCollections {
  notices: AggregateCollection<Notice>;
  accounts: AggregateCollection<Account>;
  holds: AggregateCollection<HoldWatch>;
  rosters: AggregateCollection<Roster>;
}

export function notificationsCollections(store: AggregateStore): NotificationsCollections {
  return {
    notices: store.aggregates<Notice>({
      name: "notices",
      entity: "notification",
      indexes: [{ key: { recipientKey: 1, at: -1, _id: -1 } }],
      optional: ["deadline"],
    }),
    accounts: store.aggregates<Account>({
      name: "accounts",
      entity: "account",
      indexes: [{ key: { role: 1, organisationId: 1, active: 1 } }],
    }),
    holds: store.aggregates<HoldWatch>({
      name: "holds",
      entity: "hold",
      indexes: [{ key: { state: 1, noticeAt: 1 } }],
    }),
    rosters: store.aggregates<Roster>({ name: "rosters", entity: "session roster" }),
  };
}
