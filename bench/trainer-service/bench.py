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
sys.path.insert(0, ".")


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
        if j["status"] in ("succeeded", "failed", "cancelled"):
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
        if j is not None and j["status"] in ("running", "succeeded"):
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


def run_core(train, validation, out):
    """peft-core's TrainCommand in a fresh JVM; (tokens/s, loss) of its last step's progress line."""
    cmd = shlex.split(os.environ["BENCH_CORE_CMD"]) + [
        "--method", "lora", "--hyperparameters", json.dumps(HYPERPARAMETERS), "--steps", steps, "--batch", "16",
        "--lr", "1e-4", "--warmup", "0", "--eval-every", "0", "--checkpoint-every", "0", "--seed", str(SEED),
        "--device", "cpu", "--model-id", "tiny-llama", "--train", train, "--validation", validation, "--out", out]
    text = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    m = re.search(r"^step %s/%s epoch \d+ loss ([0-9.]+) lr \S+ ([0-9.]+) tok/s" % (steps, steps), text, re.M)
    return float(m.group(2)), float(m.group(1))


def run_service(dataset, version, worker):
    """A job with the same recipe on a restarted worker; (tokens/s, loss) of its last step's progress event."""
    worker = restart_worker(worker)
    job = call("POST", "%s/fine-tuning/jobs" % TR, json.dumps({
        "dataset": dataset, "dataset_version": version, "model": "tiny-llama", "seed": SEED,
        "method": {"type": "lora", "hyperparameters": HYPERPARAMETERS},
        "training": {"max_steps": int(steps), "batch_size": 16, "learning_rate": 1e-4, "warmup_steps": 0,
                     "checkpoint_every_steps": int(steps)}}))
    done = await_final(job["id"])
    if done["status"] != "succeeded":
        raise SystemExit("job %s %s" % (job["id"], done["status"]))
    events = call("GET", "%s/fine-tuning/jobs/%s/events?order=asc&limit=100" % (TR, job["id"]))["data"]
    last = [e["data"] for e in events if e["type"] == "training.progress" and e["data"]["step"] == int(steps)][-1]
    return (last["tokensPerSecond"], last["trainLoss"]), worker


tp_dataset = "bench-throughput-" + uuid.uuid4().hex[:6]
tp_version = upload(tp_dataset, transactions(570, 1))["version"]
train_file = download_split(tp_dataset, tp_version, "train")
validation_file = download_split(tp_dataset, tp_version, "validation")
print("throughput data: %s v%d, train split %d lines" % (tp_dataset, tp_version, sum(1 for _ in open(train_file))),
      flush=True)
service, core = [], []
worker = None
try:
    for i in range(int(throughput_rounds)):
        for which in (("core", "service") if i % 2 == 0 else ("service", "core")):
            if which == "core":
                tps, loss = run_core(train_file, validation_file, os.path.abspath("target/bench-trainer/core-%d" % i))
                core.append(tps)
                label = "peft-core TrainCommand (fresh JVM)"
            else:
                (tps, loss), worker = run_service(tp_dataset, tp_version, worker)
                service.append(tps)
                label = "trainer-service worker (fresh JVM)"
            print("round %d %s: %.0f tokens/s over %s steps, last-step loss %.4f" % (i + 1, label, tps, steps, loss),
                  flush=True)
finally:
    if worker is not None:
        worker.terminate()
pairs = [s / c for s, c in zip(service, core)]
print("RESULT throughput tokens/s over %s steps: trainer-service worker %s (median %.0f) | peft-core TrainCommand %s"
      " (median %.0f) | worker/peft-core: ratio of medians %.3f, per round %s (median %.3f)"
      % (steps, ["%.0f" % t for t in service], statistics.median(service), ["%.0f" % t for t in core],
         statistics.median(core), statistics.median(service) / statistics.median(core),
         ["%.3f" % p for p in pairs], statistics.median(pairs)), flush=True)
