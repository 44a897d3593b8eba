#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Resident memory of the running application with a large register on screen, against its
# floor in the same run: bench-bare-window (a bare AdwApplicationWindow with a list), walked
# the same way (issue 15: at most 2x with 1 000 000 patients).
#   bench/bench-app-rss.sh [BUILD_DIR] [COUNT]
#   STRIAE_BENCH_DB=PATH bench/bench-app-rss.sh [BUILD_DIR]   (a register bench-patients
#                                                              --keep made, reused as it is)
# Fills a database with COUNT synthetic patients (bench-patients), gives it an administrator
# (records with accounts open on their sign-in page), starts Striae on it under its own Xvfb
# display signed in (`--user`, the password on standard input) so that the register's list is
# what it shows, waits until the window has painted and the list has settled, scrolls the
# list to the end and back, then prints the process's RSS and peak RSS; then the same for the
# bare window.
set -euo pipefail

build=${1:-_build}
count=${2:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -n "${STRIAE_BENCH_DB:-}" ]; then
  cp "$STRIAE_BENCH_DB" "$work/striae.db"
  count=$(sqlite3 "$work/striae.db" 'SELECT count(*) FROM patients' 2>/dev/null || echo "?")
else
  "$build/bench/bench-patients" --count "$count" --queries 50 --keep "$work/striae.db" \
    > "$work/bench.txt"
fi

password=bench-password-1
echo "$password" | "$build/src/striae" --database "$work/striae.db" --init --user bench \
  > /dev/null

# Xvfb has no GPU: GDK would load Mesa's software GL (llvmpipe, about 45 MB of LLVM code
# mapped into the process) just to probe it. A clinic PC has a real driver, so by default the
# probe is off and the cairo renderer draws; STRIAE_BENCH_GL=1 measures with llvmpipe.
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" GSK_RENDERER=cairo
export STRIAE_AUDIT_KEY_DIR="$work/keys"
[ "${STRIAE_BENCH_GL:-0}" = 1 ] || export GDK_DEBUG=gl-disable
xvfb-run -a -s '-screen 0 1280x1024x24' dbus-run-session -- bash -c '
  password=$4
  # Prints the RSS, peak RSS and private heap of the program started with "$@" once its
  # window has painted and its list was walked to the end and back.
  measure () {
    "$@" <<< "$password" >/dev/null 2>&1 & pid=$!
    for _ in $(seq 100); do
      sleep 0.1
      xdotool search --sync --onlyvisible --pid "$pid" >/dev/null 2>&1 && break
    done
    sleep 3
    # Walk the list from top to bottom and back so the row factory and patient cache are used.
    xdotool key --delay 5 Tab Tab End >/dev/null 2>&1 || true
    sleep 2
    xdotool key --delay 5 Home >/dev/null 2>&1 || true
    sleep 1
    echo "$(awk "/^VmRSS/ {print \$2}" /proc/$pid/status)" \
         "$(awk "/^VmHWM/ {print \$2}" /proc/$pid/status)" \
         "$(awk "/^Anonymous/ {print \$2}" /proc/$pid/smaps_rollup)"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  }
  read -r rss hwm anon < <(measure "$0" --database "$1" --user bench)
  read -r bare_rss bare_hwm bare_anon < <(measure "$3" --rows 200)
  mb () { echo "$1 / 1024" | bc -l; }
  printf "%-40s %10s\n" "patients in the register" "$2"
  printf "%-40s %7.1f MB\n" "app RSS with the list shown" "$(mb "$rss")"
  printf "%-40s %7.1f MB\n" "app peak RSS" "$(mb "$hwm")"
  printf "%-40s %7.1f MB\n" "of which private heap (anonymous)" "$(mb "$anon")"
  printf "%-40s %7.1f MB\n" "bare window with a list: RSS" "$(mb "$bare_rss")"
  printf "%-40s %7.1f MB\n" "bare window: private heap" "$(mb "$bare_anon")"
  printf "%-40s %7.2fx (target 2x)\n" "ratio" "$(echo "$rss / $bare_rss" | bc -l)"
' "$build/src/striae" "$work/striae.db" "$count" "$build/bench/bench-bare-window" "$password"
