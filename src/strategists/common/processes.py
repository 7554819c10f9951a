"""How the platform's long-running commands (serve, worker) end."""

import ctypes
import signal
import sys


def stop_on_sigterm() -> None:
    """SIGTERM (systemd, a container runtime, kill) ends the process through `finally`, as
    Ctrl-C does, so the processes it started never stay behind."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))


def die_with_parent() -> None:
    """For `preexec_fn`: the child gets SIGTERM when the process that started it dies, even by
    -9, so a task runner never outlives its worker (whose heartbeat names the tasks it runs).
    Linux only; elsewhere nothing."""
    if not sys.platform.startswith("linux"):
        return
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
