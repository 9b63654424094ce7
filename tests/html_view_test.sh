#!/usr/bin/env bash
# Renders generated trace pages in headless Chromium and asserts on the DOM its script builds: lanes, arrows,
# fault marks, and the state panel after a click on a step; then drives Chromium over its DevTools pipe
# (trace_page_geometry.mjs, Debian's nodejs) to check the page's geometry for 2, 5 and 8 nodes at 1024 and 1400 px.
# Keeps screenshots in $ARTIFACTS.
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
# #click=2 makes the page dispatch a click on step 2 ("crash n1") once drawn.
timeout 60 "$browser" "${flags[@]}" --dump-dom "file://$tmp/t.html#click=2" >"$tmp/dom.html" 2>/dev/null
timeout 60 "$browser" "${flags[@]}" --window-size=1400,700 --screenshot="$ARTIFACTS/trace-page.png" \
  "file://$tmp/t.html#click=2" >/dev/null 2>&1
dom=$(cat "$tmp/dom.html")
count() { grep -o "$1" <<<"$dom" | wc -l; }
expect "two lanes (n0, n1)" '[[ $(count "class=\"lane\"") -eq 2 ]]'
expect "two delivery arrows" '[[ $(count "class=\"arrow deliver\"") -eq 2 ]]'
expect "crash and restart marked on the lanes" '[[ $(count "class=\"mark crash\"") -eq 1 && $(count "class=\"mark restart\"") -eq 1 ]]'
expect "six step rows" '[[ $(count "class=\"row") -eq 6 ]]'
expect "the clicked step is selected" '[[ $dom == *"data-selected=\"2\""* && $dom == *"Step 2: crash n1"* ]]'
expect "the state panel shows each node" '[[ $(count "class=\"node-state\"") -ge 2 && $dom == *"data-group=\"n1\""* ]]'
expect "the crash's changed fields are highlighted" \
  '[[ $dom == *"<div class=\"changed\">crashed: true</div>"* && $dom == *"<div class=\"changed\">state.balance: 0</div>"* ]]'
expect "a screenshot was kept" '[[ -s $ARTIFACTS/trace-page.png ]]'

# A crash on a lying disk says what reached it: wal-store's torn record.
"$FAULTLINE" check wal-store --param variant=no-checksum --trace "$tmp/wal.json" >/dev/null
"$FAULTLINE" show "$tmp/wal.json" --html "$tmp/wal.html" >/dev/null
timeout 60 "$browser" "${flags[@]}" --dump-dom "file://$tmp/wal.html" >"$tmp/wal-dom.html" 2>/dev/null
dom=$(cat "$tmp/wal-dom.html")
expect "the crash mark says which unsynced appends survived, and that the last is torn" \
  '[[ $(count "class=\"mark crash\"") -eq 1 && $dom == *"✗ crash, kept 1 of 1, torn"* ]]'

# A liveness counterexample: the loop from the last step back to the cycle's start is drawn, and the page says
# which steps repeat forever and how the cycle is fair.
"$FAULTLINE" check peterson --param fairness=next --trace "$tmp/lasso.json" >/dev/null
"$FAULTLINE" show "$tmp/lasso.json" --html "$tmp/lasso.html" >/dev/null
timeout 60 "$browser" "${flags[@]}" --dump-dom "file://$tmp/lasso.html" >"$tmp/lasso-dom.html" 2>/dev/null
timeout 60 "$browser" "${flags[@]}" --window-size=1400,700 --screenshot="$ARTIFACTS/lasso-page.png" \
  "file://$tmp/lasso.html" >/dev/null 2>&1
dom=$(cat "$tmp/lasso-dom.html")
expect "the cycle's loop is drawn" '[[ $(count "id=\"cycle\" class=\"loop\"") -eq 1 ]]'
expect "the page says which steps repeat forever" '[[ $dom == *"then steps 2..7 forever (the cycle)"* ]]'
expect "and how the cycle is fair" '[[ $dom == *"The cycle is fair:"*"Next (weak): taken on the cycle"* ]]'
# Geometry, from the DOM's own boxes, over the DevTools protocol: 2 nodes (rpc-retry), 5 (abd-register; and
# two-phase-commit, whose deciding step is a timeout on the last lane), 8 (a random walk of paxos with 3 proposers
# and 5 acceptors, 33 steps); every lane reachable, those up to 5 on screen at once, no two labels intersecting,
# the violating step marked with its reason, a real click on a step showing its changes.
node=$(command -v node || command -v nodejs || true)
if [[ -z $node ]]; then echo "FAIL: node is not installed (scripts/test.sh installs nodejs)"; exit 1; fi
"$FAULTLINE" check abd-register --param variant=no-write-back --faults loss=0,crash=0 --trace "$tmp/abd.json" >/dev/null
"$FAULTLINE" check two-phase-commit --param rms=4 --param variant=commit-on-timeout --trace "$tmp/2pc.json" >/dev/null
"$FAULTLINE" simulate paxos --param proposers=3 --param acceptors=5 --param variant=ignore-accepted --walks 2000 \
  --seed 1 --trace "$tmp/paxos8.json" >/dev/null
for t in abd 2pc paxos8; do "$FAULTLINE" show "$tmp/$t.json" --html "$tmp/$t.html" >/dev/null; done
geometry=$(timeout 180 "$node" "$(dirname "$0")/trace_page_geometry.mjs" "$browser" "$ARTIFACTS" \
  "rpc-retry=$tmp/t.html@all-visible" "abd-register=$tmp/abd.html@all-visible" \
  "two-phase-commit=$tmp/2pc.html@all-visible" "paxos-8-nodes=$tmp/paxos8.html")
geometry_rc=$?
echo "$geometry"
expect "the pages' geometry holds at 1024 and 1400 px (DevTools)" '[[ $geometry_rc -eq 0 && $geometry == *", 0 failed"* ]]'
expect "every page was measured" '[[ $(grep -c " lanes (" <<<"$geometry") -eq 8 ]]'
finish "html view"
