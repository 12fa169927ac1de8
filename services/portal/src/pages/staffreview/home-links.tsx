// The block on the staff's home leading to the review pages.
import { Link } from "@tanstack/react-router";
import { useT } from "../../i18n/index.js";

export function StaffReviewLinks() {
  const t = useT();
  return (
    <nav aria-labelledby="staffreview-home-title" className="mt-4">
      <h2 id="staffreview-home-title" className="h4">
        {t("staffreview.home.title")}
      </h2>
      <ul className="list-inline">
        <li className="list-inline-item me-4">
          <Link to="/staff/review">{t("staffreview.home.ideas")}</Link>
        </li>
        <li className="list-inline-item me-4">
          <Link to="/staff/companies">{t("staffreview.home.companies")}</Link>
        </li>
        <li className="list-inline-item">
          <Link to="/staff/invite">{t("staffreview.home.invite")}</Link>
        </li>
      </ul>
    </nav>
  );
}
