// Remove selectors that no template, Python module or own JS file uses.
// Usage (from the repo root): node static/css/purge.mjs IN.css OUT.css [--no-purge]
// Called by static/css/build.sh; run `bash static/css/build.sh` instead.
// With --no-purge it only makes the output ASCII (see the end of this file).
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { PurgeCSS } from "purgecss";

const [inFile, outFile, flag] = process.argv.slice(2);
if (!inFile || !outFile || (flag && flag !== "--no-purge")) {
  console.error("usage: node static/css/purge.mjs IN.css OUT.css [--no-purge]");
  process.exit(2);
}
const input = readFileSync(inFile, "utf8");

// Escape non-ASCII characters (e.g. content: "✓") so that the file needs no
// @charset and can start with the licence comment.
const ascii = (css) =>
  css.replace(/[^\x00-\x7f]/gu, (c) => `\\${c.codePointAt(0).toString(16)} `);

if (flag === "--no-purge") {
  writeFileSync(outFile, ascii(input));
  console.error("purge: skipped (PURGE=0)");
  process.exit(0);
}

// Files whose text may name a CSS class. The default extractor takes every
// [A-Za-z0-9_-]+ token, so classes must appear whole in the source: build
// names by concatenation only for the prefixes safelisted below.
function walk(dir, accept, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "__pycache__" && !entry.name.startsWith(".")) walk(path, accept, out);
    } else if (accept(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

const content = [
  ...walk("app/templates", (n) => n.endsWith(".html")),
  ...walk("app", (n) => n.endsWith(".py")),
  // Our own browser modules (not the vendored htmx bundle).
  ...walk("static/js", (n) => /\.m?js$/.test(n) && !n.startsWith("htmx-")),
].sort();

const templates = content.filter((f) => f.endsWith(".html")).length;
console.error(`purge: scanning ${content.length} files (${templates} templates)`);
if (templates === 0) {
  console.error("purge: WARNING: no templates under app/templates; most component CSS will be dropped. Re-run build.sh once templates exist.");
}

// Elements that authored Markdown can produce (the renderer adds no classes).
const markdownElements = [
  "h2", "h3", "h4", "p", "ul", "ol", "li", "a", "strong", "em", "code", "pre",
  "blockquote", "table", "thead", "tbody", "tr", "th", "td", "hr", "img", "del",
];

const [result] = await new PurgeCSS().purge({
  content,
  css: [{ raw: input }],
  safelist: {
    standard: [
      ...markdownElements,
      "html", "body",
      "nhsuk-frontend-supported",
      "nhsuk-skip-link-focused-element", // added by nhsuk skip-link JS
      // Classes set at run time, by nhsuk JS, HTMX swaps or Python string building.
      /^nhsuk-(radios|checkboxes|error|button|tag)/,
      /^nhsuk-header__menu/, // header "More" menu built by nhsuk header JS
      /^htmx-/,
      /^qi-/,
    ],
  },
  // Keep :root custom properties and @font-face; drop unused @keyframes.
  keyframes: true,
  fontFace: false,
  variables: false,
});

writeFileSync(outFile, ascii(result.css));
console.error(`purge: kept ${result.css.length} of ${input.length} bytes`);
