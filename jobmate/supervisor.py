"""`make run`'s processes (Procfile.dev), watched: one that dies is restarted.

A general process manager reads its children's output to learn that they ended; an RQ
worker killed with SIGKILL leaves its work-horse holding that output open, so the worker's
death goes unnoticed and the set runs half alive. Here each child is polled for its exit
instead, restarted with a loud line, and if one keeps dying (5 times in a minute)
everything stops with a message. This process is the children's subreaper (Linux), so the
work-horses a killed worker orphans are ours to stop at the end too.

This module must not import Django: it runs before the app's processes exist.
"""

from __future__ import annotations

import ctypes
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

RESTARTS_ALLOWED = 5  # within RESTART_WINDOW seconds; one more and everything stops
RESTART_WINDOW = 60.0
STOP_TIMEOUT = 10.0
_PR_SET_CHILD_SUBREAPER = 36


def read_procfile(path: Path) -> dict[str, str]:
    """`name: command` lines; blank lines and comments skipped."""
    processes = {}
    for line in path.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = re.match(r"^([A-Za-z0-9_-]+):\s*(.+)$", line)
        if not match:
            raise ValueError(f"{path}: cannot read the line {line!r}")
        processes[match[1]] = match[2]
    return processes


@dataclass
class Child:
    name: str
    command: str
    process: subprocess.Popen | None = None
    restarts: deque = field(default_factory=deque)


class Supervisor:
    def __init__(self, processes: dict[str, str], *, cwd: Path, env: dict[str, str], out=sys.stdout):
        self.children = [Child(name, command) for name, command in processes.items()]
        self.cwd = cwd
        self.env = env
        self.out = out
        self.width = max(len(name) for name in processes)
        self._stopping = threading.Event()
        self._print_lock = threading.Lock()

    # --- output ---

    def say(self, name: str, line: str) -> None:
        with self._print_lock:
            self.out.write(f"{time.strftime('%H:%M:%S')} {name:<{self.width}} | {line}\n")
            self.out.flush()

    def _relay(self, child: Child, stream) -> None:
        for raw in iter(stream.readline, b""):
            self.say(child.name, raw.decode(errors="replace").rstrip("\n"))
        stream.close()

    # --- processes ---

    def _spawn(self, child: Child) -> None:
        # `exec` so the shell is replaced by the program: the pid we watch is the program's.
        # Each child leads a process group of its own, so a signal reaches its helpers too.
        child.process = subprocess.Popen(
            ["/bin/sh", "-c", f"exec {child.command}"], cwd=self.cwd, env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        threading.Thread(target=self._relay, args=(child, child.process.stdout), daemon=True).start()

    def _died(self, child: Child, code: int) -> bool:
        """A child ended on its own: restart it, or say why not. False to stop everything."""
        how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
        now = time.monotonic()
        while child.restarts and now - child.restarts[0] > RESTART_WINDOW:
            child.restarts.popleft()
        if len(child.restarts) >= RESTARTS_ALLOWED:
            self.say("jobmate", f"!!! {child.name} {how} again ({RESTARTS_ALLOWED} restarts within "
                                f"{RESTART_WINDOW:.0f} s): stopping everything.")
            return False
        child.restarts.append(now)
        self.say("jobmate", f"!!! {child.name} {how}; restarting it.")
        # What the dead process left in its group (runserver's inner server still holding
        # the port, say) must go first, or the new one cannot start.
        _stop_group(child.process)
        self._spawn(child)
        return True

    def run(self) -> int:
        """Start every process and watch them until a signal or a process that keeps dying."""
        _become_subreaper()
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, lambda *_: self._stopping.set())
        for child in self.children:
            self._spawn(child)
            self.say("jobmate", f"{child.name} started (pid {child.process.pid}): {child.command}")
        code = 0
        while not self._stopping.wait(0.5):
            _reap_orphans({child.process.pid for child in self.children})
            for child in self.children:
                exit_code = child.process.poll()
                if exit_code is not None and not self._stopping.is_set() and not self._died(child, exit_code):
                    code = 1
                    self._stopping.set()
                    break
        self.stop()
        return code

    def stop(self) -> None:
        """SIGTERM to every child's process group and every process left under us (orphaned
        work-horses), SIGKILL to whatever is still there after STOP_TIMEOUT."""
        self.say("jobmate", "stopping…")
        for child in self.children:
            _signal_group(child.process, signal.SIGTERM)
        # Only what the groups did not hold: a second SIGTERM would interrupt a process's
        # own shutdown (rqcron prints a traceback).
        groups = {child.process.pid for child in self.children}
        for pid in _descendants():
            if _group_of(pid) not in groups:
                _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in self.children:
            try:
                child.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(child.process, signal.SIGKILL)
                child.process.wait(5)
        for pid in _descendants():
            _signal(pid, signal.SIGKILL)
        _reap_orphans(set())


def _become_subreaper() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _descendants() -> list[int]:
    try:
        import psutil
    except ImportError:
        return []
    try:
        return [process.pid for process in psutil.Process().children(recursive=True)]
    except psutil.Error:
        return []


def _reap_orphans(ours: set[int]) -> None:
    """Collect the exit status of orphans handed to us (never our own children's, which
    Popen collects)."""
    try:
        import psutil
    except ImportError:
        return
    for process in psutil.Process().children():
        if process.pid in ours:
            continue
        try:
            if process.status() == psutil.STATUS_ZOMBIE:
                os.waitpid(process.pid, os.WNOHANG)
        except (psutil.Error, ChildProcessError):
            pass


def _group_of(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _stop_group(process: subprocess.Popen, timeout: float = 5.0) -> None:
    """SIGTERM to what is left of `process`'s group, SIGKILL after `timeout` seconds."""
    _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.1)
    _signal_group(process, signal.SIGKILL)


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass
