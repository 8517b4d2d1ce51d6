#!/usr/bin/env bash
# Runs the Python client's own test suite (deeplearninc/hub-api-client, a checkout given as $1, e.g. the v0.7.4 tag)
# against `npm run mock -- hub` over HTTP, with VCR switched off: a copy of its tests whose vcr helper decorates
# nothing, the fake seeded from the recordings (hub-seed-from-cassettes.py), on localhost:5000 (Hub) and :7777
# (optimizers), the URLs the suite hard-codes. Needs Debian's python3 ($PYTHON, default /usr/bin/python3) with requests, pytest, bs4, lxml, mock, yaml.
# Nothing of the client is copied into this repository.
set -euo pipefail
python=${PYTHON:-/usr/bin/python3}
checkout=${1:?usage: hub-python-suite.sh <hub-api-client checkout>}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cassettes=${CASSETTES:-$root/packages/hub-client/test/fixtures/hub-cassettes}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

cp -r "$checkout/." "$work/"
printf 'class _Off:\n    def use_cassette(self, *a, **k):\n        return lambda f: f\n\nvcr = _Off()\n' > "$work/tests/vcr_helper.py"

cd "$root"
names=$(node --conditions=@mlclients/source --import tsx -e \
  "import('@mlclients/hub-client/mocks').then((m) => console.log([...Object.keys(m.HUB_RESOURCES), 'prediction_groups'].join(',')))")
"$python" "$here/hub-seed-from-cassettes.py" "$cassettes" "$names" "$work/seed.json" >/dev/null
for port in 5000 7777; do
  node --conditions=@mlclients/source --import tsx tools/mock-server/src/cli.ts hub --port "$port" --seed "$work/seed.json" \
    > "$work/mock-$port.log" 2>&1 &
  pids+=($!)
done
for _ in $(seq 1 120); do
  grep -q ' on http' "$work/mock-5000.log" && grep -q ' on http' "$work/mock-7777.log" && break
  sleep 0.5
done
cd "$work"
"$python" -m pytest -q -p no:cacheprovider --tb=line -rf tests || true
