#!/usr/bin/env python3
"""Load generators and meters for benches/attack_load.sh (Python 3 standard library only).

Sub-commands:
  png OUT [--side N]      a one-colour N x N RGB PNG (default 11999: about 0.4 MB on the
                          wire, 432 MB of pixels once decoded), compressed row by row
  bomb / flood            an attack stream against POST /api/v1/incidents for --duration
                          seconds from --clients keep-alive connections, each bound to one of
                          --sources loopback addresses (so a per-IP limiter sees that many
                          clients): `bomb` sends multipart reports carrying --photos copies
                          of --png, `flood` JSON reports, as fast as the answers come back.
                          Every request is a valid report with a fresh Idempotency-Key.
                          Writes a JSON summary: answers by status, connection errors,
                          requests cut off by the end of the run, latency of the answers.
  rss --pid P             samples VmRSS of process P every --interval-ms until SIGTERM,
                          after resetting its VmHWM (/proc/P/clear_refs); writes the peak
                          sampled, VmHWM at the end, and kills P (SIGKILL) if its RSS goes
                          over --limit-mb (so that a runaway server cannot take the machine)
  summary DIR             prints the markdown summary of the files the script left in DIR
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import struct
import sys
import time
import uuid
import zlib
from collections import Counter

# Alba Iulia, where the demo municipality's zones are.
CITY_LON, CITY_LAT = 23.583, 46.07
JITTER = 0.006  # degrees around the centre, inside the city's zones


# --- png ------------------------------------------------------------------------------


def png_chunk(out, kind: bytes, data: bytes) -> None:
    out.write(struct.pack(">I", len(data)))
    out.write(kind)
    out.write(data)
    out.write(struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def cmd_png(args: argparse.Namespace) -> None:
    side = args.side
    row = b"\x00" + bytes((200, 120, 40)) * side  # filter type 0, then RGB pixels
    compressor = zlib.compressobj(9)
    with open(args.out, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        png_chunk(out, b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0))
        pending = bytearray()
        for _ in range(side):
            pending += compressor.compress(row)
            if len(pending) >= 1 << 16:
                png_chunk(out, b"IDAT", bytes(pending))
                pending.clear()
        pending += compressor.flush()
        png_chunk(out, b"IDAT", bytes(pending))
        png_chunk(out, b"IEND", b"")


# --- HTTP attack streams --------------------------------------------------------------


def city_point() -> tuple[float, float]:
    return (
        round(CITY_LAT + random.uniform(-JITTER, JITTER), 6),
        round(CITY_LON + random.uniform(-JITTER, JITTER), 6),
    )


class Request:
    """Builds one request's bytes: a fixed body shape with a fresh key and place."""

    def __init__(self, args: argparse.Namespace):
        self.host = f"{args.host}:{args.port}"
        self.mode = args.mode
        if self.mode == "bomb":
            with open(args.png, "rb") as f:
                self.photo = f.read()
            self.photos = args.photos

    def build(self) -> bytes:
        lat, lon = city_point()
        key = uuid.uuid4()
        if self.mode == "flood":
            body = (
                f'{{"category":"pothole","lat":{lat},"lon":{lon},'
                f'"description":"Groapă în carosabil (flood {key.hex[:8]})"}}'
            ).encode()
            ctype = "application/json"
        else:
            boundary = f"semnal-attack-{key.hex}"
            parts = []
            for name, value in (
                ("category", "pothole"),
                ("lat", str(lat)),
                ("lon", str(lon)),
                ("description", "Groapă (pixel bomb)"),
            ):
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n".encode()
                )
            for i in range(self.photos):
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; '
                    f'filename="photo{i}.png"\r\nContent-Type: image/png\r\n\r\n'.encode()
                )
                parts.append(self.photo)
                parts.append(b"\r\n")
            parts.append(f"--{boundary}--\r\n".encode())
            body = b"".join(parts)
            ctype = f"multipart/form-data; boundary={boundary}"
        head = (
            f"POST /api/v1/incidents HTTP/1.1\r\nHost: {self.host}\r\n"
            f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
            f"Idempotency-Key: {key}\r\nAccept: application/json\r\n\r\n"
        ).encode()
        return head + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, dict[bytes, bytes], bytes]:
    """Reads one response; returns its status, lower-cased headers and body."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    headers: dict[bytes, bytes] = {}
    for line in lines[1:]:
        if b":" in line:
            name, value = line.split(b":", 1)
            headers[name.strip().lower()] = value.strip()
    body = b""
    if b"content-length" in headers:
        body = await reader.readexactly(int(headers[b"content-length"]))
    elif headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            body += (await reader.readexactly(size + 2))[:-2]
            if size == 0:
                break
    elif status >= 200 and status not in (204, 304):
        body = await reader.read()  # delimited by the end of the connection
        headers[b"connection"] = b"close"
    return status, headers, body


async def send_all(writer: asyncio.StreamWriter, data: bytes) -> None:
    view = memoryview(data)
    step = 1 << 18
    for i in range(0, len(view), step):
        writer.write(view[i : i + step])
        await writer.drain()


async def exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, data: bytes
) -> tuple[int, dict[bytes, bytes], bytes, bool]:
    """Sends a request while reading its answer (a server may answer, and close, before it
    has read the whole body). Returns status, headers and whether the connection is done."""
    if len(data) <= 1 << 16:
        writer.write(data)
        status, headers, body = await read_response(reader)
        return status, headers, body, headers.get(b"connection", b"").lower() == b"close"
    sender = asyncio.ensure_future(send_all(writer, data))
    try:
        status, headers, body = await read_response(reader)
    except BaseException:
        sender.cancel()
        raise
    done = headers.get(b"connection", b"").lower() == b"close"
    if not sender.done():
        sender.cancel()  # answered before the body was all sent: the connection is spent
        done = True
    elif sender.cancelled() or sender.exception() is not None:
        done = True
    return status, headers, body, done


def error_kind(e: BaseException) -> str:
    if isinstance(e, (asyncio.TimeoutError, TimeoutError)):
        return "timeout"
    if isinstance(e, asyncio.IncompleteReadError):
        return "closed"
    if isinstance(e, ConnectionResetError):
        return "reset"
    if isinstance(e, BrokenPipeError):
        return "broken_pipe"
    if isinstance(e, (ValueError, IndexError, asyncio.LimitOverrunError)):
        return "bad_response"
    return type(e).__name__


class Stream:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.request = Request(args)
        self.codes: Counter[int] = Counter()
        self.errors: Counter[str] = Counter()
        self.latencies: list[float] = []
        self.refusal_latencies: list[float] = []
        self.retry_after = 0
        self.sent = 0
        self.unfinished = 0
        self.samples: dict[str, str] = {}  # the first body of each refusal status
        self.bytes_sent = 0

    def source(self, i: int) -> str:
        base = self.args.source_base.split(".")
        n = i % self.args.sources
        return f"{base[0]}.{base[1]}.{int(base[2]) + n // 250}.{1 + n % 250}"

    async def worker(self, i: int, deadline: float) -> None:
        """Sends requests one after another until the deadline; a request still unanswered
        then is counted as cut off (not as an error) and abandoned."""
        args = self.args
        conn = None
        while (remaining := deadline - time.monotonic()) > 0:
            limit = min(args.timeout, remaining)
            if conn is None:
                try:
                    conn = await asyncio.wait_for(
                        asyncio.open_connection(
                            args.host, args.port, local_addr=(self.source(i), 0)
                        ),
                        limit,
                    )
                except (OSError, asyncio.TimeoutError) as e:
                    if time.monotonic() < deadline:
                        self.errors["connect_" + error_kind(e)] += 1
                        await asyncio.sleep(0.05)
                    continue
            reader, writer = conn
            data = self.request.build()
            self.sent += 1
            self.bytes_sent += len(data)
            started = time.monotonic()
            try:
                status, headers, body, done = await asyncio.wait_for(
                    exchange(reader, writer, data), limit
                )
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError,
                    asyncio.LimitOverrunError, ValueError, IndexError) as e:
                if isinstance(e, asyncio.TimeoutError) and time.monotonic() >= deadline - 0.01:
                    self.unfinished += 1
                else:
                    self.errors[error_kind(e)] += 1
                writer.close()
                conn = None
                continue
            elapsed = time.monotonic() - started
            self.codes[status] += 1
            if not 200 <= status < 300 and str(status) not in self.samples:
                self.samples[str(status)] = body[:400].decode("utf-8", "replace")
            if 200 <= status < 300:
                self.latencies.append(elapsed)
            else:
                self.refusal_latencies.append(elapsed)
            if status in (429, 503) and b"retry-after" in headers:
                self.retry_after += 1
            if done:
                writer.close()
                conn = None
        if conn is not None:
            conn[1].close()

    async def run(self) -> dict:
        started = time.monotonic()
        deadline = started + self.args.duration
        tasks = [asyncio.ensure_future(self.worker(i, deadline)) for i in range(self.args.clients)]
        _, pending = await asyncio.wait(tasks, timeout=self.args.duration + 5)
        for t in pending:  # not expected: every worker stops at the deadline
            t.cancel()
        self.unfinished += len(pending)
        return self.result(time.monotonic() - started, self.unfinished)

    def result(self, elapsed: float, unfinished: int) -> dict:
        def pct(values: list[float], p: float) -> float | None:
            if not values:
                return None
            values = sorted(values)
            return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1e3

        answered = sum(self.codes.values())
        ok = sum(n for c, n in self.codes.items() if 200 <= c < 300)
        return {
            "stream": self.args.mode,
            "clients": self.args.clients,
            "sources": min(self.args.sources, self.args.clients),
            "photos": self.args.photos if self.args.mode == "bomb" else 0,
            "duration_s": elapsed,
            "sent": self.sent,
            "request_mb": self.bytes_sent / max(self.sent, 1) / 1e6,
            "answered": answered,
            "ok": ok,
            "codes": {str(c): n for c, n in sorted(self.codes.items())},
            "errors": dict(self.errors),
            "unfinished": unfinished,
            "retry_after": self.retry_after,
            "samples": self.samples,
            "ok_p50_ms": pct(self.latencies, 50),
            "ok_p99_ms": pct(self.latencies, 99),
            "refused_p50_ms": pct(self.refusal_latencies, 50),
            "refused_p99_ms": pct(self.refusal_latencies, 99),
        }


def cmd_stream(args: argparse.Namespace) -> None:
    result = asyncio.run(Stream(args).run())
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)


# --- rss ------------------------------------------------------------------------------


def status_kb(pid: int, field: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cmd_rss(args: argparse.Namespace) -> None:
    stop = False

    def on_term(_sig, _frame):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    try:
        with open(f"/proc/{args.pid}/clear_refs", "w") as f:
            f.write("5")  # resets VmHWM to the current RSS
        hwm_reset = True
    except OSError:
        hwm_reset = False
    start = status_kb(args.pid, "VmRSS")
    peak, samples, total, killed_at, gone = 0, 0, 0, None, False
    t0 = time.monotonic()
    while not stop:
        rss = status_kb(args.pid, "VmRSS")
        if rss is None:
            gone = True
            break
        samples += 1
        total += rss
        peak = max(peak, rss)
        if args.limit_mb and rss > args.limit_mb * 1024:
            os.kill(args.pid, signal.SIGKILL)
            killed_at = time.monotonic() - t0
            break
        time.sleep(args.interval_ms / 1e3)
    hwm = status_kb(args.pid, "VmHWM") if not killed_at else None
    result = {
        "start_mb": (start or 0) / 1024,
        "peak_sampled_mb": peak / 1024,
        "mean_mb": total / max(samples, 1) / 1024,
        "end_mb": (status_kb(args.pid, "VmRSS") or 0) / 1024,
        "samples": samples,
        "hwm_mb": hwm / 1024 if hwm is not None else None,
        "hwm_reset": hwm_reset,
        "killed_at_s": killed_at,
        "limit_mb": args.limit_mb,
        "gone": gone,
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)


# --- summary --------------------------------------------------------------------------


def wrk_result(path: str) -> dict | None:
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return None
    m = re.search(r"^RESULT (.*)$", text, re.M)
    if not m:
        return None
    return {k: float(v) for k, v in (kv.split("=") for kv in m.group(1).split())}


def load(path: str) -> dict | None:
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def ms(us: float | None) -> str:
    return "–" if us is None else f"{us / 1e3:.2f}"


def ratio(a: float | None, b: float | None) -> str:
    return "–" if not a or not b else f"{a / b:.2f}×"


def cmd_summary(args: argparse.Namespace) -> None:
    d = args.dir
    phases = ["quiet", "attack"]
    probes = {p: (wrk_result(f"{d}/{p}-healthz.txt"), wrk_result(f"{d}/{p}-tiles.txt")) for p in phases}
    rss = {p: load(f"{d}/{p}-rss.json") for p in phases}
    streams = [s for s in (load(f"{d}/attack-bomb.json"), load(f"{d}/attack-flood.json")) if s]

    def peak(r: dict | None) -> float | None:
        if not r:
            return None
        return max(r["peak_sampled_mb"], r["hwm_mb"] or 0)

    print("| phase | healthz p50 ms | healthz p99 ms | tile p50 ms | tile p99 ms | probe requests (healthz / tile) | probe errors (status ≥ 400 / socket) | peak RSS MB (sampled / VmHWM) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for p in phases:
        h, t = probes[p]
        r = rss[p]
        if r and r["killed_at_s"] is not None:
            rss_cell = f"> {r['limit_mb']} (killed after {r['killed_at_s']:.1f} s)"
        elif r:
            hwm = "–" if r["hwm_mb"] is None else f"{r['hwm_mb']:.0f}"
            rss_cell = f"{r['peak_sampled_mb']:.0f} / {hwm}"
        else:
            rss_cell = "–"
        errs = "–"
        reqs = "–"
        if h and t:
            reqs = f"{h['requests']:,.0f} / {t['requests']:,.0f}"
            errs = f"{h['status_ge_400'] + t['status_ge_400']:.0f} / {h['socket_errors'] + t['socket_errors']:.0f}"
        print(f"| {p} | {ms(h and h['p50_us'])} | {ms(h and h['p99_us'])} | {ms(t and t['p50_us'])} "
              f"| {ms(t and t['p99_us'])} | {reqs} | {errs} | {rss_cell} |")
    (qh, qt), (ah, at) = probes["quiet"], probes["attack"]
    print(f"| attack ÷ quiet | {ratio(ah and ah['p50_us'], qh and qh['p50_us'])} "
          f"| {ratio(ah and ah['p99_us'], qh and qh['p99_us'])} "
          f"| {ratio(at and at['p50_us'], qt and qt['p50_us'])} "
          f"| {ratio(at and at['p99_us'], qt and qt['p99_us'])} | | "
          f"| {ratio(peak(rss['attack']), peak(rss['quiet']))} |")
    print()
    print("| attack stream | clients (source IPs) | request MB | sent | answered | 2xx | 408 | 413 | 422 | 429 | 503 | other | connection errors | cut off at the end | accepted/s | refused/s | 429/503 with Retry-After | 2xx p50 / p99 ms | refusal p50 / p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in streams:
        codes = {int(k): v for k, v in s["codes"].items()}
        named = {c: codes.get(c, 0) for c in (408, 413, 422, 429, 503)}
        other = {c: n for c, n in codes.items() if c not in named and not 200 <= c < 300}
        other_cell = str(sum(other.values()))
        if other:
            other_cell += " (" + ", ".join(f"{c}: {n}" for c, n in sorted(other.items())) + ")"
        conn = sum(s["errors"].values())
        conn_cell = str(conn)
        if conn:
            conn_cell += " (" + ", ".join(f"{k}: {n}" for k, n in sorted(s["errors"].items())) + ")"
        refused = s["answered"] - s["ok"]
        label = "pixel bombs" if s["stream"] == "bomb" else "report flood (JSON)"
        if s["stream"] == "bomb":
            label += f", {s['photos']} photos each"
        f = lambda v: "–" if v is None else f"{v:,.0f}" if v >= 100 else f"{v:.1f}"
        print(f"| {label} | {s['clients']} ({s['sources']}) | {s['request_mb']:.2f} | {s['sent']:,} | {s['answered']:,} "
              f"| {s['ok']:,} | {named[408]:,} | {named[413]:,} | {named[422]:,} | {named[429]:,} | {named[503]:,} "
              f"| {other_cell} | {conn_cell} | {s['unfinished']} "
              f"| {s['ok'] / s['duration_s']:,.1f} | {refused / s['duration_s']:,.1f} | {s['retry_after']:,} "
              f"| {f(s['ok_p50_ms'])} / {f(s['ok_p99_ms'])} | {f(s['refused_p50_ms'])} / {f(s['refused_p99_ms'])} |")
    print()
    for s in streams:
        for code, body in sorted(s.get("samples", {}).items()):
            print(f"- {s['stream']}, first {code}: `{' '.join(body.split())}`")
    print()
    attack_peak = peak(rss["attack"])
    killed = rss["attack"] and rss["attack"]["killed_at_s"] is not None
    if attack_peak is not None:
        verdict = "not met" if killed or attack_peak >= 500 else "met"
        shown = f"over {rss['attack']['limit_mb']} MB (killed)" if killed else f"{attack_peak:.0f} MB"
        print(f"Goal, peak RSS below 500 MB under attack: {verdict} ({shown}).")
    if at and qt and qt["p99_us"]:
        r = at["p99_us"] / qt["p99_us"]
        verdict = "met" if r <= 2 and not at["socket_errors"] and not at["status_ge_400"] else "not met"
        print(f"Goal, tile p99 under attack within 2× of the quiet run: {verdict} "
              f"({ms(at['p99_us'])} ms against {ms(qt['p99_us'])} ms, {r:.2f}×"
              f"{'; with ' + format(at['socket_errors'], '.0f') + ' socket errors' if at['socket_errors'] else ''}).")


# --- main -----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("png")
    p.add_argument("out")
    p.add_argument("--side", type=int, default=11999)
    p.set_defaults(func=cmd_png)

    for mode in ("bomb", "flood"):
        p = sub.add_parser(mode)
        p.set_defaults(func=cmd_stream, mode=mode)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--clients", type=int, required=True)
        p.add_argument("--sources", type=int, default=1, help="distinct source addresses")
        p.add_argument("--source-base", required=True, help="first source address, e.g. 127.0.2.1")
        p.add_argument("--duration", type=float, required=True)
        p.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
        p.add_argument("--out", required=True)
        if mode == "bomb":
            p.add_argument("--png", required=True)
            p.add_argument("--photos", type=int, default=5)
        else:
            p.set_defaults(photos=0)

    p = sub.add_parser("rss")
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--interval-ms", type=float, default=100)
    p.add_argument("--limit-mb", type=int, default=0)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_rss)

    p = sub.add_parser("summary")
    p.add_argument("dir")
    p.set_defaults(func=cmd_summary)

    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    sys.exit(main())
