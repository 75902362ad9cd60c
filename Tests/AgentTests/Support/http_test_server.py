"""A real HTTP server on 127.0.0.1 for the agent's tests: health endpoints whose answers the test flips,
slow answers, truncated bodies and files served as they are (such as captured /metrics pages).

Prints "listening PORT" on stdout once bound. Routes:
  GET /status/<code>?body=<text>   answers <code> with <text>
  GET /slow/<seconds>              answers 200 after <seconds>
  GET /truncated                   promises 1000 bytes, sends 10, closes
  GET /file/<name>                 serves <root>/<name> as text/plain; version=0.0.4
  GET /flip/<name>                 answers with the status last set by PUT /flip/<name>/<code> (default 200)
  POST /record/<name>              answers 202 "recorded" and keeps the method, X-Vigil-Test header and body
  GET /recorded/<name>             answers with what POST /record/<name> kept, as "METHOD HEADER BODY" lines
"""
import http.server
import os
import sys
import threading
import time
import urllib.parse

ROOT = sys.argv[1] if len(sys.argv) > 1 else "."
FLIPS = {}
RECORDS = {}
LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, code, body, content_type="text/plain"):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode(errors="replace")
        parts = self.path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "record":
            with LOCK:
                RECORDS.setdefault(parts[1], []).append(
                    "%s %s %s" % (self.command, self.headers.get("X-Vigil-Test", "-"), body))
            self.answer(202, "recorded")
            return
        self.answer(200, "posted:" + body)

    def do_PUT(self):
        parts = self.path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "flip":
            with LOCK:
                FLIPS[parts[1]] = int(parts[2])
            self.answer(204, "")
        else:
            self.answer(404, "no such route")

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        parts = url.path.strip("/").split("/")
        query = urllib.parse.parse_qs(url.query)
        if parts[0] == "status" and len(parts) == 2:
            self.answer(int(parts[1]), query.get("body", ["status " + parts[1]])[0])
        elif parts[0] == "slow" and len(parts) == 2:
            time.sleep(float(parts[1]))
            self.answer(200, "slow")
        elif parts[0] == "truncated":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"# HELP up ")
            self.wfile.flush()
            self.close_connection = True
        elif parts[0] == "file" and len(parts) == 2:
            path = os.path.join(ROOT, os.path.basename(parts[1]))
            try:
                with open(path) as handle:
                    self.answer(200, handle.read(), "text/plain; version=0.0.4")
            except OSError:
                self.answer(404, "no such file")
        elif parts[0] == "recorded" and len(parts) == 2:
            with LOCK:
                lines = list(RECORDS.get(parts[1], []))
            self.answer(200, "\n".join(lines))
        elif parts[0] == "flip" and len(parts) == 2:
            with LOCK:
                code = FLIPS.get(parts[1], 200)
            self.answer(code, "flip " + str(code))
        else:
            self.answer(404, "no such route")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print("listening", server.server_address[1], flush=True)
server.serve_forever()
