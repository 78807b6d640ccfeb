// Builds NetWeave's front-end assets into netweave/static/ (run by `make`, or `npm run build` here).
//
// Two kinds of output:
//  - VENDOR: files that a library already ships ready for the browser; copied as they are into
//    netweave/static/vendor/ (gitignored: we never commit a copy of someone else's library).
//  - BUNDLES: our own sources under frontend/src/ that import libraries (the network map with
//    sigma.js + graphology, the health timeline with Chart.js), bundled by esbuild into
//    netweave/static/vendor/ as well (one self-contained, minified script per entry point).

import { copyFile, mkdir, stat } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "..", "netweave", "static", "vendor");

// [file inside node_modules, file name in netweave/static/vendor/]
const VENDOR = [["htmx.org/dist/htmx.min.js", "htmx.min.js"]];

// [entry point under frontend/, bundle name in netweave/static/vendor/]
const BUNDLES = [
  ["src/map.js", "netweave-map.js"],
  ["src/health.js", "netweave-health.js"],
  ["src/weaving.js", "netweave-weaving.js"],
  ["src/field.js", "netweave-field.js"],
];

async function copyVendorFile(source, target) {
  const from = join(here, "node_modules", source);
  try {
    await stat(from);
  } catch {
    throw new Error(`${from} is missing: run \`npm ci\` in frontend/ (or \`make frontend\`).`);
  }
  const to = join(outDir, target);
  await copyFile(from, to);
  console.log(`  ${relative(join(here, ".."), to)}  <-  node_modules/${source}`);
}

async function main() {
  await mkdir(outDir, { recursive: true });
  for (const [source, target] of VENDOR) {
    await copyVendorFile(source, target);
  }
  if (BUNDLES.length > 0) {
    const { build } = await import("esbuild");
    for (const [entry, target] of BUNDLES) {
      const to = join(outDir, target);
      await build({
        entryPoints: [join(here, entry)],
        outfile: to,
        bundle: true,
        minify: true,
        format: "iife",
        target: ["es2020"],
        legalComments: "none",
        logLevel: "error",
      });
      console.log(`  ${relative(join(here, ".."), to)}  <-  ${entry}`);
    }
  }
}

main().catch((error) => {
  console.error(`frontend build failed: ${error.message}`);
  process.exit(1);
});
