"""Serves a folder over HTTPS on 127.0.0.1 (the booted-host test's apt repository stand-ins).

Usage: python3 https-server.py FOLDER PORT CERTIFICATE KEY. Runs until stopped; logs each request.
HTTP/1.1 with keep-alive, and each connection ends with TLS's close_notify: apt 3 (OpenSSL) refuses
a connection that just stops ("unexpected eof").
"""
import functools
import http.server
import ssl
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30

    def finish(self) -> None:
        super().finish()
        try:
            self.connection.unwrap()
        except (OSError, ValueError):
            pass


def main() -> None:
    folder, port, certificate, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=folder))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
