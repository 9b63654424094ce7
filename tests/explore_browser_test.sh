#!/usr/bin/env bash
# The explorer in a real browser: `explore rpc-retry variant=no-dedup` clicked to its at-most-once violation, step
# by step (the steps of check's counterexample), and `explore paxos variant=ignore-accepted` left to find the
# agreement violation itself (tests/explore_browser.mjs over Chromium's DevTools pipe). Screenshots in $ARTIFACTS.
set -u
FAULTLINE=${FAULTLINE:?set FAULTLINE}
ARTIFACTS=${ARTIFACTS:-artifacts}
browser=$(command -v chromium || command -v chromium-browser || true)
node=$(command -v node || command -v nodejs || true)
if [[ -z $browser || -z $node ]]; then echo "FAIL: chromium and node are needed (scripts/test.sh installs them)"; exit 1; fi
source "$(dirname "$0")/checks.sh"
mkdir -p "$ARTIFACTS"

start_explorer() {  # start_explorer NAME ARGS...: runs it in the background, sets NAME_url and NAME_pid
  local name=$1
  shift
  "$FAULTLINE" explore "$@" --port 0 >"$tmp/$name.out" 2>"$tmp/$name.err" &
  eval "${name}_pid=$!"
  for _ in $(seq 100); do
    [[ -s $tmp/$name.out ]] && break
    sleep 0.1
  done
  eval "${name}_url=$(head -1 "$tmp/$name.out")"
}

"$FAULTLINE" check rpc-retry --param variant=no-dedup --trace "$tmp/rr.json" >/dev/null
python3 -c 'import json, sys; print(json.dumps([s["action"] for s in json.load(open(sys.argv[1]))["steps"]]))' \
  "$tmp/rr.json" >"$tmp/labels.json"
start_explorer rpc rpc-retry --param variant=no-dedup
start_explorer paxos paxos --param variant=ignore-accepted
expect "both explorers print their address" '[[ $rpc_url == http://127.0.0.1:*/ && $paxos_url == http://127.0.0.1:*/ ]]'
result=$(timeout 200 "$node" "$(dirname "$0")/explore_browser.mjs" "$browser" "$ARTIFACTS" "$rpc_url" at-most-once \
  "$tmp/labels.json" "$paxos_url" agreement)
browser_rc=$?
echo "$result"
expect "the page, clicked and searched in Chromium, shows both violations" \
  '[[ $browser_rc -eq 0 && $result == *", 0 failed"* ]]'
expect "screenshots were kept" '[[ -s $ARTIFACTS/explore-violation.png && -s $ARTIFACTS/explore-search-taken.png ]]'
kill -INT "$rpc_pid" "$paxos_pid"
wait "$rpc_pid"
rpc_rc=$?
wait "$paxos_pid"
paxos_rc=$?
expect "Ctrl-C stops both servers cleanly" '[[ $rpc_rc -eq 0 && $paxos_rc -eq 0 ]]'
finish "explore in the browser"
