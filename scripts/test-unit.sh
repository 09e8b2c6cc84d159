#!/usr/bin/env bash
# Unit + API tests (vitest projects). A run that has not finished after TEST_UNIT_TIMEOUT_S (45
# minutes by default; a healthy run takes 5–15 on a loaded 2-core machine) is killed and fails:
# `timeout` runs vitest in a process group of its own and signals only that group, so vitest's
# fork workers go with it and nothing else on the machine is touched. No silent rerun — see
# docs/decisions/0004-tests-on-two-databases.md for the hang this used to paper over.
set -uo pipefail
limit_s="${TEST_UNIT_TIMEOUT_S:-2700}"
timeout --signal=KILL "$limit_s" node node_modules/vitest/vitest.mjs run "$@"
code=$?
if [ "$code" -eq 137 ]; then
  echo "::error:: vitest did not finish within ${limit_s} s and was killed (its own process group only)." >&2
fi
exit "$code"
