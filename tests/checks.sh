# Shared by the shell tests (sourced): a scratch folder removed on exit, pass/fail counting with a summary, and
# `run ARGS...`, which runs "$FAULTLINE" ARGS with no input and sets rc, out and err.
# Usage: source tests/checks.sh; expect DESCRIPTION CONDITION ...; finish NAME (exits 1 if anything failed).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
expect() { if eval "$2"; then pass; else fail "$1"; fi; }  # expect DESCRIPTION CONDITION
finish() {
  echo "$1: $passed passed, $failed failed"
  [[ $failed -eq 0 ]]
}
run() {  # run ARGS...: sets rc, out, err
  "$FAULTLINE" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  rc=$?
  out=$(cat "$tmp/out")
  err=$(cat "$tmp/err")
}
