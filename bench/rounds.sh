# Sourced by benchmark scripts (from the repository root): `rounds CONTENDER...` calls the script's own
# `run CONTENDER ROUND` for ROUNDS rounds (default 3), the order rotated by one each round.
rounds() {
  local order=("$@") r c
  for r in $(seq 1 "${ROUNDS:-3}"); do
    for c in "${order[@]}"; do
      run "$c" "$r"
    done
    order=("${order[@]:1}" "${order[0]}")
  done
}
