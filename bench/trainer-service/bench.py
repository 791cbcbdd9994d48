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

ds_port, tr_port, latency_rounds, throughput_rounds, steps, trainer_pid = sys.argv[1:7]
DS = "http://127.0.0.1:%s" % ds_port
TR = "http://127.0.0.1:%s" % tr_port
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
print("RESULT latency upload accepted -> job running: n=%d, p50 %.3f s, p90 %.3f s, min %.3f, max %.3f"
      % (len(latencies), statistics.median(latencies), latencies[int(0.9 * (len(latencies) - 1))],
         latencies[0], latencies[-1]), flush=True)

# 2. Throughput: the worker vs peft-core's own bench, alternating, both from a cold JVM: the bench is a fresh JVM with
# warm-up 0, and the worker is restarted before each job (production runs one job per worker JVM, a ScaledJob pod
# each), so both count the first steps' one-off costs. Same model (embedded tiny), LoRA r=8 alpha=16 on q,k,v,o,
# batch 16, lr 1e-4, `steps` updates, on the same generator's transactions (seed 1; the bench trains 512, the
# service the train split of 570 without balancing, 513).


def restart_trainer(proc):
    if proc is None:
        os.kill(int(trainer_pid), signal.SIGTERM)
    else:
        proc.terminate()
        proc.wait()
    while True:  # the port is free once the old JVM is gone
        try:
            urllib.request.urlopen("%s/q/health/live" % TR, timeout=1)
            time.sleep(0.2)
        except OSError:
            break
    fresh = subprocess.Popen(shlex.split(os.environ["BENCH_TRAINER_CMD"]), stdout=open(os.environ["BENCH_TRAINER_LOG"], "ab"),
                             stderr=subprocess.STDOUT)
    for _ in range(600):
        try:
            urllib.request.urlopen("%s/q/health/ready" % TR, timeout=1)
            return fresh
        except OSError:
            time.sleep(0.2)
    raise SystemExit("trainer-service did not restart")


tp_dataset = "bench-throughput-" + uuid.uuid4().hex[:6]
policy(tp_dataset, int(steps), 16, 1e-4, (8, ["q_proj", "k_proj", "v_proj", "o_proj"]))
service, core = [], []
trainer = None
try:
    for i in range(int(throughput_rounds)):
        out = subprocess.run(["bench/train-throughput/run.sh", steps, "0"], check=True, capture_output=True,
                             text=True).stdout
        m = re.search(r"RESULT .*: ([0-9.]+) tokens/s", out)
        core.append(float(m.group(1)))
        print("round %d peft-core bench: %s" % (i + 1, [l for l in out.splitlines() if l.startswith("RESULT")][0]),
              flush=True)
        trainer = restart_trainer(trainer)
        version = upload(tp_dataset, transactions(570, 1))["version"]
        j = None
        while j is None:
            j = job_for(tp_dataset, version)
            time.sleep(0.1)
        done = await_final(j["id"])
        # The final progress event (step == steps) carries the run's tokens/s since training started.
        events = call("GET", "%s/fine-tuning/jobs/%s/events?order=asc&limit=100" % (TR, j["id"]))["data"]
        result = done["result"]
        tps = None
        for e in reversed(events):
            if e["type"] == "training.progress" and e["data"]["step"] == int(steps):
                tps = e["data"]["tokensPerSecond"]
                break
        service.append(tps)
        print("round %d trainer-service worker (fresh JVM): %s tokens/s over %d steps (job %s, %s)"
              % (i + 1, tps, result["steps"], j["id"], done["status"]), flush=True)
finally:
    if trainer is not None:
        trainer.terminate()
print("RESULT throughput tokens/s: trainer-service worker %s (median %.0f) | peft-core bench %s (median %.0f) | ratio %.3f"
      % (["%.0f" % t for t in service], statistics.median(service), ["%.0f" % t for t in core],
         statistics.median(core), statistics.median(service) / statistics.median(core)), flush=True)
