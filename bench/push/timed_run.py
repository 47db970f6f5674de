#!/usr/bin/env python3
"""timed_run.py OUTPUT COMMAND...: runs COMMAND with its stdout and stderr in
OUTPUT and prints "WALL_US CPU_US": its wall time and the user + system time
of it and every process it waited for (git push waits for receive-pack, which
waits for the hook). Exits with COMMAND's status.

The CPU time is what a push costs whatever else the machine runs: on a box
shared with builds, waiting for a core makes wall times vary by several times
while CPU times hold still."""
import os
import sys
import time

output, command = sys.argv[1], sys.argv[2:]
with open(output, "wb") as out:
    start = time.monotonic_ns()
    pid = os.fork()
    if pid == 0:
        os.dup2(out.fileno(), 1)
        os.dup2(out.fileno(), 2)
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall_us = (time.monotonic_ns() - start) // 1000
cpu_us = round((usage.ru_utime + usage.ru_stime) * 1e6)
print(wall_us, cpu_us)
sys.exit(os.waitstatus_to_exitcode(status))
