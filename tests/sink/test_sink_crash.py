"""Writers killed with SIGKILL mid-stream leave only complete lines (after reopening).

Each round starts a writer on the same folder (which repairs what the last kill left),
lets it write, and kills it at a slightly different moment. A kill inside ``write()`` is
rare (page-cache writes are fast), which is why test_sink_jsonl also plants a torn line.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from scraper.sink import JsonlSink

REPO = Path(__file__).resolve().parents[2]
ROUNDS = 3
ROUND_IDS = 1_000_000  # round r writes ids r * ROUND_IDS + 1, + 2, ...

# Writes ~1 MB records forever from id argv[2] + 1, commits every 5, says "ready" after 20.
WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from scraper.sink import JsonlSink

    start = int(sys.argv[2])
    with JsonlSink(Path(sys.argv[1]), rotate_bytes=8_000_000) as sink:
        number = start
        while True:
            number += 1
            sink.write({"id": f"sha256:{number:064x}", "text": "é" * 500_000 + str(number)})
            if number % 5 == 0:
                sink.commit()
            if number == start + 20:
                print("ready", flush=True)
    """
)


def kill_writer_mid_stream(folder: Path, start: int, pause: float) -> None:
    """Start a writer, SIGKILL it pause seconds after it is well into writing, and reap it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-c", WRITER, str(folder), str(start)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, env=env) as writer:
        assert writer.stdout is not None
        assert writer.stdout.readline() == b"ready\n"
        time.sleep(pause)  # vary where in the write loop the kill lands
        os.kill(writer.pid, signal.SIGKILL)
        assert writer.wait() == -signal.SIGKILL


def test_sigkill_mid_write_leaves_only_complete_lines(tmp_path: Path) -> None:
    for round_number in range(ROUNDS):
        kill_writer_mid_stream(tmp_path, round_number * ROUND_IDS, pause=round_number / 500)
    with JsonlSink(tmp_path) as sink:
        files = sorted(tmp_path.glob("records-*.jsonl"))
        lines = [line for path in files for line in path.read_bytes().splitlines(keepends=True)]
        records = [json.loads(line) for line in lines]
        assert all(line.endswith(b"\n") for line in lines)
        assert all(sink.has(record["id"]) for record in records)
    numbers = [int(record["id"].removeprefix("sha256:"), 16) for record in records]
    for round_number in range(ROUNDS):
        written = [n - round_number * ROUND_IDS for n in numbers if n // ROUND_IDS == round_number]
        assert len(written) >= 20  # all written before "ready"
        assert written == list(range(1, len(written) + 1))  # in order, no gaps
