/* global process, console -- run by node in the image build */
// Keeps, in an image's /app, only what services/<name> needs at run time. `npm ci --omit=dev -w
// services/<name>` also links the workspaces a service names as devDependencies (the test kit) and
// installs THEIR dependencies (testcontainers, vitest, ...). This walks the production dependencies from
// the service the way Node resolves them (node_modules of the package, then of each parent folder) and
// removes every installed package and workspace it never reaches. A package a service uses only for its
// files (the gateway serves bootstrap-italia's CSS and fonts) is listed in the service's package.json
// under "lto": { "filesOnly": [...] }: it stays, its own dependencies (its scripts') are not followed.
//   node prune-workspace.mjs services/<name>      (run in /app after npm ci)
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync, lstatSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

const root = process.cwd();
const start = process.argv[2];
if (!start || !existsSync(join(root, start, "package.json"))) {
  console.error(`usage: node prune-workspace.mjs services/<name> (no package.json at ${start})`);
  process.exit(1);
}

const manifest = (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

/** The folder `name` resolves to from package folder `from`, or undefined (an optional peer). */
function resolvePackage(from, name) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dir === root || dir === dirname(dir)) return undefined;
  }
}

const needed = new Set(); // real paths of the packages the service reaches
const queue = [realpathSync(join(root, start))];
const filesOnly = new Set();
for (const name of manifest(queue[0]).lto?.filesOnly ?? []) {
  const found = resolvePackage(queue[0], name);
  if (!found) throw new Error(`${start} lists ${name} under lto.filesOnly but it is not installed`);
  filesOnly.add(realpathSync(found));
}
while (queue.length > 0) {
  const dir = queue.pop();
  if (needed.has(dir)) continue;
  needed.add(dir);
  if (filesOnly.has(dir)) continue;
  const m = manifest(dir);
  const names = [
    ...Object.keys(m.dependencies ?? {}),
    ...Object.keys(m.optionalDependencies ?? {}),
    ...Object.keys(m.peerDependencies ?? {}),
  ];
  for (const name of names) {
    const found = resolvePackage(dir, name);
    // An optional dependency of another platform (esbuild's, for one) is simply absent.
    if (found) queue.push(realpathSync(found));
  }
}

const isNeeded = (path) => {
  const real = realpathSync(path);
  for (const dir of needed) if (real === dir || real.startsWith(dir + sep)) return true;
  return false;
};
// A folder under node_modules is a package, a scope (@x) or npm's bookkeeping (.bin, .package-lock.json).
function pruneNodeModules(nodeModules) {
  if (!existsSync(nodeModules)) return;
  for (const entry of readdirSync(nodeModules)) {
    const path = join(nodeModules, entry);
    if (entry.startsWith(".")) {
      rmSync(path, { recursive: true, force: true });
    } else if (entry.startsWith("@")) {
      for (const scoped of readdirSync(path)) prunePackage(join(path, scoped));
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
    } else {
      prunePackage(path);
    }
  }
}
function prunePackage(path) {
  const link = lstatSync(path).isSymbolicLink();
  if (!existsSync(path) || !isNeeded(path)) {
    rmSync(path, { recursive: true, force: true });
  } else if (!link) {
    pruneNodeModules(join(path, "node_modules"));
  }
}

pruneNodeModules(join(root, "node_modules"));
// Workspaces the service does not reach go entirely; those it reaches lose their tests.
let kept = 0;
for (const group of ["packages", "services"]) {
  for (const entry of readdirSync(join(root, group))) {
    const dir = resolve(root, group, entry);
    if (!needed.has(realpathSync(dir))) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    kept += 1;
    rmSync(join(dir, "test"), { recursive: true, force: true });
    pruneNodeModules(join(dir, "node_modules"));
  }
}
console.log(
  `${start}: kept ${needed.size} packages (${kept} workspaces): ` +
    [...needed]
      .map((d) => relative(root, d))
      .filter((d) => !d.startsWith("node_modules"))
      .join(", "),
);
