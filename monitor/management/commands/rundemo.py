"""`make run` in one command: the web server and, beside it, a Celery worker and beat.

Starts `runserver`, `celery worker` and `celery beat` as child processes on the broker of
the settings (kombu's filesystem transport under var/celery/ unless REDIS_URL is set),
passes Ctrl-C on to all three and waits for them; when one of them stops, it stops the
others. Running it again is safe: the queue folders and the beat schedule are reused, a
stale beat pid file is removed. Production runs these processes separately
(docs/deploy.md); this command is for the demo only.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start de webserver met een Celery-worker en -beat ernaast (demo); Ctrl-C stopt alles."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-worker", action="store_true", help="Alleen de webserver.")

    def handle(self, *args, addrport: str, no_worker: bool, **options):
        celery_dir = Path(settings.VAR_DIR) / "celery"
        for folder in ("queue", "control"):
            (celery_dir / folder).mkdir(parents=True, exist_ok=True)
        pidfile = celery_dir / "beat.pid"
        pidfile.unlink(missing_ok=True)  # left behind by a run that was killed
        python = sys.executable
        commands = {"web": [python, "manage.py", "runserver", addrport, "--noreload"]}
        if not no_worker:
            celery = [python, "-m", "celery", "-A", "monitor"]
            commands["worker"] = [
                *celery,
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                "--hostname=demo@%h",
                "--without-mingle",
                "--without-gossip",
            ]
            commands["beat"] = [*celery, "beat", "--loglevel=INFO", f"--pidfile={pidfile}"]
        broker = settings.CELERY_BROKER_URL.split("@")[-1]
        self.stdout.write(f"Broker: {broker}. Ctrl-C stopt de webserver, worker en beat.")
        children = {
            name: subprocess.Popen(command, env=os.environ.copy())
            for name, command in commands.items()
        }
        stopping = False

        def stop(*_args):
            nonlocal stopping
            if stopping:
                return
            stopping = True
            for child in children.values():
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                if any(child.poll() is not None for child in children.values()):
                    stop()
                    break
                time.sleep(0.5)
        finally:
            stop()
            deadline = time.monotonic() + 20
            for child in children.values():
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
        self.stdout.write("Gestopt.")
