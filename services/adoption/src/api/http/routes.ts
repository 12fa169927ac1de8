// The REST API under /v1. Handlers only translate HTTP to use cases; rules live in app and domain.
import {
  pageOf,
  problemResponses as problems,
  problemSchema,
  versionedResult as ok,
  writeProblemResponses as writeProblems,
  type ApiRouter,
  type HandlerResult,
} from "@lto/http-kit";
import type { Stored, UseCases } from "../../app/index.js";
import { progressPercent } from "../../contract/index.js";
import { progress, type Adoption } from "../../domain/index.js";
import * as s from "./schemas.js";

function created(body: { id: string }, path: string): HandlerResult {
  return { ...ok(body, 201), headers: { location: `/v1/${path}/${body.id}` } };
}
function present(a: Stored<Adoption>) {
  return { ...a, progress: { ...progress(a), percent: progressPercent(a) } };
}
const pageArgs = (q: { limit: number; cursor?: string | undefined }) => ({
  limit: q.limit,
  ...(q.cursor ? { cursor: q.cursor } : {}),
});

export function routes(uc: UseCases) {
  return (api: ApiRouter) => {
    // --- companies ---
    api.route({
      method: "post",
      path: "/v1/companies",
      summary: "Register your company (company users; the company is your organisation)",
      tags: ["companies"],
      auth: "required",
      idempotent: true,
      request: { body: s.companyBody },
      responses: { 201: { description: "Registered", schema: s.companyResponse }, ...writeProblems },
      handler: async ({ identity, body }) =>
        created(await uc.companies.register(identity, body), "companies"),
    });
    api.route({
      method: "get",
      path: "/v1/companies",
      summary: "List companies (everyone: verified ones; staff and programme office: any status)",
      tags: ["companies"],
      auth: "required",
      request: { query: s.companyQuery },
      responses: { 200: { description: "Companies", schema: pageOf(s.companyResponse) }, ...problems },
      handler: async ({ identity, query }) =>
        ok(await uc.companies.list(identity, { status: query.status, area: query.area }, pageArgs(query))),
    });
    api.route({
      method: "get",
      path: "/v1/companies/{id}",
      summary: "Read a company",
      tags: ["companies"],
      auth: "required",
      request: { params: s.idParams },
      responses: { 200: { description: "The company", schema: s.companyResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await uc.companies.get(identity, params.id)),
    });
    api.route({
      method: "patch",
      path: "/v1/companies/{id}",
      summary: "Change your company's ATECO code, areas, district or contact person",
      tags: ["companies"],
      auth: "required",
      ifMatch: "required",
      request: { params: s.idParams, body: s.companyPatch },
      responses: { 200: { description: "Changed", schema: s.companyResponse }, ...writeProblems },
      handler: async ({ identity, params, body, requireIfMatch }) =>
        ok(await uc.companies.update(identity, params.id, body, requireIfMatch())),
    });
    api.route({
      method: "post",
      path: "/v1/companies/{id}/verification",
      summary: "Verify a registered company (LTO staff)",
      tags: ["companies"],
      auth: "required",
      ifMatch: "optional",
      request: { params: s.idParams },
      responses: { 200: { description: "Verified", schema: s.companyResponse }, ...writeProblems },
      handler: async ({ identity, params, ifMatch }) =>
        ok(await uc.companies.verify(identity, params.id, ifMatch)),
    });

    // --- browsing published ideas (local projection) ---
    api.route({
      method: "get",
      path: "/v1/ideas",
      summary: "Browse published ideas open to adoption, newest first",
      tags: ["ideas"],
      auth: "required",
      request: { query: s.browseQuery },
      responses: { 200: { description: "Ideas", schema: pageOf(s.ideaResponse) }, ...problems },
      handler: async ({ identity, query }) => {
        const { limit: _l, cursor: _c, ...filter } = query;
        return ok(await uc.market.browse(identity, filter, pageArgs(query)));
      },
    });
    api.route({
      method: "get",
      path: "/v1/ideas/{ideaId}",
      summary: "Read a published idea",
      tags: ["ideas"],
      auth: "required",
      request: { params: s.ideaParams },
      responses: { 200: { description: "The idea", schema: s.ideaResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await uc.market.getIdea(identity, params.ideaId)),
    });

    // --- holds ---
    api.route({
      method: "post",
      path: "/v1/ideas/{ideaId}/holds",
      summary: "Hold an idea exclusively for up to 7 days while you prepare an offer (verified companies)",
      tags: ["holds"],
      auth: "required",
      idempotent: true,
      request: { params: s.ideaParams, body: s.holdBody },
      responses: { 201: { description: "Held", schema: s.holdResponse }, ...writeProblems },
      handler: async ({ identity, params, body }) =>
        created(await uc.market.placeHold(identity, params.ideaId, body.hours), "holds"),
    });
    api.route({
      method: "get",
      path: "/v1/holds",
      summary: "List holds (a company its own, a school those on its ideas, staff all)",
      tags: ["holds"],
      auth: "required",
      request: { query: s.holdQuery },
      responses: { 200: { description: "Holds", schema: pageOf(s.holdResponse) }, ...problems },
      handler: async ({ identity, query }) =>
        ok(
          await uc.market.listHolds(
            identity,
            { ideaId: query.ideaId, active: query.active },
            pageArgs(query),
          ),
        ),
    });
    api.route({
      method: "get",
      path: "/v1/holds/{id}",
      summary: "Read a hold",
      tags: ["holds"],
      auth: "required",
      request: { params: s.idParams },
      responses: { 200: { description: "The hold", schema: s.holdResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await uc.market.getHold(identity, params.id)),
    });
    api.route({
      method: "post",
      path: "/v1/holds/{id}/release",
      summary: "Release your hold before it expires",
      tags: ["holds"],
      auth: "required",
      request: { params: s.idParams },
      responses: { 200: { description: "Released", schema: s.holdResponse }, ...writeProblems },
      handler: async ({ identity, params }) => ok(await uc.market.releaseHold(identity, params.id)),
    });

    // --- offers ---
    api.route({
      method: "post",
      path: "/v1/ideas/{ideaId}/offers",
      summary: "Offer to adopt an idea with concrete commitments (verified companies)",
      tags: ["offers"],
      auth: "required",
      idempotent: true,
      request: { params: s.ideaParams, body: s.offerBody },
      responses: { 201: { description: "Offered", schema: s.offerResponse }, ...writeProblems },
      handler: async ({ identity, params, body }) =>
        created(await uc.market.makeOffer(identity, params.ideaId, body), "offers"),
    });
    api.route({
      method: "get",
      path: "/v1/offers",
      summary: "List offers (a company its own, a school those on its ideas, staff all)",
      tags: ["offers"],
      auth: "required",
      request: { query: s.offerQuery },
      responses: { 200: { description: "Offers", schema: pageOf(s.offerResponse) }, ...problems },
      handler: async ({ identity, query }) =>
        ok(
          await uc.market.listOffers(
            identity,
            { ideaId: query.ideaId, status: query.status },
            pageArgs(query),
          ),
        ),
    });
    api.route({
      method: "get",
      path: "/v1/offers/{id}",
      summary: "Read an offer",
      tags: ["offers"],
      auth: "required",
      request: { params: s.idParams },
      responses: { 200: { description: "The offer", schema: s.offerResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await uc.market.getOffer(identity, params.id)),
    });
    api.route({
      method: "post",
      path: "/v1/offers/{id}/accept",
      summary:
        "Accept an offer (the idea's school): creates the adoption, declines every other offer and hold",
      tags: ["offers"],
      auth: "required",
      request: { params: s.idParams },
      responses: {
        201: { description: "Adopted", schema: s.adoptionResponse },
        ...writeProblems,
        503: {
          description: "The ideas service could not confirm in time; nothing stored, retry",
          schema: problemSchema,
        },
      },
      handler: async ({ identity, params }) =>
        created(present(await uc.market.accept(identity, params.id)), "adoptions"),
    });
    api.route({
      method: "post",
      path: "/v1/offers/{id}/decline",
      summary: "Decline an offer (the idea's school)",
      tags: ["offers"],
      auth: "required",
      request: { params: s.idParams, body: s.offerReasonBody },
      responses: { 200: { description: "Declined", schema: s.offerResponse }, ...writeProblems },
      handler: async ({ identity, params, body }) =>
        ok(await uc.market.declineOffer(identity, params.id, body.reason)),
    });
    api.route({
      method: "post",
      path: "/v1/offers/{id}/withdraw",
      summary: "Withdraw your open offer (the company)",
      tags: ["offers"],
      auth: "required",
      request: { params: s.idParams, body: s.offerReasonBody },
      responses: { 200: { description: "Withdrawn", schema: s.offerResponse }, ...writeProblems },
      handler: async ({ identity, params, body }) =>
        ok(await uc.market.withdrawOffer(identity, params.id, body.reason)),
    });

    // --- adoptions and commitments ---
    api.route({
      method: "get",
      path: "/v1/adoptions",
      summary: "List adoptions (a company its own, a school its ideas', staff and programme office all)",
      tags: ["adoptions"],
      auth: "required",
      request: { query: s.adoptionQuery },
      responses: { 200: { description: "Adoptions", schema: pageOf(s.adoptionResponse) }, ...problems },
      handler: async ({ identity, query }) => {
        const page = await uc.adoptions.list(
          identity,
          { ideaId: query.ideaId, companyId: query.companyId, status: query.status },
          pageArgs(query),
        );
        return ok({ ...page, items: page.items.map(present) });
      },
    });
    api.route({
      method: "get",
      path: "/v1/adoptions/{id}",
      summary: "Read an adoption with its progress against the promise",
      tags: ["adoptions"],
      auth: "required",
      request: { params: s.idParams },
      responses: { 200: { description: "The adoption", schema: s.adoptionResponse }, ...problems },
      handler: async ({ identity, params }) => ok(present(await uc.adoptions.get(identity, params.id))),
    });
    api.route({
      method: "post",
      path: "/v1/adoptions/{id}/records",
      summary:
        "Log a delivery: kick-off, mentoring session, internship start, funding, equipment (the company)",
      tags: ["adoptions"],
      auth: "required",
      ifMatch: "required",
      request: { params: s.idParams, body: s.recordBody },
      responses: { 201: { description: "Logged", schema: s.adoptionResponse }, ...writeProblems },
      handler: async ({ identity, params, body, requireIfMatch }) =>
        ok(present(await uc.adoptions.log(identity, params.id, body, requireIfMatch())), 201),
    });
    api.route({
      method: "post",
      path: "/v1/adoptions/{id}/records/{recordId}/end",
      summary: "Log the end of an internship with its hours (the company)",
      tags: ["adoptions"],
      auth: "required",
      ifMatch: "required",
      request: { params: s.recordParams, body: s.internshipEndBody },
      responses: { 200: { description: "Logged", schema: s.adoptionResponse }, ...writeProblems },
      handler: async ({ identity, params, body, requireIfMatch }) =>
        ok(
          present(
            await uc.adoptions.endInternship(
              identity,
              params.id,
              params.recordId,
              body.endedOn,
              body.hours,
              requireIfMatch(),
            ),
          ),
        ),
    });
    api.route({
      method: "post",
      path: "/v1/adoptions/{id}/records/{recordId}/confirm",
      summary:
        "Confirm a logged delivery (the school); the adoption completes when every promise is confirmed",
      tags: ["adoptions"],
      auth: "required",
      ifMatch: "required",
      request: { params: s.recordParams },
      responses: { 200: { description: "Confirmed", schema: s.adoptionResponse }, ...writeProblems },
      handler: async ({ identity, params, requireIfMatch }) =>
        ok(present(await uc.adoptions.confirm(identity, params.id, params.recordId, requireIfMatch()))),
    });
    api.route({
      method: "post",
      path: "/v1/adoptions/{id}/records/{recordId}/dispute",
      summary: "Dispute a logged delivery (the school)",
      tags: ["adoptions"],
      auth: "required",
      ifMatch: "required",
      request: { params: s.recordParams, body: s.reasonBody },
      responses: { 200: { description: "Disputed", schema: s.adoptionResponse }, ...writeProblems },
      handler: async ({ identity, params, body, requireIfMatch }) =>
        ok(
          present(
            await uc.adoptions.dispute(identity, params.id, params.recordId, body.reason, requireIfMatch()),
          ),
        ),
    });
    api.route({
      method: "get",
      path: "/v1/adoptions/{id}/pcto",
      summary: "PCTO hours per student pseudonym, from confirmed mentoring and internships",
      tags: ["adoptions"],
      auth: "required",
      request: { params: s.idParams },
      responses: { 200: { description: "PCTO report", schema: s.pctoResponse }, ...problems },
      handler: async ({ identity, params }) => ok(await uc.adoptions.pcto(identity, params.id)),
    });
    api.route({
      method: "post",
      path: "/v1/adoptions/{id}/end",
      summary: "End the adoption early, with a reason (the company or the school)",
      tags: ["adoptions"],
      auth: "required",
      ifMatch: "required",
      request: { params: s.idParams, body: s.reasonBody },
      responses: { 200: { description: "Ended", schema: s.adoptionResponse }, ...writeProblems },
      handler: async ({ identity, params, body, requireIfMatch }) =>
        ok(present(await uc.adoptions.end(identity, params.id, body.reason, requireIfMatch()))),
    });
  };
}
