#!/usr/bin/env python3
"""Holds N streaming requests open through `switchyard serve` at once, against one slow
upstream, and reports how many were in flight together, time to first byte, completion and
the gateway's peak RSS and CPU.

The upstream (asyncio, on loopback) answers every chat request with 10 SSE events 500 ms apart,
then a usage chunk and [DONE] (about 5 s per stream), like a model generating slowly.

Usage: bench/concurrent-streams.py [--streams 500] [--binary build-bench/app/switchyard]
"""
import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time

CHUNK = ('data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"slow",'
         '"choices":[{"index":0,"delta":{"content":"tok "},"finish_reason":null}],"usage":null}\n\n')
FINISH = ('data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"slow",'
          '"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}\n\n')
USAGE = ('data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"slow","choices":[],'
         '"usage":{"prompt_tokens":10,"completion_tokens":10,"total_tokens":20}}\n\n')


class Upstream:
    def __init__(self):
        self.open_now = 0
        self.open_peak = 0

    async def handle(self, reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                await reader.readexactly(length)
                self.open_now += 1
                self.open_peak = max(self.open_peak, self.open_now)
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                             b"Transfer-Encoding: chunked\r\n\r\n")
                for _ in range(10):
                    await asyncio.sleep(0.5)
                    self.chunk(writer, CHUNK)
                    await writer.drain()
                self.chunk(writer, FINISH + USAGE + "data: [DONE]\n\n")
                writer.write(b"0\r\n\r\n")
                await writer.drain()
                self.open_now -= 1
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            writer.close()

    @staticmethod
    def chunk(writer, text):
        data = text.encode()
        writer.write(b"%x\r\n%s\r\n" % (len(data), data))


async def client(port, key, results):
    started = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    body = json.dumps({"model": "slow", "stream": True,
                       "messages": [{"role": "user", "content": "go"}]}).encode()
    writer.write(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Authorization: Bearer %s\r\nContent-Length: %d\r\n\r\n%s" % (key.encode(), len(body), body))
    await writer.drain()
    first = None
    received = b""
    while not received.endswith(b"0\r\n\r\n"):
        data = await reader.read(65536)
        if not data:
            break
        if first is None and b"tok" in data:
            first = time.monotonic() - started
        received += data
    writer.close()
    results.append((first, time.monotonic() - started, b"[DONE]" in received))


def rss_and_cpu(pid):
    with open(f"/proc/{pid}/status") as status:
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return rss / 1024, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--streams", type=int, default=500)
    parser.add_argument("--binary", default=os.path.join(os.path.dirname(__file__), "..", "build", "app", "switchyard"))
    args = parser.parse_args()

    upstream = Upstream()
    server = await asyncio.start_server(upstream.handle, "127.0.0.1", 0, backlog=2048)
    upstream_port = server.sockets[0].getsockname()[1]
    work = tempfile.mkdtemp(prefix="switchyard-streams.")
    workspace = os.path.join(work, "workspace.json")
    with open(workspace, "w") as out:
        json.dump({"version": 1,
                   "providers": [{"id": "upstream", "preset": "custom", "credentialRef": "",
                                  "baseUrl": f"http://127.0.0.1:{upstream_port}/v1"}],
                   "routes": [{"name": "slow", "targets": ["upstream/slow"]}]}, out)
    key = subprocess.run([args.binary, "keys", "local", "create", "bench", "--config", workspace],
                         check=True, capture_output=True, text=True).stdout.strip()
    with FreePort() as port:
        pass
    gateway = subprocess.Popen([args.binary, "serve", "--config", workspace, "--listen", f"127.0.0.1:{port}",
                                "--data-dir", os.path.join(work, "data")], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    gateway.stdout.readline()  # "listening on"
    results = []
    started = time.monotonic()
    await asyncio.wait_for(asyncio.gather(*(client(port, key, results) for _ in range(args.streams))), 60)
    elapsed = time.monotonic() - started
    peak_rss, cpu = rss_and_cpu(gateway.pid)
    gateway.terminate()
    gateway.wait(10)
    server.close()

    firsts = sorted(r[0] for r in results if r[0] is not None)
    done = sum(1 for r in results if r[2])
    print(f"streams: {args.streams}  upstream peak in flight: {upstream.open_peak}  completed with [DONE]: {done}")
    if firsts:
        print(f"first byte: p50 {firsts[len(firsts) // 2]:.3f} s  p99 {firsts[int(len(firsts) * 0.99) - 1]:.3f} s"
              f"  max {firsts[-1]:.3f} s")
    print(f"all done in {elapsed:.2f} s  gateway peak RSS {peak_rss:.1f} MB  gateway CPU {cpu:.2f} s")
    return 0 if done == args.streams and upstream.open_peak == args.streams else 1


class FreePort:
    """A free loopback port (closed again before the gateway binds it)."""
    def __enter__(self):
        import socket
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *exc):
        self.sock.close()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
