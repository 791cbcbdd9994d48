"""The rounds of bench/inference-batch/run.sh (its header says what and how); settings from its environment."""
import json
import os
import statistics
import time
import urllib.request
import uuid

GATEWAY = os.environ["GATEWAY_URL"] + "/v1"
KEY = os.environ["API_KEY"]
MODEL = os.environ["MODEL"]
ROUNDS = int(os.environ["ROUNDS"])
INPUTS = int(os.environ["INPUTS"])
# Each poll costs the service S3 reads on the same 2 cores: rarer polls disturb less, and cost at most one interval.
POLL_S = float(os.environ.get("POLL_S", "0.5"))
SHOPS = ["FreshMart", "CityBus", "Sushi Go", "MetroRail", "GreenGrocer", "Pasta Place", "QuickShop", "Cinema City"]
TEXTS = ["Categorise the card transaction\n\n%s #%d %d EUR" % (SHOPS[i % len(SHOPS)], i, 10 + i * 7 % 900)
         for i in range(INPUTS)]


def call(method, path, body=None, content_type="application/json"):
    request = urllib.request.Request(GATEWAY + path, data=body, method=method,
                                     headers={"Authorization": "Bearer " + KEY, "Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read())


def upload():
    lines = "".join(json.dumps({"custom_id": "b-%d" % i, "method": "POST", "url": "/v1/classify",
                                "body": {"model": MODEL, "input": t, "top_k": 1}}) + "\n" for i, t in enumerate(TEXTS))
    boundary = uuid.uuid4().hex
    body = ("--%s\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--%s\r\n"
            "Content-Disposition: form-data; name=\"file\"; filename=\"bench.jsonl\"\r\n"
            "Content-Type: application/jsonl\r\n\r\n%s\r\n--%s--\r\n" % (boundary, boundary, lines, boundary))
    return call("POST", "/files", body.encode(), "multipart/form-data; boundary=" + boundary)["id"]


def batch(file_id):
    start = time.monotonic()
    created = call("POST", "/batches", json.dumps({"input_file_id": file_id, "endpoint": "/v1/classify",
                                                   "completion_window": "24h"}).encode())
    while True:
        b = call("GET", "/batches/" + created["id"])
        if b["status"] in ("completed", "failed", "cancelled", "expired"):
            break
        time.sleep(POLL_S)
    seconds = time.monotonic() - start
    if b["status"] != "completed" or b["request_counts"]["completed"] != INPUTS:
        raise SystemExit("batch did not classify every input: %s" % json.dumps(b))
    return INPUTS / seconds


def classify():
    start = time.monotonic()
    for i in range(0, INPUTS, 32):
        answer = call("POST", "/classify", json.dumps({"model": MODEL, "inputs": TEXTS[i:i + 32], "top_k": 1}).encode())
        assert len(answer["data"]) == len(TEXTS[i:i + 32])
    return INPUTS / (time.monotonic() - start)


def load():
    return open("/proc/loadavg").read().split()[0]


file_id = upload()
print("uploaded %d inputs as %s; warm-up" % (INPUTS, file_id))
call("POST", "/classify", json.dumps({"model": MODEL, "inputs": TEXTS[:32]}).encode())
results = {"batch": [], "classify": []}
for r in range(1, ROUNDS + 1):
    for who in (("batch", "classify") if r % 2 else ("classify", "batch")):
        rate = batch(file_id) if who == "batch" else classify()
        results[who].append(rate)
        print("round %d %s inputs_per_s=%.1f load=%s" % (r, who, rate, load()), flush=True)
medians = {who: statistics.median(rates) for who, rates in results.items()}
for who, rates in results.items():
    print("MEDIAN %s over %d rounds: inputs_per_s=%.1f (rounds %s)" % (who, len(rates), medians[who],
          ", ".join("%.1f" % x for x in rates)))
print("RATIO batch/classify = %.2f" % (medians["batch"] / medians["classify"]))
