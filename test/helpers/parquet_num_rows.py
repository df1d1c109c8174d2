"""Prints {"path": num_rows} for each parquet file given on stdin (one path per line), as JSON."""
import json, sys
import pyarrow.parquet as pq

out = {}
for line in sys.stdin:
    p = line.strip()
    if not p:
        continue
    try:
        out[p] = pq.ParquetFile(p).metadata.num_rows
    except Exception as e:  # the test reports it
        out[p] = repr(e)
print(json.dumps(out))
