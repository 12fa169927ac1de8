// The design system for the gateway's own pages: bootstrap-italia's stylesheet and typefaces, the
// portal's version, from the installed package. The paths carry the version (and the font faces' a
// hash of their text), so browsers keep them for a year and an upgrade is a new address.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import express, { type Express } from "express";

export const ASSETS_PATH = "/signin-assets";

const manifest = createRequire(import.meta.url).resolve("bootstrap-italia/package.json");
const dist = join(dirname(manifest), "dist");
const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
const packagePath = `${ASSETS_PATH}/bootstrap-italia-${version}`;

// bootstrap-italia's CSS names Titillium Web but declares no @font-face (its JavaScript loader does):
// the weights the pages use, from the package's fonts, relative to this file's own path.
const fontFaces = (
  [
    [300, "300"],
    [400, "regular"],
    [600, "600"],
    [700, "700"],
  ] as const
)
  .map(
    ([weight, file]) =>
      `@font-face{font-family:"Titillium Web";font-style:normal;font-weight:${weight};font-display:swap;` +
      `src:url("bootstrap-italia-${version}/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-${file}.woff2") format("woff2")}`,
  )
  .join("\n");
const fontFacesPath = `${ASSETS_PATH}/fonts-${createHash("sha256").update(fontFaces).digest("hex").slice(0, 12)}.css`;

/** The stylesheets every page links, in order. */
export const STYLESHEETS = [`${packagePath}/css/bootstrap-italia.min.css`, fontFacesPath] as const;

const YEAR_S = 365 * 24 * 3600;

export function mountAssets(server: Express): void {
  const forever = { immutable: true, maxAge: YEAR_S * 1000, index: false, redirect: false } as const;
  server.use(`${packagePath}/css`, express.static(join(dist, "css"), forever));
  server.use(`${packagePath}/fonts`, express.static(join(dist, "fonts"), forever));
  server.get(fontFacesPath, (_req, res) => {
    res
      .set({
        "content-type": "text/css; charset=utf-8",
        "cache-control": `public, max-age=${YEAR_S}, immutable`,
      })
      .send(fontFaces);
  });
}
