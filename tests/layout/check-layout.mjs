#!/usr/bin/env node
// Keeps the layout honest (part of `pnpm lint`):
// - every package under packages/ and services/ has one front door: src/index.ts
//   (services: src/main.ts) and an `exports` map with "." only;
// - no deep imports: a sibling is imported by its package name, never by path or subpath;
// - every @liaison/* import is a declared dependency, and tsconfig references
//   mirror the workspace dependencies; tests and scripts (dev tooling, never shipped)
//   may also import devDependencies such as @liaison/fixtures;
// - demo and test data (@liaison/fixtures) is a run-time dependency only of the sandbox
//   and the demo service; product packages may use it in their tests (devDependencies);
// - the workspace dependency graph has no cycle;
// - no hand-written source file grows past 400 lines;
// - no product package depends on @liaison/testkit at run time, and no service on the
//   agency SDK (@liaison/client);
// - no subject, stream or bucket name is spelled outside packages/topology/src
//   (see wire-literals.mjs).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { wireLiterals } from './wire-literals.mjs';

const root = new URL('../../', import.meta.url).pathname;
const problems = [];
const MAX_LINES = 400;
// The only packages that ship with the demo data (tests/ is a workspace of its own).
const FIXTURE_USERS = ['@liaison/sandbox', '@liaison/service-demo'];

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'gen') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|mts|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const pkgs = new Map();
for (const group of ['packages', 'services']) {
  for (const dir of readdirSync(join(root, group))) {
    const path = join(root, group, dir);
    const pj = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
    pkgs.set(pj.name, { group, dir, path, pj });
  }
}

for (const [name, { group, dir, path, pj }] of pkgs) {
  const rel = relative(root, path);
  if (group === 'packages') {
    if (name !== `@liaison/${dir}`)
      problems.push(`${rel}: package name should be @liaison/${dir}, is ${name}`);
    const keys = Object.keys(pj.exports ?? {});
    if (keys.length !== 1 || keys[0] !== '.')
      problems.push(`${rel}: exports must have exactly one entry, "."`);
    try {
      statSync(join(path, 'src/index.ts'));
    } catch {
      problems.push(`${rel}: missing src/index.ts (the front door)`);
    }
  }
  const deps = Object.keys({ ...pj.dependencies }).filter((d) => d.startsWith('@liaison/'));
  if (deps.includes('@liaison/fixtures') && !FIXTURE_USERS.includes(name))
    problems.push(
      `${rel}: depends on @liaison/fixtures at run time; demo data is for tests (devDependencies)`,
    );
  // Test code never ships: the demo's embedded broker comes from @liaison/launcher.
  if (deps.includes('@liaison/testkit'))
    problems.push(`${rel}: depends on @liaison/testkit at run time; product code uses @liaison/launcher`);
  // A service runs a package of its own kind; the agency SDK is for agencies.
  if (group === 'services' && deps.includes('@liaison/client'))
    problems.push(`${rel}: a service depends on the agency SDK (@liaison/client)`);
  const devDeps = Object.keys({ ...pj.devDependencies }).filter((d) => d.startsWith('@liaison/'));
  const tsconfig = JSON.parse(readFileSync(join(path, 'tsconfig.json'), 'utf8'));
  const refs = (tsconfig.references ?? []).map((r) => r.path.split('/').pop()).sort();
  const depDirs = deps
    .filter((d) => d !== name && pkgs.get(d)?.group === 'packages')
    .map((d) => pkgs.get(d).dir)
    .sort();
  if (JSON.stringify(refs) !== JSON.stringify(depDirs)) {
    problems.push(`${rel}: tsconfig references [${refs}] do not mirror workspace dependencies [${depDirs}]`);
  }
  for (const file of walk(path)) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').length;
    if (lines > MAX_LINES && !file.includes('/test/')) {
      problems.push(`${relative(root, file)}: ${lines} lines (over ${MAX_LINES}); split it`);
    }
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      const spec = m[1];
      if (/^@liaison\/[^/]+\/.+/.test(spec)) problems.push(`${relative(root, file)}: deep import ${spec}`);
      if (/^(\.\.\/)+(packages|services)\/|^\.\.\/\.\.\/[^/]+\/src/.test(spec)) {
        problems.push(`${relative(root, file)}: import by path into another package: ${spec}`);
      }
      const pkg = spec.match(/^@liaison\/[^/]+/)?.[0];
      const devTooling = file.includes('/test/') || file.includes('/scripts/');
      const allowed = devTooling ? [...deps, ...devDeps] : deps;
      if (pkg && pkg !== name && !allowed.includes(pkg)) {
        problems.push(`${relative(root, file)}: imports ${pkg}, which ${name} does not declare`);
      }
    }
  }
}

// Names of the wire: only the topology package spells them.
const TOPOLOGY_SRC = join(root, 'packages/topology/src');
for (const dir of [join(root, 'packages'), join(root, 'services'), join(root, 'tests')]) {
  for (const file of walk(dir)) {
    if (!file.endsWith('.ts') || file.startsWith(TOPOLOGY_SRC)) continue;
    problems.push(...wireLiterals(readFileSync(file, 'utf8'), relative(root, file)));
  }
}

// Cycle check over declared workspace dependencies.
const state = new Map();
function visit(name, stack) {
  if (state.get(name) === 'done') return;
  if (state.get(name) === 'active') {
    problems.push(`dependency cycle: ${[...stack, name].join(' -> ')}`);
    return;
  }
  state.set(name, 'active');
  const pj = pkgs.get(name)?.pj ?? {};
  for (const d of Object.keys(pj.dependencies ?? {}))
    if (pkgs.has(d) && d !== name) visit(d, [...stack, name]);
  state.set(name, 'done');
}
for (const name of pkgs.keys()) visit(name, []);

if (problems.length) {
  console.error(`layout check: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log(`layout check: ${pkgs.size} packages, front doors, imports, references and cycles all fine`);
}
