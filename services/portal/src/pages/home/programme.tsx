// The programme office's home: the programme's figures, charted and tabled, filtered and exported.
import { useT } from "../../i18n/index.js";
import { Figures } from "../programme/figures.js";

export function ProgrammeHome() {
  const t = useT();
  return (
    <div data-role-home="programme">
      <h1 id="home-title">{t("programme.home.title")}</h1>
      <p className="lead">{t("programme.home.intro")}</p>
      <Figures />
    </div>
  );
}
