// Inviting a school referent, a verified company's user or an adult learner by a one-time link (the
// form is shared with the administrators' invitation page).
import { InviteForm } from "../../components/invite-form.js";
import { useT } from "../../i18n/index.js";

const INVITED_ROLES = ["school", "company", "learner"] as const;

export function StaffInvitePage() {
  const t = useT();
  return (
    <InviteForm
      roles={INVITED_ROLES}
      title={t("staffreview.invite.title")}
      intro={t("staffreview.invite.intro")}
      roleLabel={(r) => t(`staffreview.invite.role.${r}`)}
      organisationLabel={(r) => t(`staffreview.invite.organisation.${r}`)}
    />
  );
}
