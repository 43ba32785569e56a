"""The attacks of `make hostile`, each on raw asyncio streams: bodies trickled a byte at a time,
silent sockets, and a flood of valid screenings (reliability bar DOS-11, DOS-12, DOS-14)."""

import asyncio
import time

from bench.hostile_traffic import BODY, SCREENINGS, read_response, request


async def trickle(host: str, port: int, count: int, duration: float, outcomes: dict[str, int]) -> None:
    """``count`` connections that send headers, then one body byte every 3 s; reopened when cut."""

    async def one() -> None:
        end = time.perf_counter() + duration
        while time.perf_counter() < end:
            writer = None
            try:
                reader, writer = await asyncio.open_connection(host, port)
                raw = request(SCREENINGS, BODY)
                head = raw[: len(raw) - len(BODY)]
                writer.write(head)
                for byte in BODY:
                    if time.perf_counter() >= end:
                        return
                    writer.write(bytes([byte]))
                    await writer.drain()
                    try:
                        status, _ = await asyncio.wait_for(read_response(reader), 3.0)
                    except TimeoutError:
                        continue
                    outcomes[str(status)] = outcomes.get(str(status), 0) + 1
                    break
            except (OSError, asyncio.IncompleteReadError, ValueError):
                outcomes["closed"] = outcomes.get("closed", 0) + 1
                await asyncio.sleep(0.5)
            finally:
                if writer is not None:
                    writer.close()

    await asyncio.gather(*(one() for _ in range(count)))


async def idle(host: str, port: int, count: int, duration: float, outcomes: dict[str, int]) -> None:
    """``count`` connections opened and left silent; counts how many the server closed."""
    writers = []
    for _ in range(count):
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writers.append((reader, writer))
        except OSError:
            outcomes["refused"] = outcomes.get("refused", 0) + 1
    await asyncio.sleep(duration)
    closed = sum(1 for reader, _ in writers if reader.at_eof())
    outcomes["opened"], outcomes["closed by the server"] = len(writers), closed
    for _, writer in writers:
        writer.close()


async def flood(host: str, port: int, count: int, duration: float, seen: list[tuple[int | str, float]]) -> None:
    """``count`` keep-alive connections sending valid screenings back to back (5 s allowed)."""
    raw = request(SCREENINGS, BODY)

    async def one() -> None:
        end = time.perf_counter() + duration
        while time.perf_counter() < end:
            try:
                reader, writer = await asyncio.open_connection(host, port)
            except OSError as exc:
                seen.append((type(exc).__name__, 0.0))
                await asyncio.sleep(0.05)
                continue
            try:
                while time.perf_counter() < end:
                    started = time.perf_counter()
                    writer.write(raw)
                    status, close = await asyncio.wait_for(read_response(reader), 5.0)
                    seen.append((status, time.perf_counter() - started))
                    if status == 503:
                        await asyncio.sleep(0.05)  # a real client honours Retry-After; this one barely waits
                    if close:
                        break
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                seen.append((type(exc).__name__, time.perf_counter() - started))
            finally:
                writer.close()

    await asyncio.gather(*(one() for _ in range(count)))
