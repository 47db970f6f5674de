#!/usr/bin/env python3
"""A misbehaving HTTP peer on 127.0.0.1 for the e2e tests.

faulty_peer.py MODE PORT_FILE: listens on a free port, writes it to PORT_FILE,
and answers every request (after reading its headers) by MODE:
  silent   never answers (keeps the connection open)
  trickle  a valid 200 answer, one byte per second
  endless  200 with a chunked body that never ends
  huge     200 with Content-Length: 2147483648, then bytes forever
Each connection counts: the number accepted so far is in PORT_FILE.count.
"""
import os
import socket
import sys
import threading
import time

mode, port_file = sys.argv[1], sys.argv[2]
accepted = 0
lock = threading.Lock()


def serve(conn):
    with conn:
        request = b""
        while b"\r\n\r\n" not in request:
            data = conn.recv(4096)
            if not data:
                return
            request += data
        filler = b"x" * 65536
        try:
            if mode == "silent":
                while conn.recv(4096):
                    pass
            elif mode == "trickle":
                answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
                for byte in answer:
                    time.sleep(1)
                    conn.sendall(bytes([byte]))
            elif mode == "endless":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                chunk = b"%x\r\n" % len(filler) + filler + b"\r\n"
                while True:
                    conn.sendall(chunk)
            elif mode == "huge":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2147483648\r\n\r\n")
                while True:
                    conn.sendall(filler)
        except OSError:
            pass  # the client hung up, as it should


def main():
    global accepted
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    with open(port_file + ".tmp", "w") as out:
        out.write(str(server.getsockname()[1]))
    os.rename(port_file + ".tmp", port_file)
    while True:
        conn, _ = server.accept()
        with lock:
            accepted += 1
            with open(port_file + ".count", "w") as out:
                out.write(str(accepted))
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


main()
