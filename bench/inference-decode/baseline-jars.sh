#!/usr/bin/env bash
# Writes peft-core's main classes at COMMIT as OUT/peft-core.jar (default OUT: .bench-base, git-ignored) for
# gpu-decode.sh's `base` contender: an earlier commit's decode path run by the current DecodeBench, ahead of the same
# dependencies (.bench-cp), so a change is A/B-tested in one machine session. Carry OUT with .bench-cp.
# Usage: bash bench/inference-decode/baseline-jars.sh COMMIT [OUT]
set -euo pipefail
cd "$(dirname "$0")/../.."
commit=$1
out=$(realpath -m "${2:-.bench-base}")
tree=$(mktemp -d)
git worktree add --detach "$tree" "$commit" > /dev/null
trap 'git worktree remove --force "$tree"' EXIT
(cd "$tree" && ./mvnw -B -q -pl peft-core -am package -DskipTests)
rm -rf "$out" && mkdir -p "$out"
(cd "$tree/peft-core/target/classes" && jar cf "$out/peft-core.jar" .)
echo "$out/peft-core.jar: peft-core at $(git rev-parse --short "$commit")"
