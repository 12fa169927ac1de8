// A young person's home: what to do next first (a seat offered, with its deadline), then the catalogue,
// my enrolments, my bookings, my path and my credentials, each from the service that holds it.
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { useT, type MessageId } from "../../i18n/index.js";
import { MyCredentials } from "../learner/credentials.js";
import { MyEnrolments, SeatOffers } from "../learner/enrolments.js";
import { MyBookings, MyPath } from "../learner/self-employment.js";

function Part({ id, title, children }: { id: string; title: MessageId; children: ReactNode }) {
  const t = useT();
  return (
    <section aria-labelledby={id} className="mt-5">
      <h2 id={id} className="h3">
        {t(title)}
      </h2>
      {children}
    </section>
  );
}

export function LearnerHome({ name }: { name: string }) {
  const t = useT();
  return (
    <div data-role-home="learner">
      <h1 id="home-title">{t("learner.home.title", { name })}</h1>
      <SeatOffers />
      <Part id="learner-catalogue" title="learner.catalogue.title">
        <p>
          {t("learner.catalogue.intro")}{" "}
          <Link to="/courses" search={{ audience: "young_people" }}>
            {t("learner.catalogue.link")}
          </Link>
        </p>
      </Part>
      <Part id="learner-enrolments" title="learner.enrolments.title">
        <MyEnrolments />
      </Part>
      <Part id="learner-bookings" title="learner.bookings.title">
        <MyBookings />
      </Part>
      <Part id="learner-path" title="learner.path.title">
        <MyPath />
      </Part>
      <Part id="learner-credentials" title="learner.credentials.title">
        <MyCredentials />
      </Part>
    </div>
  );
}
