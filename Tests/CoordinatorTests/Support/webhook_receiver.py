"""A real HTTP receiver on 127.0.0.1 for notification tests: records every request and answers as told.

Usage: webhook_receiver.py RECORD_FILE CONTROL_FILE [LIFETIME_SECONDS]

Binds a free port between 20000 and 32767 (never an ephemeral one, which other tests' sockets use) and prints
"listening PORT" once it accepts connections. Every request, whatever its method and path, is appended to
RECORD_FILE as one JSON line {"method", "path", "headers" (names in lower case), "body", "received_at",
"status"} before it is answered, so a client that got an answer (or gave up waiting) finds it recorded.

Answers are 200 "ok" unless CONTROL_FILE says otherwise. The test writes it (atomically, by rename) as
{"id": N, "responses": [{"status": 500, "body": "...", "delay_seconds": 0}, ...]}: each new id replaces the
queue, each request takes the next response, and once the queue is empty answers are 200 "ok" again.

Exits when its parent (the test process) is gone, or after LIFETIME_SECONDS (default 900).
"""
import errno
import http.server
import json
import os
import random
import socket
import sys
import threading
import time

RECORD_PATH = sys.argv[1]
CONTROL_PATH = sys.argv[2]
LIFETIME = float(sys.argv[3]) if len(sys.argv) > 3 else 900.0
LOCK = threading.Lock()
STATE = {"applied_id": None, "queue": []}


def next_response():
    """The next queued response, reading the control file again in case the test replaced the queue."""
    with LOCK:
        try:
            with open(CONTROL_PATH) as handle:
                control = json.load(handle)
        except (OSError, ValueError):
            control = None
        if control is not None and control.get("id") != STATE["applied_id"]:
            STATE["applied_id"] = control.get("id")
            STATE["queue"] = list(control.get("responses", []))
        if STATE["queue"]:
            return STATE["queue"].pop(0)
    return {"status": 200, "body": "ok"}


def record(entry):
    with LOCK:
        with open(RECORD_PATH, "a") as handle:
            handle.write(json.dumps(entry) + "\n")
            handle.flush()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length", "0") or "0")
        body = self.rfile.read(length) if length > 0 else b""
        response = next_response()
        status = int(response.get("status", 200))
        record({
            "method": self.command,
            "path": self.path,
            "headers": {name.lower(): value for name, value in self.headers.items()},
            "body": body.decode("utf-8", errors="replace"),
            "received_at": time.time(),
            "status": status,
        })
        delay = float(response.get("delay_seconds", 0))
        if delay > 0:
            time.sleep(delay)
        data = str(response.get("body", "")).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client gave up waiting, as a timeout test wants

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


def bind():
    for _ in range(200):
        port = random.randint(20000, 32767)
        try:
            return http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
    raise SystemExit("no free port between 20000 and 32767")


def watch_parent(parent):
    deadline = time.monotonic() + LIFETIME
    while os.getppid() == parent and time.monotonic() < deadline:
        time.sleep(0.5)
    os._exit(0)


server = bind()
server.daemon_threads = True
threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
print("listening", server.server_address[1], flush=True)
server.serve_forever()
