#!/usr/bin/env bash
# Every benchmark once, one after another, into one dated file: the figures behind the tables
# of benchmarks/README.md. Run on a quiet machine (nothing else busy), from the repository root,
# in a venv with the package installed (`pip install -e '.[test]'`).
#   bash benchmarks/run_all.sh [BEFORE_SRC]   # BEFORE_SRC: code to compare with (bench_explore)
set -uo pipefail
cd "$(dirname "$0")/.."
out="benchmarks/results/$(date -u +%Y-%m-%d).txt"
mkdir -p benchmarks/results
# Start-up figures need the .pyc files written once; an environment that forbids them (as
# PYTHONDONTWRITEBYTECODE does) recompiles every module at each start.
unset PYTHONDONTWRITEBYTECODE
python -m budapest56 check >/dev/null 2>&1 || true
{
  echo "# budapest56 benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)"
  echo "# $(python -V 2>&1), $(nproc) CPUs, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  run() { echo; echo "## $*"; echo "# load: $(cut -d' ' -f1-3 /proc/loadavg)"; /usr/bin/time -f "# took %e s" "$@" 2>&1; }
  run python benchmarks/bench_startup.py --mode both --repeat 21
  run python benchmarks/bench_check.py --sizes 10000 50000 --repeat 5
  run python benchmarks/bench_condition_proofs.py --repeat 3
  if [ $# -ge 1 ]; then
    run python benchmarks/bench_explore.py --repeat 5 --against "$1" --tracemalloc
  else
    run python benchmarks/bench_explore.py --repeat 5 --tracemalloc
  fi
  run python benchmarks/bench_bounds.py --repeat 3
  run python benchmarks/bench_lsp.py --repeat 15
  run python benchmarks/bench_watch.py --repeat 9
  run python -m budapest56 stats
  if command -v npm >/dev/null 2>&1; then run sh benchmarks/bench_inkjs.sh; fi
} | tee "$out"
echo "written: $out"
