"""WHOIS relay on the Python 3.14 runtime.

`GET /whois?domain=example.org` asks the IANA WHOIS server over a TCP
socket (port 43); `GET /status?url=http://...` makes a plain-HTTP request
with `urllib.request`. Both use blocking standard-library networking, which
the 3.14 runtime (flag python_workers_20260610) backs with real sockets.
"""
import pty
import socket
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlparse

from workers import Response, WorkerEntrypoint

WHOIS_SERVER = ("whois.iana.org", 43)
TIMEOUT_SECONDS = 10

# `pty` (with `termios` under it) imports on Pyodide 314; nothing here opens a
# terminal, the constant only shows which descriptor a child would read.
CHILD_STDIN = pty.STDIN_FILENO


def whois(domain):
    with socket.create_connection(WHOIS_SERVER, timeout=TIMEOUT_SECONDS) as conn:
        conn.sendall(domain.encode("idna") + b"\r\n")
        chunks = []
        while chunk := conn.recv(4096):
            chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", errors="replace")


def http_status(url):
    req = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "whois-relay/0.1"})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_SECONDS) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        url = urlparse(request.url)
        query = parse_qs(url.query)

        if url.path == "/whois":
            domain = query.get("domain", [""])[0].strip().lower()
            if not domain or "." not in domain:
                return Response.json({"error": "pass ?domain=example.org"}, status=400)
            return Response(whois(domain), headers={"Content-Type": "text/plain; charset=utf-8"})

        if url.path == "/status":
            target = query.get("url", [""])[0]
            if urlparse(target).scheme != "http":
                return Response.json({"error": "pass ?url=http://host/path"}, status=400)
            return Response.json({"url": target, "status": http_status(target)})

        return Response.json({"routes": ["/whois?domain=", "/status?url="], "child_stdin": CHILD_STDIN})
