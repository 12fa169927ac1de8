// Checks that what a service answered is what its live OpenAPI document promises for that operation:
// the status is documented (explicitly, not by `default`), the content type is the documented one and
// the body validates against the documented schema (ajv, with the document's components). And the probe
// sequence every service's conformance test runs over its operations.
import type { TokenClaims } from "@lto/auth";
import Ajv from "ajv";
import { expect } from "vitest";
import type { Client, Reply } from "./service.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = any;

export interface Answer {
  status: number;
  headers: Headers;
  /** The raw body text. */
  text: string;
}

export interface Operation {
  method: string;
  /** The documented path, e.g. "/v1/ideas/{ideaId}". */
  path: string;
  spec: any;
}

const METHODS = ["get", "post", "put", "patch", "delete"];

/** Every operation of the document, in document order. */
export function operations(doc: Doc): Operation[] {
  return Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({
      method: method.toUpperCase(),
      path,
      spec: item[method],
    })),
  );
}

export function conformance(doc: Doc) {
  const ajv = new Ajv({ allErrors: true, unknownFormats: "ignore" });
  ajv.addSchema({ components: doc.components }, "openapi");
  const compiled = new Map<string, Ajv.ValidateFunction>();
  const validator = (key: string, schema: unknown) => {
    let validate = compiled.get(key);
    if (!validate) {
      const rebased = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'),
      );
      validate = ajv.compile(rebased);
      compiled.set(key, validate);
    }
    return validate;
  };

  /** What is wrong with `answer` as an answer of `op`; empty when it conforms. */
  return function check(op: Operation, answer: Answer, what: string): string[] {
    const at = `${op.method} ${op.path} (${what}) -> ${answer.status}`;
    const documented = op.spec.responses?.[String(answer.status)];
    if (!documented)
      return [`${at}: status not documented (documented: ${Object.keys(op.spec.responses).join(", ")})`];
    const contentType = (answer.headers.get("content-type") ?? "").split(";")[0]!.trim();
    const content = documented.content as Record<string, { schema?: unknown }> | undefined;
    if (!content || Object.keys(content).length === 0) {
      return answer.text === "" ? [] : [`${at}: a body was sent where none is documented`];
    }
    const media = content[contentType];
    if (!media)
      return [`${at}: content-type ${contentType || "none"}, documented ${Object.keys(content).join(", ")}`];
    if (!media.schema) return [];
    // A documented non-JSON body (a signed token, a PDF) is checked by its content type only.
    if (!/^application\/(.+\+)?json$/.test(contentType)) return [];
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      return [`${at}: the body is not JSON`];
    }
    const validate = validator(`${op.method} ${op.path} ${answer.status} ${contentType}`, media.schema);
    if (validate(body)) return [];
    return [
      `${at}: body does not match the schema: ${ajv.errorsText(validate.errors)}; body ${answer.text.slice(0, 300)}`,
    ];
  };
}

/** One request of a probe: a path (default the operation's, its parameters filled), a caller, a body. */
export interface Probe {
  path?: string;
  as?: TokenClaims;
  body?: unknown;
  /** Sent as it is instead of `body` (a body that is not JSON). */
  raw?: string;
  headers?: Record<string, string>;
}

export interface ProbeOperationsOptions {
  /** The live document (GET /openapi.json). */
  doc: Doc;
  /** A client per caller (a started service's `as`). */
  as(caller?: TokenClaims): Client;
  /**
   * A request each operation should accept, keyed "METHOD /documented/path", on a resource in the state
   * it needs; called again for each request that must be fresh (idempotency probes).
   */
  valid: Record<string, () => Promise<Probe>>;
  /** A caller no operation serves (its answers must still be documented ones). */
  wrongRole: TokenClaims;
  /** Path parameter values where `valid` gives no path (missing ones read "unknown"). */
  ids?: Record<string, string>;
}

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "unknown");

/**
 * Sends every operation of the document unauthenticated, with the wrong role, with invalid input and
 * with a valid request (and, where they apply, a body that is not JSON, a stale or missing If-Match, a
 * reused Idempotency-Key). Asserts the statuses the platform promises (401, 400, 415, 428, 2xx) and
 * returns how each answer breaks the document (empty: every answer conforms).
 */
export async function probeOperations(opts: ProbeOperationsOptions): Promise<string[]> {
  const { doc, valid, wrongRole, ids = {} } = opts;
  const check = conformance(doc);
  const violations: string[] = [];
  const probe = async (op: Operation, what: string, path: string, p: Probe): Promise<Reply> => {
    const answer = await opts.as(p.as).request(op.method, path, {
      ...(p.raw !== undefined || p.body !== undefined ? { body: p.raw ?? p.body } : {}),
      ...(p.headers ? { headers: p.headers } : {}),
    });
    violations.push(...check(op, answer, what));
    return answer;
  };
  for (const op of operations(doc)) {
    const key = `${op.method} ${op.path}`;
    const make = valid[key];
    expect(make, `a valid request for ${key}`).toBeDefined();
    const path = fill(op.path, ids);
    const hasBody = op.spec.requestBody !== undefined;
    const secured = (op.spec.security ?? []).every((s: object) => Object.keys(s).length > 0);
    const good = await make!();
    const goodPath = good.path ?? path;

    const anonymous = await probe(op, "unauthenticated", goodPath, { body: good.body });
    if (secured) expect(anonymous.status, key).toBe(401);
    await probe(op, "wrong role", goodPath, {
      as: wrongRole,
      body: good.body,
      ...(good.headers ? { headers: good.headers } : {}),
    });
    const invalid = hasBody
      ? await probe(op, "invalid body", goodPath, { ...good, body: { unknownField: "\u0000" } })
      : op.path.includes("{")
        ? await probe(op, "invalid id", fill(op.path, {}).replace(/unknown/g, "x".repeat(300)), good)
        : await probe(op, "invalid query", `${path}?limit=0`, good);
    expect(invalid.status, `${key} invalid`).toBe(400);
    if (hasBody) {
      const form = await probe(op, "not JSON", goodPath, {
        ...good,
        raw: "a=b",
        headers: { ...good.headers, "content-type": "application/x-www-form-urlencoded" },
      });
      expect(form.status, `${key} not JSON`).toBe(415);
    }
    const ifMatch = op.spec.parameters?.find(
      (p: { in: string; name: string }) => p.in === "header" && p.name === "If-Match",
    );
    if (ifMatch) await probe(op, "stale If-Match", goodPath, { ...good, headers: { "if-match": '"999"' } });
    if (ifMatch?.required) {
      const missing = await probe(op, "no If-Match", goodPath, { ...good, headers: {} });
      expect(missing.status, `${key} without If-Match`).toBe(428);
    }
    const answer = await probe(op, "valid", goodPath, good);
    expect(answer.status, `${key} valid -> ${answer.text.slice(0, 300)}`).toBeLessThan(300);
    if (op.spec.parameters?.some((p: { name: string }) => p.name === "Idempotency-Key")) {
      const fresh = await make!();
      const key1 = { ...fresh.headers, "idempotency-key": `k-${Math.random()}` };
      await probe(op, "idempotent", fresh.path ?? path, { ...fresh, headers: key1 });
      await probe(op, "idempotent replay", fresh.path ?? path, { ...fresh, headers: key1 });
      // Another valid request with the same key: replayed if it is the same, else 422.
      const other = await make!();
      await probe(op, "key reused", other.path ?? path, { ...other, headers: key1 });
    }
  }
  return violations;
}
