#!/usr/bin/env bash
# Makes sure the tools the test suite uses beside Node are present: python3 with pyarrow (the
# independent oracle for Parquet files) and moto_server (S3/DynamoDB). Installs pyarrow from the
# machine's local wheel index when there is one, else from PyPI. Run by `npm test` (pretest).
set -euo pipefail
PY="${PYTHON:-python3}"
if ! "$PY" -c "import pyarrow" >/dev/null 2>&1; then
  echo "ensure-test-deps: installing pyarrow for $PY" >&2
  if [ -d /opt/pypi/simple ]; then
    "$PY" -m pip install --quiet --disable-pip-version-check --index-url file:///opt/pypi/simple pyarrow
  else
    "$PY" -m pip install --quiet --disable-pip-version-check pyarrow
  fi
fi
"$PY" -c "import pyarrow, numpy" || { echo "ensure-test-deps: pyarrow is required by the tests" >&2; exit 1; }
