// The school referent's home: what to do next. Teams and their consents, ideas by state with what each
// still lacks, offers to accept or decline, delivered commitments to confirm, PCTO hours per student
// pseudonym, and course suggestions for its adopted teams (from the catalogue).
import { Link } from "@tanstack/react-router";
import { useSession } from "../../auth/context.js";
import { useT } from "../../i18n/index.js";
import { SchoolSuggestions } from "../sessions/suggestions.js";
import { SchoolAdoptions } from "../school/adoptions.js";
import { SchoolIdeas } from "../school/ideas.js";
import { SchoolOffers } from "../school/offers.js";
import { SchoolTeams } from "../school/teams.js";

export function SchoolHome() {
  const t = useT();
  const session = useSession();
  const schoolId = session?.claims.org ?? "";
  return (
    <section aria-labelledby="home-title" data-role-home="school">
      <h1 id="home-title">{t("school.home.title")}</h1>
      <p className="lead">{t("school.home.intro")}</p>
      <ul className="list-inline">
        <li className="list-inline-item">
          <Link to="/school/teams/new" className="btn btn-primary btn-sm mb-2">
            {t("school.teams.new")}
          </Link>
        </li>
        <li className="list-inline-item">
          <Link to="/school/ideas/new" className="btn btn-outline-primary btn-sm mb-2">
            {t("school.ideas.new")}
          </Link>
        </li>
      </ul>
      <SchoolOffers />
      <SchoolAdoptions />
      <SchoolIdeas schoolId={schoolId} />
      <SchoolTeams />
      <SchoolSuggestions />
    </section>
  );
}
