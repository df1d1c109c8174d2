"""
moto's server with one request at a time: moto's backends check a condition and then write
(DynamoDB's PutItem with a ConditionExpression, S3's If-None-Match put) without a lock, so under
a threaded server two concurrent conditional writes can both succeed, which real S3 and DynamoDB
never allow. The commit-race tests depend on that exclusivity; this runs moto's own WSGI app
behind one lock (connections are still threaded, so keep-alive clients do not block each other).

    python3 moto_serialized.py -H 127.0.0.1 -p 0
"""
import argparse
import threading

from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

parser = argparse.ArgumentParser()
parser.add_argument("-H", "--host", default="127.0.0.1")
parser.add_argument("-p", "--port", type=int, default=0)
args = parser.parse_args()

app = DomainDispatcherApplication(create_backend_app)
lock = threading.Lock()


def serialized(environ, start_response):
    with lock:
        # moto's responses are bodies in memory: materialise them under the lock
        return list(app(environ, start_response))


run_simple(args.host, args.port, serialized, threaded=True)
