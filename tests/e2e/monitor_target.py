"""A controllable HTTP target on 127.0.0.1 for monitor tests.

`Target.script(...)` queues the responses of the next requests ("ok",
"500", "slow", "nokeyword", "close"); when the queue is empty the target
answers with its `mode`. Every request is counted, so a test can wait for
"N more checks happened" instead of sleeping.
"""

import http.server
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

KEYWORD = "all-systems-go"


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _answer(self):
        target = self.server.target
        kind = target._next()
        target._count()
        if kind == "slow":
            time.sleep(target.slow_s)
            kind = "ok"
        if kind in ("loop", "redirect"):
            # "loop" redirects to itself forever; "redirect" hops once.
            where = self.path if kind == "loop" else "/health?redirected"
            if kind == "redirect" and "redirected" in self.path:
                kind = "ok"
            else:
                self.send_response(302)
                self.send_header("Location", where)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        if kind == "close":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        status = 500 if kind == "500" else 503 if kind == "503" else 200
        body = (b"fine, but no magic word" if kind == "nokeyword"
                else f"<p>{KEYWORD}</p>".encode())
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = _answer


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Target:
    def __init__(self, tls_cert=None):
        self.mode = "ok"
        self.slow_s = 2.0
        self.queue = []
        self.requests = 0
        self.lock = threading.Lock()
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.target = self
        scheme = "http"
        if tls_cert:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(tls_cert[0], tls_cert[1])
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
            scheme = "https"
        self.port = self.httpd.server_address[1]
        self.url = f"{scheme}://127.0.0.1:{self.port}/health"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def _next(self):
        with self.lock:
            return self.queue.pop(0) if self.queue else self.mode

    def _count(self):
        with self.lock:
            self.requests += 1

    def script(self, *kinds):
        with self.lock:
            self.queue.extend(kinds)

    def set(self, mode):
        with self.lock:
            self.mode = mode
            self.queue.clear()

    def count(self):
        with self.lock:
            return self.requests

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def self_signed_cert(directory, days):
    """A self-signed certificate for 127.0.0.1 valid for `days` days."""
    d = Path(directory)
    key, crt = d / "key.pem", d / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", str(key), "-out", str(crt), "-days", str(days),
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return str(crt), str(key)
