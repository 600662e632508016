"""Measure a national report bundle made by real Celery worker processes.

`benchmark_national --bundle N --bundle-workers P` calls `measure_with_workers`: it starts
`celery -A monitor worker --concurrency P` as a child process on a broker of its own
(kombu's filesystem transport in a temporary folder, or the URL given), with this process's
environment less REDIS_URL, so that every worker process has its own empty PDF cache and
every document is really rendered. It queues a committed ReportJob, waits until the job
ends, samples the resident memory of the worker's processes every 0.2 s, stops the worker
and reads the largest process's peak (ru_maxrss of RUSAGE_CHILDREN, which covers the
worker's own children once they are waited for).

Used by the benchmark command only. It must never be pointed at a production broker: the
job's row and files are removed afterwards, but its tasks would go to any worker there.
"""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from celery import Celery
from django.conf import settings

from reports.models import ReportJob

POLL_SECONDS = 0.2


@dataclass(frozen=True)
class BundleMeasurement:
    status: str
    pages: int
    size: int
    parts: int
    seconds: float  # from queueing the job until its row says it ended
    processes: int  # worker processes rendering (the worker's concurrency)
    largest_process_mb: float  # the peak of the largest worker process (ru_maxrss)
    all_processes_mb: float  # the highest sum of the worker's processes seen while sampling
    # From the worker's log (reports.jobs): each part's time, the merge's, and the peaks
    # of the processes that ran them.
    part_seconds: tuple[float, ...] = ()
    merge_seconds: float = 0.0
    part_peak_mb: int = 0
    merge_peak_mb: int = 0


PART_LINE = re.compile(r"part \d+ rendered in ([\d.]+) s, peak memory of this process (\d+) MB")
MERGE_LINE = re.compile(r"merged in ([\d.]+) s, peak memory of this process (\d+) MB")


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _process_tree(pid: int) -> list[int]:
    """`pid` and its descendants, from /proc (Linux)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                continue
    return found


def _broker(folder: Path, url: str | None) -> tuple[str, dict]:
    if url:
        return url, {}
    queue = folder / "celery" / "queue"
    control = folder / "celery" / "control"
    queue.mkdir(parents=True)
    control.mkdir(parents=True)
    return "filesystem://", {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "control_folder": str(control),
        "store_processed": False,
    }


def _wait_until_ready(log: Path, worker: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"de worker stopte meteen; zie {log}")
        if log.is_file() and " ready." in log.read_text(errors="replace"):
            return
        time.sleep(POLL_SECONDS)
    raise RuntimeError(f"de worker werd niet gereed binnen {seconds:.0f} s; zie {log}")


def measure_with_workers(
    *,
    user,
    peildatum,
    processes: int,
    broker_url: str | None = None,
    timeout: float = 3600,
) -> BundleMeasurement:
    """Queue a national bundle (one PDF) of everything `user` sees and let a worker with
    `processes` processes make it; the job's row and files are removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="bundel-meting-") as name:
        folder = Path(name)
        url, options = _broker(folder, broker_url)
        env = {**os.environ, "VAR_DIR": str(folder), "REPORT_BUNDLE_ROOT": str(folder / "b")}
        env.pop("REDIS_URL", None)  # the cache: one of its own (locmem) per process
        env.pop("CELERY_BROKER_URL", None)
        if broker_url:
            env["CELERY_BROKER_URL"] = broker_url
        log = folder / "worker.log"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "monitor",
            "worker",
            "--pool=prefork",
            f"--concurrency={processes}",
            "--loglevel=INFO",
            f"--logfile={log}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=bundelmeting-{os.getpid()}@%h",
        ]
        worker = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)
        job = None
        try:
            _wait_until_ready(log, worker)
            sender = Celery("bundelmeting", set_as_current=False)
            sender.conf.broker_url = url
            sender.conf.broker_transport_options = options
            job = ReportJob.objects.create(
                kind=ReportJob.Kind.PDF, requested_by=user, peildatum=peildatum
            )
            started = time.perf_counter()
            sender.send_task("reports.tasks.build_bundle", args=[job.pk])
            peak_sum = 0
            deadline = time.monotonic() + timeout
            while True:
                peak_sum = max(peak_sum, sum(_rss_kb(p) for p in _process_tree(worker.pid)))
                job.refresh_from_db()
                if job.is_finished:
                    break
                if time.monotonic() > deadline or worker.poll() is not None:
                    raise RuntimeError(f"bundel {job.pk} is niet klaar: {job.status}; zie {log}")
                time.sleep(POLL_SECONDS)
            seconds = time.perf_counter() - started
        finally:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)  # warm shutdown: children are waited for
                try:
                    worker.wait(timeout=120)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()
            if job is not None:
                ReportJob.objects.filter(pk=job.pk).delete()
        largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KB on Linux
        text = log.read_text(errors="replace") if log.is_file() else ""
        parts = [(float(t), int(mb)) for t, mb in PART_LINE.findall(text)]
        merges = [(float(t), int(mb)) for t, mb in MERGE_LINE.findall(text)]
        return BundleMeasurement(
            status=job.status,
            pages=job.page_count or 0,
            size=job.file_size or 0,
            parts=job.progress_total,
            seconds=seconds,
            processes=processes,
            largest_process_mb=largest / 1024,
            all_processes_mb=peak_sum / 1024,
            part_seconds=tuple(t for t, _ in parts),
            merge_seconds=merges[0][0] if merges else 0.0,
            part_peak_mb=max((mb for _, mb in parts), default=0),
            merge_peak_mb=merges[0][1] if merges else 0,
        )
