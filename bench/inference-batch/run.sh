#!/usr/bin/env bash
# Batch API throughput in inputs/s on the CPU: N transactions in one stored file classified by a batch
# (POST /v1/batches, polled until completed), side by side with the same N inputs through POST /v1/classify in requests
# of 32 (the online path at its largest pass, one client), alternating per round; the medians, their ratio and the
# load average go to a raw log under results/.
#
# Needs: the demo's services running (./peftflow demo leaves them up, the champion trained, .stack/demo-key).
#   bench/inference-batch/run.sh [ROUNDS=3] [INPUTS=2000]
# Env: GATEWAY_URL (http://127.0.0.1:8080), MODEL (transactions-lora), API_KEY (.stack/demo-key).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/bench/inference-batch
export ROUNDS=${1:-3} INPUTS=${2:-2000}
export GATEWAY_URL=${GATEWAY_URL:-http://127.0.0.1:${PEFTFLOW_GATEWAY_PORT:-8080}}
export MODEL=${MODEL:-transactions-lora}
export API_KEY=${API_KEY:-$(cat "${PEFTFLOW_STACK_DIR:-$ROOT/.stack}/demo-key")}
mkdir -p "$HERE/results"
# .txt: *.log is git-ignored, and the raw log is kept with the results.
LOG=$HERE/results/$(date -u +%Y%m%dT%H%M%SZ).txt
{
  echo "# inference batch $(date -u +%FT%TZ) rounds=$ROUNDS inputs=$INPUTS model=$MODEL"
  echo "# $(nproc) cores; git $(git -C "$ROOT" rev-parse --short HEAD)"
} | tee -a "$LOG"
python3 "$HERE/batch_bench.py" 2>&1 | tee -a "$LOG"
echo "raw log: $LOG"
