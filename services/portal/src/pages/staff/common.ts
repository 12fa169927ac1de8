// What the staff pages share: the site they work on, the service types' names, idempotency keys.
import { useQuery } from "@tanstack/react-query";
import { api, data } from "../../api/client.js";
import { useSession } from "../../auth/context.js";

/** The staff member's sites (from the token); the first one is the default. */
export function useStaffSites(): string[] {
  return useSession()?.claims.sites ?? [];
}

export function useServiceTypes() {
  return useQuery({
    queryKey: ["self-employment", "service-types"],
    queryFn: () => data(api.selfEmployment.GET("/v1/service-types")),
    staleTime: 3_600_000,
  });
}

export function useServiceName() {
  const types = useServiceTypes().data?.items;
  return (code: string) => types?.find((t) => t.code === code)?.nameIt ?? code;
}

export const newKey = () => crypto.randomUUID();

/** The site as the self-employment service's reference data has it (name, rooms and labs). */
function useSite(site: string) {
  return useQuery({
    queryKey: ["self-employment", "site", site],
    queryFn: () => data(api.selfEmployment.GET("/v1/sites/{siteId}", { params: { path: { siteId: site } } })),
    enabled: site !== "",
    staleTime: 3_600_000,
  });
}

/** The site's name ("LTO Mantova") once known; its id meanwhile. */
export function useSiteName(site: string): string {
  return useSite(site).data?.name ?? site;
}

/** A room or lab of the site by its name ("FabLab"), once the site is read; its id meanwhile. */
export function useRoomName(site: string) {
  const rooms = useSite(site).data?.rooms;
  return (roomId: string) => rooms?.find((r) => r.id === roomId)?.name ?? roomId;
}

/** The names of the site's persons (the first 100), for the calendar; their short id otherwise. */
export function usePersonNames(site: string) {
  const query = useQuery({
    queryKey: ["self-employment", "persons", site, "names"],
    queryFn: () =>
      data(
        api.selfEmployment.GET("/v1/sites/{siteId}/persons", {
          params: { path: { siteId: site }, query: { limit: 100 } },
        }),
      ),
    enabled: site !== "",
  });
  return (id: string) => {
    const person = query.data?.items.find((p) => p.id === id);
    return person?.givenName ? `${person.givenName} ${person.familyName ?? ""}`.trim() : id.slice(0, 8);
  };
}
