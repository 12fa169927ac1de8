// The staff home's way to the partner courses waiting for review at their sites.
import { Link } from "@tanstack/react-router";
import { useT } from "../../i18n/index.js";

export function PartnerReviewLink() {
  const t = useT();
  return (
    <p className="mt-2 mb-0">
      <Link to="/partner/review">{t("partner.review.link")}</Link>
    </p>
  );
}
