#!/usr/bin/env bash
# Runs each bench/interp/*.myl under `myelin run` and its *.py twin under python3, alternately,
# several times, and prints the median wall times and their ratio (myelin / CPython).
# Build first: swift build -c release
set -euo pipefail
cd "$(dirname "$0")/.."
MYELIN=${MYELIN:-.build/release/myelin}
PY=${PYTHON:-python3}
RUNS=${RUNS:-5}
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
printf "%-14s %10s %10s %7s\n" bench myelin_s python_s ratio
for myl in bench/interp/*.myl; do
    py=${myl%.myl}.py
    name=$(basename "$myl" .myl)
    out_m=$("$MYELIN" run "$myl"); out_p=$("$PY" "$py")
    if [ "$out_m" != "$out_p" ]; then echo "$name: OUTPUT DIFFERS: myelin='$out_m' python='$out_p'"; fi
    tm=(); tp=()
    for _ in $(seq "$RUNS"); do
        t0=$(now); "$MYELIN" run "$myl" >/dev/null; t1=$(now); tm+=("$(echo "$t1 - $t0" | bc)")
        t0=$(now); "$PY" "$py" >/dev/null; t1=$(now); tp+=("$(echo "$t1 - $t0" | bc)")
    done
    mm=$(printf "%s\n" "${tm[@]}" | median); mp=$(printf "%s\n" "${tp[@]}" | median)
    printf "%-14s %10.3f %10.3f %7.2f\n" "$name" "$mm" "$mp" "$(echo "$mm / $mp" | bc -l)"
done
