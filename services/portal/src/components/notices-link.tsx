// The header's link to my notices with how many I have not read (signed-in people only). It asks again
// every minute and whenever a notice is marked read.
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { api, data } from "../api/client.js";
import { useSession } from "../auth/context.js";
import { useT } from "../i18n/index.js";

export function NoticesLink() {
  const t = useT();
  const session = useSession();
  const count = useQuery({
    queryKey: ["notifications", "unread-count", session?.claims.sub],
    queryFn: () => data(api.notifications.GET("/v1/notifications/unread-count")),
    enabled: session !== undefined,
    refetchInterval: 60_000,
  });
  if (!session) return null;
  const unread = count.data?.unread ?? 0;
  return (
    <Link to="/notices" className="btn btn-sm btn-on-dark me-2 text-nowrap" data-testid="notices-link">
      {t("notices.nav")}
      {unread > 0 && (
        <>
          {" "}
          <span className="badge bg-white text-primary">{unread}</span>
          <span className="visually-hidden"> {t("notices.unread")}</span>
        </>
      )}
    </Link>
  );
}
