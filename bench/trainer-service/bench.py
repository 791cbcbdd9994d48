"""Driver of bench/trainer-service/run.sh: latency rounds, then alternating throughput rounds (see run.sh)."""
import json
import os
import re
import shlex
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid

ds_port, tr_port, worker_port, latency_rounds, throughput_rounds, steps, worker_pid = sys.argv[1:8]
DS = "http://127.0.0.1:%s" % ds_port
TR = "http://127.0.0.1:%s" % tr_port
WORKER = "http://127.0.0.1:%s" % worker_port
TENANT = "bench"


def call(method, url, body=None, content_type="application/json"):
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method, headers={"X-Tenant": TENANT})
    if data is not None:
        req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req, timeout=60) as r:
        text = r.read().decode()
        return json.loads(text) if text else None


def transactions(n, seed):
    """The generated sample data (peft-data's TransactionDataset) through its CLI: the same lines the demo uploads."""
    out = "target/bench-trainer/tx-%d-%d.jsonl" % (n, seed)
    subprocess.run(["java", "-cp", classpath(), "io.peftflow.data.sample.TransactionDataset", out, str(n), str(seed)],
                   check=True, stdout=subprocess.DEVNULL)
    return open(out, "rb").read()


_cp = None


def classpath():
    global _cp
    if _cp is None:
        subprocess.run(["./mvnw", "-B", "-o", "-q", "-pl", "peft-data", "dependency:build-classpath",
                        "-Dmdep.outputFile=" + os.path.abspath("target/bench-trainer/peft-data.cp")], check=True,
                       stdout=subprocess.DEVNULL)
        _cp = "peft-data/target/classes:" + open("target/bench-trainer/peft-data.cp").read().strip()
    return _cp


def policy(dataset, max_steps, batch, lr, r_targets):
    r, targets = r_targets
    call("PUT", "%s/fine-tuning/policies/%s" % (TR, dataset), json.dumps({
        "model": "tiny-llama",
        "method": {"type": "lora", "hyperparameters": {"r": r, "lora_alpha": 2 * r, "target_modules": targets}},
        "training": {"max_steps": max_steps, "batch_size": batch, "learning_rate": lr,
                     "checkpoint_every_steps": max_steps},
        "min_new_examples": 0, "debounce_seconds": 0}))


def upload(dataset, body):
    return call("POST", "%s/datasets/%s/versions?on_invalid=drop" % (DS, dataset), body, "application/x-ndjson")


def job_for(dataset, version):
    page = call("GET", "%s/fine-tuning/jobs?dataset=%s&limit=5" % (TR, dataset))
    for j in page["data"]:
        if j["dataset"]["version"] == version:
            return j
    return None


def await_final(job_id, timeout=600):
    end = time.time() + timeout
    while time.time() < end:
        j = call("GET", "%s/fine-tuning/jobs/%s" % (TR, job_id))
        # "trained": the adapter is stored; registration (no registry runs here) is not the trainer's time.
        if j["status"] in ("trained", "succeeded", "failed", "cancelled"):
            return j
        time.sleep(0.2)
    raise SystemExit("job %s did not finish" % job_id)


# 1. Upload accepted -> job running.
dataset = "bench-latency-" + uuid.uuid4().hex[:6]
policy(dataset, 2, 4, 0.01, (4, ["q_proj", "v_proj"]))
latencies = []
for i in range(int(latency_rounds)):
    body = transactions(60, 100 + i)
    version = upload(dataset, body)["version"]
    accepted = time.time()
    running = None
    while running is None:
        j = job_for(dataset, version)
        if j is not None and j["status"] in ("running", "trained", "succeeded"):
            running = time.time()
        else:
            time.sleep(0.01)
    latencies.append(running - accepted)
    print("latency round %2d: upload accepted -> job running %.3f s" % (i + 1, running - accepted), flush=True)
    await_final(j["id"])
latencies.sort()
if latencies:
    print("RESULT latency upload accepted -> job running: n=%d, p50 %.3f s, p90 %.3f s, min %.3f, max %.3f"
          % (len(latencies), statistics.median(latencies), latencies[int(0.9 * (len(latencies) - 1))],
             latencies[0], latencies[-1]), flush=True)

if int(throughput_rounds) == 0:
    sys.exit(0)

