#!/usr/bin/env bash
# The whole test suite from a fresh clone: install, build, check the generated types, run every test layer.
# Ends with one plain line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
results=.test-results.json
rm -f "$results"
fail_setup() { echo "$1"; echo "0 passed, 1 failed"; exit 1; }

[ -d node_modules ] || npm ci --no-audit --no-fund || fail_setup "npm ci failed"
npm run build || fail_setup "build failed"
node scripts/gen-proto.mjs --check || fail_setup "generated types are stale"

npx vitest run --reporter=default --reporter=json --outputFile="$results" "$@"
status=$?
if [ -f "$results" ]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    // A file that failed to load counts as one failure, so a broken suite can never look green.
    const broken = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
    // So does a run vitest failed outside every test (an unhandled error): its exit status says so.
    const outside = process.argv[2] !== "0" && r.numFailedTests + broken === 0 ? 1 : 0;
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests + broken + outside} failed`);
  ' "$results" "$status"
else
  echo "0 passed, 1 failed"
fi
exit $status
