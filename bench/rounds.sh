# Sourced by benchmark scripts (from the repository root): `rounds CONTENDER...` calls the script's own
# `run CONTENDER ROUND` for rounds FIRST_ROUND (default 1) to ROUNDS (default 3), the order rotated by one each round
# (round r starts at contender r - 1, so rounds split over several device calls keep the same order).
rounds() {
  local order=("$@") r c i
  for r in $(seq "${FIRST_ROUND:-1}" "${ROUNDS:-3}"); do
    for i in $(seq 0 $((${#order[@]} - 1))); do
      c=${order[$(((i + r - 1) % ${#order[@]}))]}
      run "$c" "$r"
    done
  done
}
