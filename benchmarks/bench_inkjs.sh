#!/bin/sh
# Random playthroughs in inkjs (from the npm registry) on the synthetic graphs of bench_explore.py.
#
#   sh benchmarks/bench_inkjs.sh [CHOICES] [REPEAT]        (default 300000 choices, best of 3)
#
# Installs inkjs into a temporary folder (nothing is left behind), writes the 200-, 2,000- and
# 10,000-node graphs with synth_graph.py (seed 1956) and runs bench_inkjs.js on each.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
version=${INKJS_VERSION:-2.4.0}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent "inkjs@$version" >/dev/null)
cp "$here/bench_inkjs.js" "$tmp/"
for n in 200 2000 10000; do
    python3 "$here/synth_graph.py" --nodes "$n" --seed 1956 > "$tmp/graph-$n.json"
    (cd "$tmp" && node bench_inkjs.js "graph-$n.json" "${1:-300000}" "${2:-3}")
done
echo "inkjs $version, node $(node --version)"
