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
