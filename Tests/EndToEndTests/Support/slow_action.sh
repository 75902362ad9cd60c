#!/bin/sh
# An action that takes a few seconds: appends a line to the file it is given (so a test can count how many
# times it ran), then waits, then says it is done.
set -eu
echo "ran" >> "$1"
sleep "${2:-3}"
echo "slow action done"
