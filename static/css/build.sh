#!/usr/bin/env bash
# Build static/css/qiskills.css from static/css/src/qiskills.scss.
#
#   npm ci                        # once: installs the pinned sass, purgecss, nhsuk-frontend, htmx.org
#   bash static/css/build.sh      # re-run whenever templates or the scss change
#   PURGE=0 bash static/css/build.sh   # same, without PurgeCSS (to measure / debug)
#
# Idempotent: the same inputs give byte-identical outputs. Also re-vendors htmx.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."   # repo root
[[ -f package.json && -f static/css/src/qiskills.scss ]] || { echo "build.sh: cannot find repo root" >&2; exit 1; }
[[ -d node_modules/nhsuk-frontend && -d node_modules/sass && -d node_modules/purgecss ]] \
  || { echo "build.sh: node_modules missing; run 'npm ci' first" >&2; exit 1; }

pkgver() { node -p "require('$1/package.json').version"; }
NHSUK_VERSION=$(pkgver nhsuk-frontend)
HTMX_VERSION=$(pkgver htmx.org)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. Sass -> one compressed stylesheet (no @charset: purge.mjs escapes non-ASCII).
npx --no-install sass --no-source-map --no-error-css --no-charset --style=compressed \
  --load-path=node_modules static/css/src/qiskills.scss "$tmp/compiled.css"

# 2. PurgeCSS against app/templates/**/*.html, app/**/*.py and our own static/js.
if [[ "${PURGE:-1}" == "0" ]]; then
  node static/css/purge.mjs "$tmp/compiled.css" "$tmp/out.css" --no-purge
else
  node static/css/purge.mjs "$tmp/compiled.css" "$tmp/out.css"
fi

# 3. Licence banner on the first line, then the CSS.
{
  printf '/*! nhsuk-frontend %s | MIT licence, see nhsuk-frontend.LICENSE.txt | QI Skills build of static/css/src/qiskills.scss by static/css/build.sh: do not edit */\n' "$NHSUK_VERSION"
  cat "$tmp/out.css"
  printf '\n'
} > "$tmp/qiskills.css"
mv "$tmp/qiskills.css" static/css/qiskills.css

# 4. Licences. The nhsuk-frontend npm package ships no LICENSE file; the text
#    (from github.com/nhsuk/nhsuk-frontend) is kept in static/css/src/.
lic=$(ls node_modules/nhsuk-frontend/LICEN[CS]E* 2>/dev/null | head -1 || true)
cp "${lic:-static/css/src/nhsuk-frontend.LICENSE.txt}" static/css/nhsuk-frontend.LICENSE.txt

# 5. nhsuk images that the kept CSS points at ($nhsuk-assets-path is /static/nhsuk/).
rm -f static/nhsuk/images/nhsuk-icon-*.svg
for url in $(grep -o 'url("/static/nhsuk/[^"]*")' static/css/qiskills.css | sort -u | sed 's|^url("/static/nhsuk/||; s|")$||'); do
  mkdir -p "static/nhsuk/$(dirname "$url")"
  cp "node_modules/nhsuk-frontend/dist/nhsuk/assets/$url" "static/nhsuk/$url"
done
rmdir static/nhsuk/images static/nhsuk 2>/dev/null || true   # nothing referenced

# 6. Vendored htmx (pinned in package.json).
mkdir -p static/js
cp node_modules/htmx.org/dist/htmx.min.js "static/js/htmx-$HTMX_VERSION.min.js"
cp node_modules/htmx.org/LICENSE "static/js/htmx-$HTMX_VERSION.LICENSE.txt"

# 7. Report sizes.
css_bytes=$(wc -c < static/css/qiskills.css)
css_gz=$(gzip -9 -c static/css/qiskills.css | wc -c)
htmx_gz=$(gzip -9 -c "static/js/htmx-$HTMX_VERSION.min.js" | wc -c)
printf 'static/css/qiskills.css: %d bytes, %d bytes gzipped (%.1f KB)%s\n' \
  "$css_bytes" "$css_gz" "$(awk "BEGIN{print $css_gz/1024}")" "$([[ "${PURGE:-1}" == 0 ]] && echo ' [PURGE=0]')"
printf 'static/js/htmx-%s.min.js: %d bytes gzipped\n' "$HTMX_VERSION" "$htmx_gz"
