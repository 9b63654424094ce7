#!/usr/bin/env bash
# Deterministic fuzzing of everything a user feeds the program: random command lines built from the real options
# and hostile values, and trace files mutated byte by byte (truncated, flipped, lines deleted, values retyped).
# Every run must end (no hang), must not crash, and a rejected input must give exactly one error line and exit 2.
# Usage: FAULTLINE=path/to/faultline bash tests/bad_input_test.sh [CASES=400] [SEED=20261127]
set -uo pipefail
: "${FAULTLINE:?set FAULTLINE to the faultline program}"
cases=${1:-400}
RANDOM=${2:-20261127}
FAULTLINE=$(realpath "$FAULTLINE")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"  # hostile values become file names (`--json 1`): they must land here, not in the caller's folder
ran=0
failed=0
declare -A exits

# check_run CODES ARGS...: runs the program; the exit code must be one of CODES (e.g. "0 1 2 3").
check_run() {
  local allowed=$1
  shift
  timeout 30 "$FAULTLINE" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local rc=$?
  rc_last=$rc
  ran=$((ran + 1))
  exits[$rc]=$((${exits[$rc]:-0} + 1))
  local why=""
  if [[ $rc -eq 124 ]]; then why="hung (killed after 30 s)"
  elif [[ " $allowed " != *" $rc "* ]]; then why="exit $rc"
  elif [[ $rc -eq 2 ]]; then
    local lines
    lines=$(wc -l <"$tmp/err")
    [[ $lines -eq 1 && $(cat "$tmp/err") == "faultline: error: "* ]] || why="exit 2 with $lines stderr lines"
    [[ -s $tmp/out ]] && why="exit 2 after printing on stdout"  # a refusal is one line on stderr, nothing else
  fi
  if [[ -n $why ]]; then
    failed=$((failed + 1))
    echo "FAIL ($why): faultline $(printf '%q ' "$@")"
    head -c 600 "$tmp/err"
  fi
}

pick() {  # pick WORDS...: one of the words, chosen by the seeded generator
  local words=("$@")
  echo "${words[RANDOM % ${#words[@]}]}"
}

# --- Command lines -----------------------------------------------------------------------------------------------
protocols=(two-phase tcommit peterson die-hard two-phase-commit alternating-bit rpc-retry paxos raft-election
           fast-paxos-spec paxos-commit nonexistent "" "two phase" -- -h)
options=(--param --threads --max-depth --max-states --time-limit --memory-limit --exact --check-deadlock --json
         --junit --faults --sweep --trace --minimise --symmetry --full --mermaid --html --bogus -x --param= --walks
         --depth --seed --swarm --fingerprint)
values=(rms=3 rms=0 rms=17 rms=-1 rms=abc rms= =3 rms=3=4 requests=1 variant=no-dedup variant=nope messages=2
        0 1 2 64 128 -1 99999999999999999999 1e3 0x10 "" " " 1.5 1k 10M 1G 1T -5M abc "rms=3 rms=4" "$(printf 'a%.0s' {1..300})"
        loss=1 loss=1,dup=1 crash=99 loss=-1 loss=x partition=1,restart=1 "loss=1,,dup=1" "é" "/nonexistent/dir/f.json"
        "$tmp/out.json" "$tmp/out.xml")
for ((i = 0; i < cases; i++)); do
  args=("$(pick check check check simulate list replay show help "")")
  [[ ${args[0]} == check || ${args[0]} == simulate ]] && args+=("$(pick "${protocols[@]}")")
  for ((n = RANDOM % 6; n > 0; n--)); do
    args+=("$(pick "${options[@]}")")
    ((RANDOM % 4)) && args+=("$(pick "${values[@]}")")
  done
  # Bound the work of the (rare) valid, large check without touching what the parser sees first.
  [[ ${args[0]} == check ]] && args+=(--max-states 20000)
  [[ ${args[0]} == simulate ]] && args+=(--walks 50)
  check_run "0 1 2 3" "${args[@]}"
done