# 2. Throughput: the worker vs peft-core alone, on the same examples. One uploaded version (no policy on it); each
# round runs peft-core's TrainCommand (the same TrainingRun the worker calls, in a plain JVM) on that version's splits
# as downloaded from dataset-service, and posts the same recipe as a job to a worker restarted for it (production runs
# one job per worker JVM, a ScaledJob pod each). Both start cold; the order alternates by round. Same model (embedded
# tiny), LoRA r=8 alpha=16 on q,k,v,o, batch 16, lr 1e-4, no warm-up, seed 42, no evaluation or checkpoint inside
# the measured steps. Tokens/s is peft-core's StepProgress at the last step in both, so the same data and seed give
# the same tokens and the same final loss, and the tokens/s ratio is the inverse ratio of training time.
HYPERPARAMETERS = {"r": 8, "lora_alpha": 16, "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj"]}
SEED = 42


def restart_worker(proc):
    if proc is None:
        os.kill(int(worker_pid), signal.SIGTERM)
    else:
        proc.terminate()
        proc.wait()
    while True:  # the port is free once the old JVM is gone
        try:
            urllib.request.urlopen("%s/q/health/live" % WORKER, timeout=1)
            time.sleep(0.2)
        except OSError:
            break
    fresh = subprocess.Popen(shlex.split(os.environ["BENCH_WORKER_CMD"]), stdout=open(os.environ["BENCH_WORKER_LOG"], "ab"),
                             stderr=subprocess.STDOUT)
    for _ in range(600):
        try:
            urllib.request.urlopen("%s/q/health/ready" % WORKER, timeout=1)
            return fresh
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the worker did not restart")


def download_split(dataset, version, split):
    path = os.path.abspath("target/bench-trainer/%s-v%d-%s.jsonl" % (dataset, version, split))
    req = urllib.request.Request("%s/datasets/%s/versions/%d/splits/%s" % (DS, dataset, version, split),
                                 headers={"X-Tenant": TENANT})
    with urllib.request.urlopen(req, timeout=60) as r, open(path, "wb") as f:
        f.write(r.read())
    return path


TICKS = os.sysconf("SC_CLK_TCK")
# Thread names (Linux comm, 15 characters): the thread that runs TrainingRun ("java" is TrainCommand's main thread) and
# the OpenMP threads it starts, which inherit its name; the JIT compilers; the rest of the JVM (GC, VM threads).
TRAINING_THREADS = ("java", "trainer-worker", "main")
JIT_THREADS = ("C1 CompilerThre", "C2 CompilerThre")
JVM_THREADS = ("GC Thread", "G1 ", "VM Thread", "VM Periodic Tas", "Sweeper thread", "Service Thread", "Monitor Deflati",
               "Notification Th", "Signal Dispatch", "Reference Handl", "Finalizer", "Common-Cleaner")


def thread_cpu(pid):
    """CPU seconds so far of a live process's threads, by group: training, jit, jvm, service (every other thread:
    HTTP, Kafka, database pool, heartbeat, outbox relay, scheduler). Threads that already ended are not counted."""
    groups = {"training": 0.0, "jit": 0.0, "jvm": 0.0, "service": 0.0, "by_name": {}}
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return None
    for tid in tids:
        try:
            stat = open("/proc/%d/task/%s/stat" % (pid, tid)).read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        seconds = (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
        group = ("training" if name in TRAINING_THREADS else "jit" if name in JIT_THREADS
                 else "jvm" if name.startswith(JVM_THREADS) else "service")
        groups[group] += seconds
        if group == "service":
            key = re.sub(r"[-#]?\d+$", "", name)  # a pool's threads under one name
            groups["by_name"][key] = groups["by_name"].get(key, 0.0) + seconds
    return groups


def cpu_delta(before, after):
    delta = {k: after[k] - before[k] for k in ("training", "jit", "jvm", "service")}
    delta["by_name"] = {k: v - before["by_name"].get(k, 0.0) for k, v in after["by_name"].items()}
    return delta


def run_core(train, validation, out):
    """peft-core's TrainCommand in a fresh JVM; (tokens/s, loss) of its last step's progress line, and its threads'
    CPU seconds over its whole life (read every 0.1 s; the last reading before it exits)."""
    cmd = shlex.split(os.environ["BENCH_CORE_CMD"]) + [
        "--method", "lora", "--hyperparameters", json.dumps(HYPERPARAMETERS), "--steps", steps, "--batch", "16",
        "--lr", "1e-4", "--warmup", "0", "--eval-every", "0", "--checkpoint-every", "0", "--seed", str(SEED),
        "--device", "cpu", "--model-id", "tiny-llama", "--train", train, "--validation", validation, "--out", out]
    log = open(out + ".log", "w+")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.DEVNULL, text=True)
    cpu = None
    while proc.poll() is None:
        reading = thread_cpu(proc.pid)  # an exited, unreaped JVM shows its launcher thread alone: keep the largest
        if reading and (cpu is None or reading["training"] >= cpu["training"]):
            cpu = reading
        time.sleep(0.1)
    if proc.returncode != 0:
        raise SystemExit("TrainCommand failed, see %s.log" % out)
    log.seek(0)
    m = re.search(r"^step %s/%s epoch \d+ loss ([0-9.]+) lr \S+ ([0-9.]+) tok/s" % (steps, steps), log.read(), re.M)
    return float(m.group(2)), float(m.group(1)), cpu


