"""Applications serving traffic, as their Prometheus pages show it: one page per application whose request
and error counters grow by REQUESTS_PER_SECOND each second, with an error ratio the test sets.

Prints "listening PORT" on stdout once bound. Routes:
  GET /metrics/<app>                      the application's page (the app exists once named)
  PUT /apps/<app>/error_ratio/<ratio>     from now on, this share of its requests fail
"""
import http.server
import sys
import threading
import time

REQUESTS_PER_SECOND = 200
APPS = {}
LOCK = threading.Lock()


def app(name):
    return APPS.setdefault(name, {"requests": 0.0, "errors": 0.0, "ratio": 0.0})


def advance():
    while True:
        time.sleep(0.1)
        with LOCK:
            for state in APPS.values():
                step = REQUESTS_PER_SECOND / 10
                state["requests"] += step
                state["errors"] += step * state["ratio"]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, code, body):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if len(parts) != 2 or parts[0] != "metrics":
            return self.answer(404, "no such route")
        with LOCK:
            state = dict(app(parts[1]))
        page = (
            "# TYPE http_requests_total counter\n"
            f'http_requests_total{{code="200"}} {int(state["requests"] - state["errors"])}\n'
            f'http_requests_total{{code="500"}} {int(state["errors"])}\n'
        )
        self.answer(200, page)

    def do_PUT(self):
        parts = self.path.strip("/").split("/")
        if len(parts) != 4 or parts[0] != "apps" or parts[2] != "error_ratio":
            return self.answer(404, "no such route")
        with LOCK:
            app(parts[1])["ratio"] = float(parts[3])
        self.answer(200, "ok")


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=advance, daemon=True).start()
    print(f"listening {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
