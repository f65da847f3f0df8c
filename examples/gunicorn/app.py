# SPDX-License-Identifier: MIT
"""The smallest WSGI application, for the gunicorn example."""


def app(environ, start_response):
    body = b"hello from a worker loopprobe let start\n"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
