"""A minimal SMTP sink for the benchmark: asyncio, one process, counts messages and discards them.

    python bench/outreach/sink.py PORT [STATS_FILE]

It speaks just enough SMTP (EHLO/HELO, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT)
to take messages as fast as a client can hand them over; an unterminated DATA is discarded when
the connection drops, as a real server does. Every half second (and on SIGTERM) it writes
{"messages": N, "recipients": N, "bytes": N} to STATS_FILE."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path

STATS = {"messages": 0, "recipients": 0, "bytes": 0}


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"220 sink ESMTP\r\n")
    recipients = 0
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb == b"EHLO":
                writer.write(b"250-sink\r\n250-8BITMIME\r\n250-PIPELINING\r\n250 SMTPUTF8\r\n")
            elif verb == b"HELO":
                writer.write(b"250 sink\r\n")
            elif verb == b"MAIL":
                recipients = 0
                writer.write(b"250 OK\r\n")
            elif verb == b"RCPT":
                recipients += 1
                writer.write(b"250 OK\r\n")
            elif verb == b"DATA":
                writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                await writer.drain()
                size = 0
                while True:
                    chunk = await reader.readline()
                    if not chunk:
                        return  # dropped inside DATA: nothing is delivered
                    if chunk == b".\r\n":
                        break
                    size += len(chunk)
                STATS["messages"] += 1
                STATS["recipients"] += recipients
                STATS["bytes"] += size
                writer.write(b"250 OK queued\r\n")
            elif verb == b"QUIT":
                writer.write(b"221 Bye\r\n")
                await writer.drain()
                return
            else:  # RSET, NOOP and the rest
                writer.write(b"250 OK\r\n")
            if reader._buffer:  # type: ignore[attr-defined]  # pipelined: answer in one go
                continue
            await writer.drain()
    except ConnectionError:
        return
    finally:
        writer.close()


async def main(port: int, stats_file: Path | None) -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", port, limit=1 << 20)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)

    async def report() -> None:
        while True:
            if stats_file:
                stats_file.write_text(json.dumps(STATS))
            await asyncio.sleep(0.5)

    reporter = asyncio.create_task(report())
    async with server:
        await stop.wait()
    reporter.cancel()
    if stats_file:
        stats_file.write_text(json.dumps(STATS))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None))
