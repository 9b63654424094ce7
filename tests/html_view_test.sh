#!/usr/bin/env bash
# Renders a generated trace page in headless Chromium and asserts on the DOM its script builds: lanes, arrows,
# fault marks, and the state panel after a click on a step. Keeps a screenshot in $ARTIFACTS.
set -u
FAULTLINE=${FAULTLINE:?set FAULTLINE}
ARTIFACTS=${ARTIFACTS:-artifacts}
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]]; then echo "FAIL: chromium is not installed (scripts/test.sh installs it)"; exit 1; fi
source "$(dirname "$0")/checks.sh"
mkdir -p "$ARTIFACTS"

"$FAULTLINE" check rpc-retry --param variant=volatile-dedup --minimise --trace "$tmp/t.json" >/dev/null
"$FAULTLINE" show "$tmp/t.json" --html "$tmp/t.html" >/dev/null
expect "page written" '[[ -s $tmp/t.html ]]'

flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update
       --disable-sync --user-data-dir="$tmp/profile")
# #click=3 makes the page dispatch a click on step 3 ("crash n1") once drawn.
timeout 60 "$browser" "${flags[@]}" --dump-dom "file://$tmp/t.html#click=3" >"$tmp/dom.html" 2>/dev/null
timeout 60 "$browser" "${flags[@]}" --window-size=1400,700 --screenshot="$ARTIFACTS/trace-page.png" \
  "file://$tmp/t.html#click=3" >/dev/null 2>&1
dom=$(cat "$tmp/dom.html")
count() { grep -o "$1" <<<"$dom" | wc -l; }
expect "two lanes (n0, n1)" '[[ $(count "class=\"lane\"") -eq 2 ]]'
expect "two delivery arrows" '[[ $(count "class=\"arrow deliver\"") -eq 2 ]]'
expect "crash and restart marked on the lanes" '[[ $(count "class=\"mark crash\"") -eq 1 && $(count "class=\"mark restart\"") -eq 1 ]]'
expect "six step rows" '[[ $(count "class=\"row") -eq 6 ]]'
expect "the clicked step is selected" '[[ $dom == *"data-selected=\"2\""* && $dom == *"Step 3: crash n1"* ]]'
expect "the state panel shows each node" '[[ $(count "class=\"node-state\"") -ge 2 && $dom == *"data-group=\"n1\""* ]]'
expect "the crash's changed fields are highlighted" \
  '[[ $dom == *"<div class=\"changed\">crashed: true</div>"* && $dom == *"<div class=\"changed\">state.balance: 0</div>"* ]]'
expect "a screenshot was kept" '[[ -s $ARTIFACTS/trace-page.png ]]'

# A liveness counterexample: the loop from the last step back to the cycle's start is drawn, and the page says
# which steps repeat forever and how the cycle is fair.
"$FAULTLINE" check peterson --param fairness=next --trace "$tmp/lasso.json" >/dev/null
"$FAULTLINE" show "$tmp/lasso.json" --html "$tmp/lasso.html" >/dev/null
timeout 60 "$browser" "${flags[@]}" --dump-dom "file://$tmp/lasso.html" >"$tmp/lasso-dom.html" 2>/dev/null
timeout 60 "$browser" "${flags[@]}" --window-size=1400,700 --screenshot="$ARTIFACTS/lasso-page.png" \
  "file://$tmp/lasso.html" >/dev/null 2>&1
dom=$(cat "$tmp/lasso-dom.html")
expect "the cycle's loop is drawn" '[[ $(count "id=\"cycle\" class=\"loop\"") -eq 1 ]]'
expect "the page says which steps repeat forever" '[[ $dom == *"then steps 3..8 forever (the cycle)"* ]]'
expect "and how the cycle is fair" '[[ $dom == *"The cycle is fair:"*"Next (weak): taken on the cycle"* ]]'
finish "html view"
