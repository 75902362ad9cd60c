"""A service for the remediation scenario: writes its pid to the file it is given, then, with --leak, grows
its memory by 1 MiB every 50 ms until it is restarted; without --leak it stays the size it is."""
import os
import sys
import time

pid_file = sys.argv[1]
leak = "--leak" in sys.argv[2:]
with open(pid_file + ".tmp", "w") as handle:
    handle.write(str(os.getpid()))
os.replace(pid_file + ".tmp", pid_file)
held = []
while True:
    if leak and len(held) < 2000:
        held.append(bytearray(1 << 20))
    time.sleep(0.05)
