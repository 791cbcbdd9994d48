"""Kernels of one repeated unit from an ncu CSV (gpu-ops.sh's ncu-layer-*.csv, or ncu over TrainThroughputBench
`tinyllama 1 1`): the unit is the longest run of kernel names that the end of the trace repeats twice (two identical
layer calls, two identical training steps). Prints its kernel count, its GPU time (each kernel timed alone by ncu) and
the kernels by total time. Usage: python ncu_unit.py FILE.csv[.gz] [top=25]."""
import collections, csv, gzip, sys

path, top = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 25
with (gzip.open(path, "rt") if path.endswith(".gz") else open(path)) as f:
    rows = [r for r in csv.DictReader(line for line in f if line.startswith('"'))
            if r.get("Metric Name") == "gpu__time_duration.sum"]
names = [r["Kernel Name"] for r in rows]
n = len(names)
k = next((k for k in range(n // 2, 0, -1) if names[n - 2 * k:n - k] == names[n - k:]), None)
if k is None:
    sys.exit("no repeated unit at the end of the trace")
unit = rows[n - k:]
ns = [float(r["Metric Value"].replace(",", "")) for r in unit]
print(f"{path}: {k} kernels per unit, {sum(ns) / 1e6:.2f} ms GPU time")
agg = collections.defaultdict(lambda: [0, 0.0])
for r, t in zip(unit, ns):
    agg[r["Kernel Name"][:110]][0] += 1
    agg[r["Kernel Name"][:110]][1] += t
for name, (c, t) in sorted(agg.items(), key=lambda kv: -kv[1][1])[:top]:
    print(f"  {t / 1e6:7.3f} ms {100 * t / sum(ns):5.1f}% x{c:4d} {name}")
