// Operators and their working plans: staff manage the operators of their sites; the programme office
// and admins read them all.
import { NotFoundError } from "@lto/errors";
import {
  createOperator,
  replaceExceptions,
  replacePlan,
  type Operator,
  type OperatorInput,
  type PlanException,
  type WorkingPlanEntry,
} from "../domain/index.js";
import { requireSiteReader, requireSitesStaff, type Viewer } from "./access.js";
import { checkVersion } from "./checks.js";
import type { Ports } from "./ports.js";
import { knownSite } from "./reference.js";

export function operatorView(o: Operator) {
  return {
    id: o.id,
    name: o.name,
    sites: o.sites,
    profiles: o.profiles,
    ...(o.email === undefined ? {} : { email: o.email }),
    plan: o.plan,
    exceptions: o.exceptions,
    ...(o.dailyCap === undefined ? {} : { dailyCap: o.dailyCap }),
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
    version: o.version,
  };
}

export function operatorUseCases({ operators, clock, ids }: Ports) {
  async function load(id: string): Promise<Operator> {
    const operator = await operators.get(id);
    if (!operator) throw new NotFoundError("operator", id);
    return operator;
  }

  async function change(viewer: Viewer, id: string, ifMatch: number, run: (o: Operator) => Operator) {
    const current = await load(id);
    requireSitesStaff(viewer, current.sites);
    checkVersion("operator", current.version, ifMatch);
    return operatorView(await operators.update(run(current)));
  }

  return {
    /** Staff of every site the operator works at (or an admin). */
    async create(viewer: Viewer, input: OperatorInput) {
      requireSitesStaff(viewer, input.sites);
      const operator = createOperator(input, ids.newId(), clock.now());
      await operators.insert(operator);
      return operatorView(operator);
    },

    async get(viewer: Viewer, id: string) {
      const operator = await load(id);
      requireSiteReader(viewer, operator.sites);
      return operatorView(operator);
    },

    async listBySite(viewer: Viewer, site: string, page: { cursor?: string; limit: number }) {
      // Who asks first (401, 403), then whether the site exists (404), as for every other read.
      requireSiteReader(viewer, [site]);
      knownSite(site);
      const found = await operators.listBySite(site, page);
      return { items: found.items.map(operatorView), nextCursor: found.nextCursor };
    },

    replacePlan: (
      viewer: Viewer,
      id: string,
      body: { plan: WorkingPlanEntry[]; dailyCap?: number },
      ifMatch: number,
    ) => change(viewer, id, ifMatch, (o) => replacePlan(o, body, clock.now())),

    replaceExceptions: (viewer: Viewer, id: string, exceptions: PlanException[], ifMatch: number) =>
      change(viewer, id, ifMatch, (o) => replaceExceptions(o, exceptions, clock.now())),
  };
}
