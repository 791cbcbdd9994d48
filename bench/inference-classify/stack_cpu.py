#!/usr/bin/env python3
"""CPU seconds the demo stack's processes used between two snapshots, to say where a round's CPU went.

  stack_cpu.py snapshot STACK_DIR > FILE     the counters now (JSON)
  stack_cpu.py since STACK_DIR FILE          one line: "cpu_s" seconds per process since FILE and the machine's busy
                                             total (wrk and everything else included), then "jit_s" the seconds of
                                             each JVM's JIT compiler threads

Processes: each pid file under STACK_DIR/pids (the services, Kafka, s3proxy) and every process named postgres.
"""
import glob, json, os, sys

HZ = os.sysconf("SC_CLK_TCK")


def ticks(stat_line):
    f = stat_line[stat_line.rindex(")") + 2:].split()
    return int(f[11]) + int(f[12])


def snapshot(stack):
    procs, jit = {}, {}
    for pidfile in glob.glob(os.path.join(stack, "pids", "*.pid")):
        name = os.path.basename(pidfile)[:-4]
        try:
            pid = open(pidfile).read().strip()
            procs[name] = ticks(open(f"/proc/{pid}/stat").read())
        except (OSError, ValueError):
            continue
        jit[name] = 0
        for task in glob.glob(f"/proc/{pid}/task/*/stat"):
            try:
                s = open(task).read()
            except OSError:  # a thread that ended meanwhile
                continue
            if s[s.index("(") + 1:s.rindex(")")].startswith(("C1 CompilerThre", "C2 CompilerThre")):
                jit[name] += ticks(s)
    procs["postgres"] = 0
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            s = open(stat).read()
        except OSError:
            continue
        if s[s.index("(") + 1:s.rindex(")")] == "postgres":
            procs["postgres"] += ticks(s)
    cpu = open("/proc/stat").readline().split()[1:]
    busy = sum(int(v) for v in cpu) - int(cpu[3]) - int(cpu[4])  # all but idle and iowait
    return {"procs": procs, "jit": jit, "busy": busy}


def since(stack, before):
    now = snapshot(stack)
    spent = {n: (t - before["procs"].get(n, t)) / HZ for n, t in now["procs"].items()}
    jit = {n: (t - before["jit"].get(n, t)) / HZ for n, t in now["jit"].items()}
    def line(seconds):
        return " ".join(f"{n}={s:.2f}" for n, s in sorted(seconds.items(), key=lambda kv: -kv[1]) if s >= 0.01)
    return f"cpu_s {line(spent)} machine={(now['busy'] - before['busy']) / HZ:.2f} jit_s {line(jit)}"


if __name__ == "__main__":
    if sys.argv[1] == "snapshot":
        print(json.dumps(snapshot(sys.argv[2])))
    else:
        print(since(sys.argv[2], json.load(open(sys.argv[3]))))