# --- Trace files ---------------------------------------------------------------------------------------------------
"$FAULTLINE" check die-hard --trace "$tmp/die.json" >/dev/null
"$FAULTLINE" check rpc-retry --param variant=no-dedup --trace "$tmp/rpc.json" >/dev/null
# A trace with an explanation (the client history of a linearizability failure).
"$FAULTLINE" check abd-register --param variant=no-write-back --faults loss=0,crash=0 --trace "$tmp/abd.json" >/dev/null
for seed_file in "$tmp/die.json" "$tmp/rpc.json" "$tmp/abd.json"; do
  size=$(stat -c %s "$seed_file")
  lines=$(wc -l <"$seed_file")
  for ((i = 0; i < cases / 4; i++)); do
    f="$tmp/mutant.json"
    cp "$seed_file" "$f"
    case $((RANDOM % 7)) in
      0) head -c $((RANDOM * 7 % size)) "$seed_file" >"$f" ;;                                  # truncated
      1) for ((k = 0; k < 1 + RANDOM % 4; k++)); do                                          # bytes overwritten
           printf "\\x$(printf %02x $((RANDOM % 256)))" | dd of="$f" bs=1 seek=$((RANDOM * 7 % size)) conv=notrunc 2>/dev/null
         done ;;
      2) sed -i "$((1 + RANDOM % lines))d" "$f" ;;                                              # a line deleted
      3) sed -i -E "$((1 + RANDOM % lines))s/: (\"[^\"]*\"|-?[0-9][0-9.eE+-]*|true|false|null)/: $(pick 1 5 null true '[]' '[1]' '{}' '"x"' -7 1e309)/" "$f" ;;  # a value retyped
      4) sed -i "s/\"version\": 1/\"version\": $(pick 0 2 '"1"' null)/" "$f" ;;                  # wrong version
      5) printf '%s' "$(pick '' '{' '[' 'null' '{"format": "faultline-trace"}' "$(printf '[%.0s' {1..5000})")" >"$f" ;;
      6) depth=$((RANDOM % 2 ? 30000 : 100000))                                                 # nested deep
         python3 -c 'import sys; d, f, where = int(sys.argv[1]), sys.argv[2], sys.argv[3]
t = open(f).read(); deep = "[" * d + "]" * d
t = t.replace("\"state\": ", "\"state\": " + deep + ", \"was\": ", 1) if where == "step" else "{\"unused\": " + deep + ", " + t[1:]
open(f, "w").write(t)' "$depth" "$f" "$(pick step unused)" ;;
    esac
    check_run "0 1 2" replay "$f"
    check_run "0 2" show "$f"
    ((i % 3 == 0)) && check_run "0 2" show "$f" --html "$tmp/mutant.html"
  done
done

# --- Checkpoint folders ------------------------------------------------------------------------------------------
# A damaged checkpoint must be refused (exit 2, one line); one that is accepted must resume to the right counts.
"$FAULTLINE" check two-phase --param rms=5 --max-depth 9 --checkpoint "$tmp/ck-base" >/dev/null
want="$("$FAULTLINE" check two-phase --param rms=5 | grep -o '^[0-9]* distinct states, [0-9]* generated, depth [0-9]*')"
for ((i = 0; i < cases / 4; i++)); do
  rm -rf "$tmp/ck"
  cp -r "$tmp/ck-base" "$tmp/ck"
  f="$tmp/ck/$(pick manifest parents.bin frontier-9.bin)"
  size=$(stat -c %s "$f")
  case $((RANDOM % 4)) in
    0) head -c $((RANDOM * 7 % size)) "$f" >"$f.cut" && mv "$f.cut" "$f" ;;
    1) printf "\\x$(printf %02x $((RANDOM % 256)))" | dd of="$f" bs=1 seek=$((RANDOM * 7 % size)) conv=notrunc 2>/dev/null ;;
    2) rm "$f" ;;
    3) printf 'x' >>"$f" ;;
  esac
  check_run "0 2" check two-phase --param rms=5 --resume "$tmp/ck"
  if [[ $rc_last -eq 0 ]] && ! grep -q "$want" "$tmp/out"; then
    failed=$((failed + 1))
    echo "FAIL (accepted a damaged checkpoint and miscounted): $(basename "$f")"
  fi
done

tally=""
for rc in $(printf '%s\n' "${!exits[@]}" | sort -n); do tally+=" exit $rc: ${exits[$rc]};"; done
echo "bad input: $ran runs, $failed failures ($tally )"
[[ $failed -eq 0 ]]
