#!/usr/bin/env bash
# The MCP conformance suite's server scenarios against `npm run dev` (embedded PGlite, dev auth), as a
# newcomer would run it. The suite needs Node 22: the npm package node@22 provides it.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${CONFORMANCE_PORT:-3917}
data_dir=$(mktemp -d)
log=$(mktemp)
read -r -a scenarios <<<"${CONFORMANCE_SCENARIOS:-server-initialize ping tools-list resources-list dns-rebinding-protection}"

npm run --silent widgets >/dev/null
APP_BASE_URL="http://127.0.0.1:${port}" PGLITE_DATA_DIR="$data_dir" CATALOG_SEED_SIZE=300 NEXT_TELEMETRY_DISABLED=1 \
  setsid npx next dev --hostname 127.0.0.1 --port "$port" >"$log" 2>&1 &
server=$!
cleanup() {
  kill -TERM -- "-$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$data_dir" "$log"
}
trap cleanup EXIT

for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:${port}/api/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "http://127.0.0.1:${port}/api/health" >/dev/null || { cat "$log"; echo "the dev server did not start"; exit 1; }

passed=0
failed=0
for scenario in "${scenarios[@]}"; do
  if npx -y -p node@22 node node_modules/@modelcontextprotocol/conformance/dist/index.js server \
    --url "http://127.0.0.1:${port}/mcp" --scenario "$scenario" >"$log.out" 2>&1; then
    echo "conformance ${scenario}: passed"
    passed=$((passed + 1))
  else
    echo "conformance ${scenario}: FAILED"
    cat "$log.out"
    failed=$((failed + 1))
  fi
done
rm -f "$log.out"
echo "MCP conformance scenarios: ${passed} of $((passed + failed)) passed"
[ "$failed" -eq 0 ]
