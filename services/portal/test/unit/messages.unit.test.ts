// The portal's messages stay one set: every Italian id is shown somewhere (a page, a component), English
// has exactly the Italian ids, and an id built at run time (`enum.area.${area}`) is declared below,
// so a message left behind by a removed page fails here instead of lingering untranslated or unused.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it as test } from "vitest";
import { en } from "../../src/i18n/en.js";
import { it } from "../../src/i18n/it.js";

const SRC = fileURLToPath(new URL("../../src", import.meta.url));

/** Ids the pages build from a value (`t(\`enum.area.${area}\`)`): each must stand in src as such a template. */
const DYNAMIC_PREFIXES = [
  "admin.invite.organisation.",
  "admin.invite.role.",
  "admin.status.",
  "partner.session.state.",
  "partner.state.",
  "staffreview.invite.locale.",
  "company.kind.",
  "company.offerStatus.",
  "company.recordStatus.",
  "enum.area.",
  "enum.audience.",
  "enum.district.",
  "enum.mode.",
  "enum.site.",
  "enum.technology.",
  "learner.booking.",
  "learner.done.",
  "learner.history.",
  "learner.status.",
  "programme.col.",
  "programme.figure.",
  "role.",
  "school.adoptions.status.",
  "school.idea.",
  "school.ideas.missing.",
  "school.ideas.state.",
  "school.need.",
  "sessions.mark.",
  "staff.outcome.",
  "staff.status.",
  "staffreview.idea.state.",
  "staffreview.invite.organisation.",
  "staffreview.invite.role.",
  "staffreview.state.",
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "i18n" ? [] : sources(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [readFileSync(path, "utf8")] : [];
  });
}

const code = sources(SRC).join("\n");
/** Every `prefix.${` template in the code that looks like a message id's beginning. */
const templatePrefixes = new Set(
  [...code.matchAll(/`([a-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*\.)\$\{/g)].map((m) => m[1] ?? ""),
);

describe("the portal's messages", () => {
  test("every Italian id is used in src, literally or through a declared dynamic prefix", () => {
    const unused = Object.keys(it).filter(
      (id) =>
        !code.includes(`"${id}"`) &&
        !code.includes(`'${id}'`) &&
        !code.includes(`\`${id}\``) &&
        !DYNAMIC_PREFIXES.some((prefix) => id.startsWith(prefix)),
    );
    expect(unused, "ids no page shows: remove them from <area>.it.ts and <area>.en.ts").toEqual([]);
  });

  test("each declared dynamic prefix is built in src and names messages, and no undeclared one is", () => {
    for (const prefix of DYNAMIC_PREFIXES) {
      expect(templatePrefixes.has(prefix), `\`${prefix}\${…}\` in src`).toBe(true);
      expect(
        Object.keys(it).some((id) => id.startsWith(prefix)),
        `an id under ${prefix}`,
      ).toBe(true);
    }
    const messagePrefixes = [...templatePrefixes].filter((p) =>
      Object.keys(it).some((id) => id.startsWith(p)),
    );
    expect(messagePrefixes.filter((p) => !DYNAMIC_PREFIXES.includes(p))).toEqual([]);
  });

  test("English covers exactly the Italian ids, each with a text", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(it).sort());
    expect(Object.entries(en).filter(([, text]) => text.trim() === "")).toEqual([]);
  });
});
