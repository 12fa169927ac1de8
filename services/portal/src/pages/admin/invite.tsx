// An administrator invites a person of any role (staff with the sites they work at): the staff's
// invitation form, with every role.
import { InviteForm } from "../../components/invite-form.js";
import { useT } from "../../i18n/index.js";

const ADMIN_INVITED_ROLES = [
  "school",
  "company",
  "learner",
  "partner",
  "staff",
  "programme",
  "admin",
] as const;

export function AdminInvitePage() {
  const t = useT();
  return (
    <InviteForm
      roles={ADMIN_INVITED_ROLES}
      title={t("admin.invite.title")}
      intro={t("admin.invite.intro")}
      roleLabel={(r) => t(`admin.invite.role.${r}`)}
      organisationLabel={(r) => t(`admin.invite.organisation.${r}`)}
      sites={{ label: t("admin.invite.sites"), help: t("admin.invite.sitesHelp") }}
    />
  );
}
