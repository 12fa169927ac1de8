// The notifications service as the platform's service host runs it: notices built from the other
// services' events, the gateway's accounts as its address book, the hold sweep, the mail sender and
// the HTTP API. It publishes no events and serves no gRPC.
import { mailOutbox } from "@lto/mail";
import { runMain, type ServiceDefinition } from "@lto/service-host";
import { routes } from "./api/http/routes.js";
import { createApp } from "./app/index.js";
import { loadNotificationsConfig, type NotificationsConfig } from "./config.js";
import { noticeMailer } from "./infra/mail.js";
import {
  accountRepository,
  holdRepository,
  noticeRepository,
  rosterRepository,
} from "./infra/repositories.js";
import { notificationsCollections } from "./infra/store.js";
import { subscriptions } from "./infra/subscriptions.js";

export const notificationsService: ServiceDefinition<NotificationsConfig> = {
  name: "notifications",
  config: loadNotificationsConfig,
  topics: [],
  compose({ config, store, clock, logger, onStop }) {
    const collections = notificationsCollections(store);
    const mail = mailOutbox(store, config, clock, { logger, everyMs: config.MAIL_SENDER_EVERY_MS });
    onStop(() => mail.close());
    const app = createApp(
      {
        notices: noticeRepository(collections.notices),
        accounts: accountRepository(collections.accounts),
        holds: holdRepository(collections.holds),
        rosters: rosterRepository(collections.rosters),
        mailer: noticeMailer(mail, config.PORTAL_URL),
        clock,
        settings: { holdNoticeHours: config.HOLD_NOTICE_HOURS, mailMaxAgeHours: config.MAIL_MAX_AGE_HOURS },
      },
      logger,
    );
    return {
      routes: routes(app),
      subscriptions: subscriptions(app),
      periodic: [
        mail.senderJob,
        { name: "hold-sweep", everyMs: config.HOLD_SWEEP_MS, run: () => app.events.sweepHolds() },
      ],
    };
  },
};

await runMain(notificationsService, import.meta.url);
