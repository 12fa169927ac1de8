// The administrator's home: what needs attention among the platform's accounts (invitations not yet
// accepted, disabled accounts, each linking to that list) and the way to find, manage and invite people.
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Card, CardBody, CardText, CardTitle, Col, Row } from "design-react-kit";
import { api, data } from "../../api/client.js";
import { useSession } from "../../auth/context.js";
import { Loading, ProblemAlert } from "../../components/feedback.js";
import { useT } from "../../i18n/index.js";

export function AdminHome() {
  const t = useT();
  const session = useSession();
  const counts = useQuery({
    queryKey: ["gateway", "counts"],
    queryFn: () => data(api.gateway.GET("/v1/accounts:count")),
  });
  const card = (
    id: string,
    title: string,
    count: number,
    hint: string,
    link: { label: string; status: "invited" | "disabled" | "active" },
  ) => (
    <Col md={4} className="mb-3">
      <Card rounded shadow="sm" border className="h-100" aria-labelledby={`${id}-title`}>
        <CardBody className="p-4">
          <CardTitle tag="h3" className="h5" id={`${id}-title`}>
            {title}
          </CardTitle>
          <p className="display-6 fw-bold mb-1" data-testid={id}>
            {count}
          </p>
          <CardText>{hint}</CardText>
          <Link to="/admin/accounts" search={{ status: link.status }}>
            {link.label}
          </Link>
        </CardBody>
      </Card>
    </Col>
  );
  return (
    <section aria-labelledby="home-title" data-role-home="admin">
      <h1 id="home-title">{t("home.role.title", { role: t("role.admin") })}</h1>
      <p className="lead">
        {t("admin.home.intro", { name: session?.claims.name ?? session?.claims.sub ?? "" })}
      </p>
      <h2 className="h4 mt-4">{t("admin.home.counts")}</h2>
      {counts.isPending && <Loading />}
      {counts.isError && <ProblemAlert error={counts.error} onRetry={() => void counts.refetch()} />}
      {counts.isSuccess && (
        <Row>
          {card("count-invited", t("admin.home.invited"), counts.data.invited, t("admin.home.invitedHint"), {
            label: t("admin.home.showInvited"),
            status: "invited",
          })}
          {card(
            "count-disabled",
            t("admin.home.disabled"),
            counts.data.disabled,
            t("admin.home.disabledHint"),
            {
              label: t("admin.home.showDisabled"),
              status: "disabled",
            },
          )}
          {card("count-active", t("admin.home.active"), counts.data.active, t("admin.home.activeHint"), {
            label: t("admin.home.showActive"),
            status: "active",
          })}
        </Row>
      )}
      <nav aria-labelledby="admin-todo" className="mt-4">
        <h2 id="admin-todo" className="h4">
          {t("admin.home.todo")}
        </h2>
        <ul className="list-inline">
          <li className="list-inline-item me-4">
            <Link to="/admin/accounts" className="btn btn-primary">
              {t("admin.home.accounts")}
            </Link>
          </li>
          <li className="list-inline-item">
            <Link to="/admin/invite" className="btn btn-outline-primary">
              {t("admin.home.invite")}
            </Link>
          </li>
        </ul>
      </nav>
    </section>
  );
}
