#!/usr/bin/env bash
# `make load`: 50 locust users of mixed reads and writes for 60 s against `headway serve`
# (2 gunicorn workers) on PostgreSQL; one worker is killed with SIGKILL mid-run; afterwards every
# acknowledged write must be in the database. Results: bench/results/load.json, docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY=$VENV/bin/python
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/headway}
BASE=${PG_URL%/*}
DB=headway_load
PORT=${LOAD_PORT:-8765}
USERS=${LOAD_USERS:-50}
DURATION=${LOAD_SECONDS:-60}
TMP=bench/results/tmp
mkdir -p "$TMP"
rm -f "$TMP/acknowledged.txt" "$TMP"/load_*.csv "$TMP/killed.txt" "$TMP/retried.txt"

$PY - <<PYEOF
import psycopg
with psycopg.connect("$BASE/postgres", autocommit=True) as c:
    c.execute("DROP DATABASE IF EXISTS $DB WITH (FORCE)")
    c.execute("CREATE DATABASE $DB")
PYEOF
export DATABASE_URL=$BASE/$DB HEADWAY_API_RATE_LIMIT=1000000 PYTHONPATH=src
$PY -m headway.cli migrate -v0
$PY -m headway.cli generate --features 2000 --feedback 10000 --product "Load product" >/dev/null
read -r LOAD_PRODUCT LOAD_TOKEN < <($PY - <<'PYEOF'
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headway.settings")
django.setup()
from headway.accounts.models import ApiToken, User
from headway.products.models import Product
product = Product.objects.get(name="Load product")
print(product.pk, ApiToken.issue(User.objects.get(username="bench"), "load")[1])
PYEOF
)
export LOAD_PRODUCT LOAD_TOKEN LOAD_ACK_FILE=$TMP/acknowledged.txt

$PY -m headway.cli serve --host 127.0.0.1 --port "$PORT" --workers 2 > "$TMP/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/api/v1/openapi.json" >/dev/null && break; sleep 0.2; done

( sleep $((DURATION / 3))
  victim=$(pgrep -P "$SERVER" | head -n 1)
  echo "killing gunicorn worker $victim with SIGKILL"
  kill -9 "$victim" && echo "$victim" > "$TMP/killed.txt" ) &

$VENV/bin/locust -f bench/locustfile.py --headless -u "$USERS" -r 25 -t "${DURATION}s" \
  --host "http://127.0.0.1:$PORT" --csv "$TMP/load" --only-summary 2>&1 | tail -n 25

$PY bench/load_check.py "$TMP/load_stats.csv" "$TMP/acknowledged.txt"
