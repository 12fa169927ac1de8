// The home page: for a visitor, what the portal offers and the public pages; for a signed-in person,
// the home of their role (each one says what it will show until its wave builds it).
import { Link } from "@tanstack/react-router";
import {
  Callout,
  CalloutText,
  CalloutTitle,
  Card,
  CardBody,
  CardText,
  CardTitle,
  Col,
  Row,
} from "design-react-kit";
import { useSession } from "../auth/context.js";
import type { Role } from "../auth/session.js";
import { useT, type MessageId } from "../i18n/index.js";
import { CompanyHome } from "./home/company.js";
import { SchoolHome } from "./home/school.js";
import { StaffHome } from "./home/staff.js";
import { LearnerHome } from "./home/learner.js";
import { ProgrammeHome } from "./home/programme.js";
import { PartnerHome } from "./home/partner.js";
import { AdminHome } from "./home/admin.js";

const ROLE_HOME: Record<Role, MessageId> = {
  school: "home.school",
  company: "home.company",
  staff: "home.staff",
  learner: "home.learner",
  programme: "home.programme",
  admin: "home.admin",
  partner: "home.partner",
};

export function HomePage() {
  const t = useT();
  const session = useSession();
  if (session?.claims.role === "school") return <SchoolHome />;
  if (session?.claims.role === "company") return <CompanyHome />;
  if (session) {
    const { role } = session.claims;
    if (role === "staff") return <StaffHome />;
    if (role === "learner") return <LearnerHome name={session.claims.name ?? session.claims.sub} />;
    if (role === "programme") return <ProgrammeHome />;
    if (role === "partner") return <PartnerHome />;
    if (role === "admin") return <AdminHome />;
    return (
      <section aria-labelledby="home-title" data-role-home={role}>
        <h1 id="home-title">{t("home.role.title", { role: t(`role.${role}`) })}</h1>
        <Callout color="note">
          <CalloutTitle>{t("home.role.coming")}</CalloutTitle>
          <CalloutText>{t(ROLE_HOME[role])}</CalloutText>
        </Callout>
      </section>
    );
  }
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">{t("home.title")}</h1>
      <p className="lead">{t("home.intro")}</p>
      <p>
        {t("home.public")} {t("home.signInHint")}
      </p>
      <Row className="mt-4">
        <Col md={6} className="mb-3">
          <Card rounded shadow="sm" border className="h-100">
            <CardBody className="p-4">
              <CardTitle tag="h2" className="h4">
                <Link to="/courses">{t("catalogue.title")}</Link>
              </CardTitle>
              <CardText>{t("catalogue.intro")}</CardText>
            </CardBody>
          </Card>
        </Col>
        <Col md={6} className="mb-3">
          <Card rounded shadow="sm" border className="h-100">
            <CardBody className="p-4">
              <CardTitle tag="h2" className="h4">
                <Link to="/ideas">{t("ideas.title")}</Link>
              </CardTitle>
              <CardText>{t("ideas.intro")}</CardText>
            </CardBody>
          </Card>
        </Col>
      </Row>
    </section>
  );
}
