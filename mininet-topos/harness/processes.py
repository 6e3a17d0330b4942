"""Programs the harness starts, stopped by the handles it holds (Popen objects, pid files).

Every program it starts is also written to a ledger (PID and the kernel's start time of that PID, so a
PID reused by another program is never taken for ours). A run that was interrupted before it could stop
its programs leaves them in the ledger; the next run ends exactly those (end_leftovers) instead of
matching command lines with pkill.
"""

import contextlib
import os
import signal
import subprocess
import time

LEDGER = '/run/tcpsplice-harness/pids'


def start_time(pid):
    """The process's start time in clock ticks since boot (field 22 of /proc/PID/stat), or None if it
    has ended."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            stat = f.read()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
    fields = stat[stat.rindex(')') + 2:].split()
    # A zombie has ended; only its exit status waits for a parent that may never collect it.
    return None if fields[0] == 'Z' else int(fields[19])


def remember(pid, group=False):
    """Writes the program to the ledger; group: it leads a process group to be ended as a whole."""
    started = start_time(pid)
    if started is None:
        return
    os.makedirs(os.path.dirname(LEDGER), exist_ok=True)
    with open(LEDGER, 'a') as f:
        f.write('%d %d %s\n' % (pid, started, 'group' if group else 'process'))


def forget(pid):
    entries = [e for e in read_ledger() if e[0] != pid]
    write_ledger(entries)


def read_ledger():
    try:
        with open(LEDGER) as f:
            return [(int(p), int(s), kind) for p, s, kind in (line.split() for line in f if line.strip())]
    except FileNotFoundError:
        return []


def write_ledger(entries):
    os.makedirs(os.path.dirname(LEDGER), exist_ok=True)
    with open(LEDGER + '.new', 'w') as f:
        f.writelines('%d %d %s\n' % e for e in entries)
    os.replace(LEDGER + '.new', LEDGER)


def end_leftovers(log=print):
    """Ends the ledger's programs that still run as the same process (SIGTERM, SIGKILL after 5 s)."""
    alive = [(pid, kind) for pid, started, kind in read_ledger() if start_time(pid) == started]
    for pid, kind in alive:
        log('harness: ending pid %d, left by an interrupted run' % pid)
        signal_program(pid, kind, signal.SIGTERM)
    deadline = time.time() + 5
    while alive and time.time() < deadline:
        time.sleep(0.2)
        alive = [(pid, kind) for pid, kind in alive if start_time(pid) is not None]
    for pid, kind in alive:
        signal_program(pid, kind, signal.SIGKILL)
    write_ledger([])


def signal_program(pid, kind, sig):
    try:
        if kind == 'group':
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass


def start(args, logfile, popen=subprocess.Popen, **kwargs):
    """Starts a program (through popen: subprocess's, or a Mininet host's) with its output appended to
    logfile, and remembers it."""
    with open(logfile, 'ab') as log:
        proc = popen(args, stdout=log, stderr=subprocess.STDOUT, **kwargs)
    remember(proc.pid, group=kwargs.get('start_new_session', False))
    return proc


def stop(proc, timeout=10):
    """SIGTERM, then SIGKILL after the timeout; waits for the process either way, and forgets it."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    forget(proc.pid)


def kill(proc):
    """SIGKILL at once (a crash: nothing the program does on its way out), waits for it, forgets it."""
    if proc.poll() is None:
        proc.kill()
        proc.wait(5)
    forget(proc.pid)


def stop_by_pid_file(path, timeout=10):
    """Stops a daemon that wrote its PID to path (nginx, HAProxy) and removes the file, so that a PID
    the kernel gives to another program later is never taken for it. False if there was no such file."""
    try:
        with open(path) as f:
            pid = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return False
    signal_program(pid, 'process', signal.SIGTERM)
    deadline = time.time() + timeout
    while start_time(pid) is not None and time.time() < deadline:
        time.sleep(0.1)
    if start_time(pid) is not None:
        signal_program(pid, 'process', signal.SIGKILL)
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)
    forget(pid)
    return True


def remember_pid_file(path, timeout=5):
    """Writes a daemon's PID, once it has written its pid file, to the ledger."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with open(path) as f:
                remember(int(f.read().split()[0]))
            return
        except (OSError, ValueError, IndexError):
            time.sleep(0.05)


def thread_dump(pid, path, group=False):
    """Every Java thread's stack (jcmd Thread.print) of the JVM at pid, or of the one JVM in process
    group pid, appended to path; returns path, or None if no JVM answered."""
    if group:
        found = subprocess.run(['pgrep', '-g', str(pid), '-x', 'java'], capture_output=True, text=True).stdout.split()
        if not found:
            return None
        pid = int(found[0])
    r = subprocess.run(['jcmd', str(pid), 'Thread.print'], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        return None
    with open(path, 'a') as f:
        f.write(r.stdout)
    return path


def tail(path, lines=30):
    try:
        with open(path, errors='replace') as f:
            return ''.join(f.readlines()[-lines:])
    except OSError:
        return '(no log)'
