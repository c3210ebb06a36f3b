"""Reads "who name seconds" lines and prints medians and the Myelin/matplotlib ratio per figure."""
import collections
import statistics
import sys

times = collections.defaultdict(list)
for line in sys.stdin:
    who, name, sec = line.split()
    times[(who, name)].append(float(sec))
names = ["lines", "scatter2000", "image28"]
med = {k: statistics.median(v) for k, v in times.items()}
print(f"{'figure':14}{'myelin ms':>12}{'matplotlib ms':>16}{'ratio':>8}")
for n in names:
    m, p = med[("myelin", n)], med[("matplotlib", n)]
    print(f"{n:14}{m * 1e3:12.1f}{p * 1e3:16.1f}{m / p:8.3f}")
tm = sum(med[("myelin", n)] for n in names)
tp = sum(med[("matplotlib", n)] for n in names)
print(f"{'total':14}{tm * 1e3:12.1f}{tp * 1e3:16.1f}{tm / tp:8.3f}")
