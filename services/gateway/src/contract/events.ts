// The gateway's account events as the protobuf events of lto.gateway.events.v1, keyed by subject.
import { AccountActivatedEvent, AccountDisabledEvent } from "@lto/contracts";
import { pendingEvent, type PendingEvent } from "@lto/messaging";
import type { AccountEvent } from "../domain/index.js";

export function accountPendingEvents(events: readonly AccountEvent[], version: number): PendingEvent[] {
  return events.map((event) => {
    const { account, at, by } = event;
    const common = { subject: account.id, occurredAt: at.toISOString(), actorSubject: by, version };
    if (event.type === "AccountActivated") {
      return pendingEvent(
        AccountActivatedEvent,
        account.id,
        AccountActivatedEvent.create({
          ...common,
          role: account.role,
          organisationId: account.organisationId,
          sites: account.sites,
          email: account.email,
          displayName: account.displayName,
          locale: account.locale,
        }),
        { time: at },
      );
    }
    return pendingEvent(
      AccountDisabledEvent,
      account.id,
      AccountDisabledEvent.create({ ...common, reason: event.reason }),
      { time: at },
    );
  });
}
