// The administrators' pages: the accounts (list, one account) and inviting a person of any role.
import { createRoute, type AnyRoute } from "@tanstack/react-router";
import { AdminAccountPage } from "../../pages/admin/account.js";
import { accountFilters, AdminAccountsPage } from "../../pages/admin/accounts.js";
import { AdminInvitePage } from "../../pages/admin/invite.js";

export function adminRoutes<P extends AnyRoute>(parent: P) {
  const accounts = createRoute({
    getParentRoute: () => parent,
    path: "/admin/accounts",
    validateSearch: accountFilters,
    component: function Accounts() {
      return <AdminAccountsPage filters={accounts.useSearch() as ReturnType<typeof accountFilters>} />;
    },
  });
  const account = createRoute({
    getParentRoute: () => parent,
    path: "/admin/accounts/$subject",
    component: function Account() {
      return <AdminAccountPage subject={(account.useParams() as { subject: string }).subject} />;
    },
  });
  const invite = createRoute({
    getParentRoute: () => parent,
    path: "/admin/invite",
    component: AdminInvitePage,
  });
  return [accounts, account, invite] as const;
}
