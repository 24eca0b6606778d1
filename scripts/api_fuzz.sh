#!/usr/bin/env bash
# The API against its own contract: schemathesis generates requests from the live
# OpenAPI schema (/api/v1/schema/) — examples, boundary values, then random data —
# authenticated as the demo buyer with an API token of every scope, and checks each
# answer: no server error, a documented status, content type, headers and body.
#
#   bash scripts/api_fuzz.sh http://127.0.0.1:8765   (a running demo, same SHOP_VAR_DIR)
#
# Fails on any failed check, or when fewer than API_FUZZ_MIN_CASES requests were
# generated. The server should run with a high SHOP_API_RATE_PER_TOKEN: the fuzzer
# is one token sending thousands of requests.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE="${1:?give the address of a running demo, e.g. http://127.0.0.1:8765}"
MIN_CASES="${API_FUZZ_MIN_CASES:-1000}"
EXAMPLES="${API_FUZZ_MAX_EXAMPLES:-40}"
LOG="$(mktemp)"

key=$(.venv/bin/python manage.py shell -v0 -c "
from accounts.models import ApiToken, Membership
m = Membership.objects.select_related('user', 'company').get(user__email='buyer@stroymontazh.demo')
print(ApiToken.issue(user=m.user, company=m.company, name='Contract check')[1])" | tail -1)

status=0
.venv/bin/schemathesis run "${BASE}/api/v1/schema/" \
    --header "Authorization: Token ${key}" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing \
    --max-examples "$EXAMPLES" --workers 1 --seed 7 --continue-on-failure \
    --suppress-health-check all --no-color >"$LOG" 2>&1 || status=$?
# Generated bodies can be megabytes on one line: only the start of each line is shown.
sed -n '/= SUMMARY =/,$p' "$LOG" | cut -c1-300
cases=$(grep -oE '[0-9]+ generated' "$LOG" | tail -1 | grep -oE '[0-9]+' || echo 0)
echo "== api fuzz: ${cases} requests generated (at least ${MIN_CASES} needed), exit ${status}"
if [ "$status" -ne 0 ]; then
    sed -n '/= FAILURES =/,/= WARNINGS =/p' "$LOG" | cut -c1-300 | head -200
    echo "api fuzz failed"; exit 1
fi
if [ "$cases" -lt "$MIN_CASES" ]; then
    echo "api fuzz generated too few requests"; exit 1
fi
echo "api fuzz passed"
