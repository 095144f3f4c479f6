// Builds static/vendor/codemirror/: the minified bundle, the licences of every package in it,
// and a README naming their versions. Run through `npm run build` (or `make editor` at the root).
"use strict";

const fs = require("fs");
const path = require("path");
const esbuild = require("esbuild");

const here = __dirname;
const out = path.resolve(here, "../../static/vendor/codemirror");

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [path.join(here, "src/editor.js")],
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    legalComments: "none", // the licences go to LICENSE beside the bundle
    outfile: path.join(out, "codemirror.min.js"),
    metafile: true,
    logLevel: "warning",
  });

  // The packages whose code is in the bundle (not merely read and shaken out).
  const packages = new Map();
  const [bundle] = Object.values(result.metafile.outputs);
  for (const [input, { bytesInOutput }] of Object.entries(bundle.inputs)) {
    if (!bytesInOutput) continue;
    const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (!match || packages.has(match[1])) continue;
    const dir = path.join(here, "node_modules", match[1]);
    const meta = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    const licenceFile = fs.readdirSync(dir).find((name) => /^licen[cs]e(\.md|\.txt)?$/i.test(name));
    if (!licenceFile) throw new Error(`${match[1]} ships no LICENSE file`);
    packages.set(match[1], {
      name: match[1],
      version: meta.version,
      license: meta.license,
      text: fs.readFileSync(path.join(dir, licenceFile), "utf8").trim(),
    });
  }
  const list = [...packages.values()].sort((a, b) => a.name.localeCompare(b.name));
  const notMit = list.filter((p) => p.license !== "MIT");
  if (notMit.length) throw new Error(`not MIT: ${notMit.map((p) => p.name).join(", ")}`);

  const licence = list
    .map((p) => `${p.name} ${p.version} (${p.license})\n${"-".repeat(60)}\n\n${p.text}\n`)
    .join("\n\n");
  fs.writeFileSync(
    path.join(out, "LICENSE"),
    "codemirror.min.js bundles the following packages, each under the MIT licence below.\n\n\n" + licence,
  );

  const bytes = fs.statSync(path.join(out, "codemirror.min.js")).size;
  const readme = `# CodeMirror 6 bundle

\`codemirror.min.js\` is the platform's code editor: CodeMirror 6 with Python and C++ modes,
built from \`frontend/codemirror/\` (source \`src/editor.js\`, exact versions in its
\`package-lock.json\`) into one minified IIFE (${Math.round(bytes / 1024)} KiB) that makes no requests
and exposes \`window.LmsCodeEditor\`. Every \`textarea[data-code-editor]\` is attached on load
(\`data-language\`, \`data-readonly\`); a \`<select data-code-language-for="ID">\` switches the
language of the editor on \`textarea#ID\`. The licences are in \`LICENSE\`.

Rebuild (needs Node.js and the npm registry): \`make editor\` at the repository root, which runs
\`cd frontend/codemirror && npm ci && npm run build\`. Commit the three files here with the change.

Bundled packages:

${list.map((p) => `- ${p.name} ${p.version}`).join("\n")}
`;
  fs.writeFileSync(path.join(out, "README.md"), readme);
  console.log(`codemirror.min.js: ${bytes} bytes, ${list.length} packages`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
