// The staff's own pages: booking a service for a young person, recording a delivery.
import { createRoute, type AnyRoute } from "@tanstack/react-router";
import { StaffBookPage } from "../../pages/staff/book.js";
import { StaffDeliveryPage } from "../../pages/staff/delivery.js";

export function staffRoutes<P extends AnyRoute>(parent: P) {
  const book = createRoute({
    getParentRoute: () => parent,
    path: "/staff/book",
    validateSearch: (search: Record<string, unknown>): { site?: string } =>
      typeof search.site === "string" ? { site: search.site } : {},
    component: function Book() {
      return <StaffBookPage site={(book.useSearch() as { site?: string }).site} />;
    },
  });
  const delivery = createRoute({
    getParentRoute: () => parent,
    path: "/staff/bookings/$bookingId/delivery",
    component: function Delivery() {
      return <StaffDeliveryPage bookingId={(delivery.useParams() as { bookingId: string }).bookingId} />;
    },
  });
  return [book, delivery] as const;
}
