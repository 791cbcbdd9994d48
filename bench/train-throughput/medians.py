"""Every round and the medians of the benchmark log's runs, computed from the log itself (never a best-of).
Usage: python medians.py LOG FIRST_LABEL PEER_LABEL...: ratios are FIRST's median over each peer's median and over
the faster peer's. A run's label in the log is [<label>-r<round>]; its tokens/s, load time and peaks are read from
its RESULT and PEAK lines."""
import re, statistics, sys

log, first, peers = sys.argv[1], sys.argv[2], sys.argv[3:]
runs = {}
for line in open(log):
    m = re.match(r"\[(.+)-r(\d+)\] RESULT (?!load).*?([\d.]+) tokens/s", line)
    if m:
        r = runs.setdefault(m.group(1), {}).setdefault(int(m.group(2)), {})
        r["tok/s"] = float(m.group(3))
        rss = re.search(r"host peak RSS (\d+) MiB", line)
        if rss:
            r["run peak RSS MiB"] = int(rss.group(1))
    m = re.match(r"\[(.+)-r(\d+)\] RESULT load .*?: ([\d.]+) s, .*?peak(?: RSS)? (\d+) MiB", line)
    if m:
        r = runs.setdefault(m.group(1), {}).setdefault(int(m.group(2)), {})
        r["load s"], r["load peak RSS MiB"] = float(m.group(3)), int(m.group(4))
    m = re.match(r"PEAK (.+)-r(\d+) (\d+) MiB", line)
    if m:
        runs.setdefault(m.group(1), {}).setdefault(int(m.group(2)), {})["GPU peak MiB"] = int(m.group(3))
medians = {}
print("SUMMARY (medians.py, from " + log + ")")
for label in [first] + peers:
    rounds = runs.get(label, {})
    for key in ["tok/s", "GPU peak MiB", "load s", "load peak RSS MiB", "run peak RSS MiB"]:
        vals = [rounds[r][key] for r in sorted(rounds) if key in rounds[r]]
        if vals:
            med = statistics.median(vals)
            medians[(label, key)] = med
            print(f"  {label:24s} {key:18s} rounds {' / '.join(f'{v:,.1f}' for v in vals)}; median {med:,.1f}")
base = medians.get((first, "tok/s"))
present = [p for p in peers if (p, "tok/s") in medians]
if base and present:
    for p in present:
        print(f"  ratio {first} / {p}: {base / medians[(p, 'tok/s')]:.2f}x tokens/s")
    fastest = max(present, key=lambda p: medians[(p, "tok/s")])
    print(f"  ratio {first} / the faster peer ({fastest}): {base / medians[(fastest, 'tok/s')]:.2f}x tokens/s")
    for p in present:
        if (first, "GPU peak MiB") in medians and (p, "GPU peak MiB") in medians:
            print(f"  GPU memory {first} / {p}: {medians[(first, 'GPU peak MiB')] / medians[(p, 'GPU peak MiB')]:.2f}x")
