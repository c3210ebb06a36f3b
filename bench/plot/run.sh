#!/usr/bin/env bash
# Plot benchmark: Myelin's Plot vs matplotlib Agg (dpi 200), same three figures, alternating runs.
# Needs: a release build of the Plot target, and matplotlib in .venv (pip install matplotlib).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --target Plot >/dev/null
BIN=$(swift build -c release --show-bin-path)
OUT=$(mktemp -d)
swiftc -O -I "$BIN/Modules" -I Sources/CZlib bench/plot/main.swift "$BIN"/Plot.build/*.o -lz -o "$OUT/plotbench" 2>/dev/null
cp -r "$BIN/Myelin_Plot.resources" "$OUT/" 2>/dev/null || true
PY=${PY:-.venv/bin/python}
ROUNDS=${ROUNDS:-3}; REPEATS=${REPEATS:-5}
for r in $(seq "$ROUNDS"); do
  "$OUT/plotbench" "$OUT" "$REPEATS" | sed 's/^/myelin /'
  "$PY" bench/plot/bench_matplotlib.py "$OUT" "$REPEATS" | sed 's/^/matplotlib /'
done | python3 bench/plot/summarize.py
echo "PNGs in $OUT"
