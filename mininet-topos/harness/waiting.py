"""Waiting for a condition, failing with what was awaited."""

import subprocess
import time

# What a condition may raise while the thing it waits for is not there yet: a program not answering
# (OSError, CalledProcessError), half-written output (ValueError), an entry not listed yet (KeyError,
# IndexError). Anything else (a typo: NameError, AttributeError, TypeError) fails at once.
NOT_YET = (OSError, subprocess.CalledProcessError, ValueError, KeyError, IndexError)


def wait_for(condition, seconds, what, every=0.2, abort=None):
    """Polls condition() until it is true; AssertionError after `seconds`, or as soon as abort() returns a
    reason (a program the condition depends on has exited, say)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        reason = abort() if abort else None
        if reason:
            raise AssertionError('%s while waiting for %s' % (reason, what))
        try:
            if condition():
                return
        except NOT_YET:
            pass
        time.sleep(every)
    raise AssertionError('timed out after %ds waiting for %s' % (seconds, what))
