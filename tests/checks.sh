# Shared by the shell tests (sourced): a scratch folder removed on exit, and pass/fail counting with a summary.
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
