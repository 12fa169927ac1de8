// Checks that what a service answered is what its live OpenAPI document promises for that operation:
// the status is documented (explicitly, not by `default`), the content type is the documented one and
// the body validates against the documented schema (ajv, with the document's components).
import Ajv from "ajv";

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