def run_service(dataset, version, worker):
    """A job with the same recipe on a restarted worker; (tokens/s, loss) of its last step's progress event, and the
    worker's threads' CPU seconds from the job's creation to its success."""
    worker = restart_worker(worker)
    pid = int(worker_pid) if worker is None else worker.pid
    before = thread_cpu(pid)
    job = call("POST", "%s/fine-tuning/jobs" % TR, json.dumps({
        "dataset": dataset, "dataset_version": version, "model": "tiny-llama", "seed": SEED,
        "method": {"type": "lora", "hyperparameters": HYPERPARAMETERS},
        "training": {"max_steps": int(steps), "batch_size": 16, "learning_rate": 1e-4, "warmup_steps": 0,
                     "checkpoint_every_steps": int(steps)}}))
    done = await_final(job["id"])
    cpu = cpu_delta(before, thread_cpu(pid))
    if done["status"] not in ("trained", "succeeded"):
        raise SystemExit("job %s %s" % (job["id"], done["status"]))
    events = call("GET", "%s/fine-tuning/jobs/%s/events?order=asc&limit=100" % (TR, job["id"]))["data"]
    last = [e["data"] for e in events if e["type"] == "training.progress" and e["data"]["step"] == int(steps)][-1]
    return (last["tokensPerSecond"], last["trainLoss"], cpu), worker


def cpu_text(cpu):
    top = sorted(cpu["by_name"].items(), key=lambda kv: -kv[1])[:4]
    return "CPU s: training %.1f, jit %.1f, jvm %.1f, service %.2f (%s)" % (
        cpu["training"], cpu["jit"], cpu["jvm"], cpu["service"], ", ".join("%s %.2f" % kv for kv in top))


tp_dataset = "bench-throughput-" + uuid.uuid4().hex[:6]
tp_version = upload(tp_dataset, transactions(570, 1))["version"]
train_file = download_split(tp_dataset, tp_version, "train")
validation_file = download_split(tp_dataset, tp_version, "validation")
print("throughput data: %s v%d, train split %d lines" % (tp_dataset, tp_version, sum(1 for _ in open(train_file))),
      flush=True)
service, core, service_cpu = [], [], []
worker = None
try:
    for i in range(int(throughput_rounds)):
        for which in (("core", "service") if i % 2 == 0 else ("service", "core")):
            if which == "core":
                tps, loss, cpu = run_core(train_file, validation_file,
                                          os.path.abspath("target/bench-trainer/core-%d" % i))
                core.append(tps)
                label = "peft-core TrainCommand (fresh JVM, whole process)"
            else:
                (tps, loss, cpu), worker = run_service(tp_dataset, tp_version, worker)
                service.append(tps)
                service_cpu.append(cpu)
                label = "trainer-service worker (fresh JVM, job created -> succeeded)"
            print("round %d %s: %.0f tokens/s over %s steps, last-step loss %.4f; %s"
                  % (i + 1, label, tps, steps, loss, cpu_text(cpu)), flush=True)
finally:
    if worker is not None:
        worker.terminate()
pairs = [s / c for s, c in zip(service, core)]
print("RESULT throughput tokens/s over %s steps: trainer-service worker %s (median %.0f) | peft-core TrainCommand %s"
      " (median %.0f) | worker/peft-core: ratio of medians %.3f, per round %s (median %.3f)"
      % (steps, ["%.0f" % t for t in service], statistics.median(service), ["%.0f" % t for t in core],
         statistics.median(core), statistics.median(service) / statistics.median(core),
         ["%.3f" % p for p in pairs], statistics.median(pairs)), flush=True)
shares = [c["service"] / c["training"] for c in service_cpu]
print("RESULT worker's service threads (HTTP, Kafka, pool, heartbeat, outbox) per training-thread CPU second: %s"
      " (median %.4f)" % (["%.4f" % x for x in shares], statistics.median(shares)), flush=True)
