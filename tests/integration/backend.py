"""A small HTTP/1.1 application server used behind mod_proxy.

Routes:
  /set/chunked   200, Transfer-Encoding: chunked, the ALL_SET cookies
  /set/length    200, Content-Length, the ALL_SET cookies
  /set/notfound  404 with Content-Length, the ALL_SET cookies
  /set/query?n=NAME[&n=NAME...]  200, one "NAME=v; Path=/" per n
  /echo          200 JSON {"cookie": [every Cookie header received, in order]}
  /page/NAME     whatever PAGES[NAME] says: tests register pages at run time (the backend runs in
                 the pytest process), e.g. HTML with or without Content-Length, gzip-encoded...
"""
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cc_helpers import ALL_SET


# NAME -> {"status": 200, "headers": [(k, v)...], "body": bytes, "chunked": bool, "chunk": 7}
PAGES = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ccbackend/1"

    def log_message(self, fmt, *args):  # keep the test output quiet
        pass

    def _send(self, status, cookies, body, chunked=False, ctype="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for c in cookies:
            self.send_header("Set-Cookie", c)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "HEAD":
            return
        if chunked:
            for i in range(0, len(body), 7):
                piece = body[i:i + 7]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(body)
        self.wfile.flush()

    def _send_page(self, page):
        body = page["body"]
        chunked = page.get("chunked", False)
        self.send_response(page.get("status", 200))
        for k, v in page.get("headers", []):
            self.send_header(k, v)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "HEAD":
            return
        if chunked:
            step = page.get("chunk", 7)
            for i in range(0, len(body), step):
                piece = body[i:i + step]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(body)
        self.wfile.flush()

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        if u.path == "/set/chunked":
            self._send(200, ALL_SET, b"chunked body from the backend\n", chunked=True)
        elif u.path == "/set/length":
            self._send(200, ALL_SET, b"length body from the backend\n")
        elif u.path == "/set/notfound":
            self._send(404, ALL_SET, b"not here\n")
        elif u.path == "/set/query":
            names = urllib.parse.parse_qs(u.query).get("n", [])
            self._send(200, ["%s=v; Path=/" % n for n in names], b"query\n")
        elif u.path.startswith("/page/") and u.path[6:] in PAGES:
            self._send_page(PAGES[u.path[6:]])
        elif u.path == "/echo":
            body = json.dumps({"cookie": self.headers.get_all("Cookie") or []}).encode()
            self._send(200, [], body, ctype="application/json")
        else:
            self._send(404, [], b"no route\n")

    do_HEAD = do_GET


class Backend:
    def __init__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
