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
#
# Against a clinic server:
#   tests/with-postgresql bench/bench-app-rss.sh --server [BUILD_DIR] [COUNT]
# makes the register of COUNT patients on the private server (bench-server-register), and
# Striae starts as a clinic PC does, as in bench/bench-startup --server: settings pointing at
# the server over TLS (verify-full), the login's password in a keyring of the run, no
# --database and no --user (the login is the account). The RSS is the application's alone;
# what the server holds for it is the server's.
set -euo pipefail

server=false
if [ "${1:-}" = --server ]; then
  server=true
  shift
fi
build=${1:-_build}
count=${2:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "$server" = true ]; then
  if [ -z "${STRIAE_TEST_POSTGRESQL_TLS_PORT:-}" ] ||
     [ -z "${STRIAE_TEST_POSTGRESQL_PASSWORD_USER:-}" ]; then
    echo "bench-app-rss.sh --server runs under tests/with-postgresql (with openssl: TLS and" \
      "a login checked by password)" >&2
    exit 1
  fi
  if [ -n "${STRIAE_BENCH_SERVER_REGISTER:-}" ]; then
    # A register made before on this private server (bench/README.md: 1 M by hand).
    read -r database login password <<< "$STRIAE_BENCH_SERVER_REGISTER"
    echo "# the register $database made before, of $count patients as given"
  else
    started=$(date +%s)
    read -r database login password < <("$build/bench/bench-server-register" --count "$count" \
      2>"$work/fill") || true
    echo "# register of $count patients made on the server in $(( $(date +%s) - started )) s"
  fi
  if [ -z "${password:-}" ]; then
    cat "$work/fill" >&2 2>/dev/null
    exit 1
  fi
elif [ -n "${STRIAE_BENCH_DB:-}" ]; then
  cp "$STRIAE_BENCH_DB" "$work/striae.db"
  count=$(sqlite3 "$work/striae.db" 'SELECT count(*) FROM patients' 2>/dev/null || echo "?")
else
  "$build/bench/bench-patients" --count "$count" --queries 50 --keep "$work/striae.db" \
    > "$work/bench.txt"
fi

if [ "$server" = false ]; then
  password=bench-password-1
  echo "$password" | "$build/src/striae" --database "$work/striae.db" --init --user bench \
    > /dev/null
fi

# Xvfb has no GPU: GDK would load Mesa's software GL (llvmpipe, about 45 MB of LLVM code
# mapped into the process) just to probe it. A clinic PC has a real driver, so by default the
# probe is off and the cairo renderer draws; STRIAE_BENCH_GL=1 measures with llvmpipe.
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" GSK_RENDERER=cairo
export STRIAE_AUDIT_KEY_DIR="$work/keys"
[ "${STRIAE_BENCH_GL:-0}" = 1 ] || export GDK_DEBUG=gl-disable
if [ "$server" = true ]; then
  # The settings in a key file of the run, the password in its keyring (tests/run-keyring,
  # which starts the D-Bus session too), as Preferences → Records → Connect leaves them.
  export GSETTINGS_BACKEND=keyfile
  session=("$(dirname "$0")/../tests/run-keyring")
  set -- "$build/src/striae" "$database" "$count" "$build/bench/bench-bare-window" \
    "$password" "$login"
else
  session=(dbus-run-session --)
  set -- "$build/src/striae" "$work/striae.db" "$count" "$build/bench/bench-bare-window" \
    "$password"
fi
xvfb-run -a -s '-screen 0 1280x1024x24' "${session[@]}" bash -c '
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
  if [ $# -ge 5 ]; then
    # On the clinic server: what Preferences → Records keeps, and the password in the keyring.
    settings=$XDG_CONFIG_HOME/glib-2.0/settings
    port=$STRIAE_TEST_POSTGRESQL_TLS_PORT
    mkdir -p "$settings"
    printf "%s\n" "[io/github/striae/Striae]" "records-place=\"clinic-server\"" \
      "server-host=\"localhost\"" "server-port=uint32 $port" "server-database=\"$1\"" \
      "server-user=\"$5\"" "server-ca-file=\"$STRIAE_TEST_POSTGRESQL/tls/ca.crt\"" \
      > "$settings/keyfile"
    printf %s "$4" | secret-tool store --label="Striae: $5 on localhost" \
      xdg:schema io.github.striae.Striae.ServerLogin host localhost port "$port" \
      database "$1" user "$5"
    read -r rss hwm anon < <(measure "$0")
  else
    read -r rss hwm anon < <(measure "$0" --database "$1" --user bench)
  fi
  read -r bare_rss bare_hwm bare_anon < <(measure "$3" --rows 200)
  mb () { echo "$1 / 1024" | bc -l; }
  printf "%-40s %10s\n" "patients in the register" "$2${5:+ (on the clinic server)}"
  printf "%-40s %7.1f MB\n" "app RSS with the list shown" "$(mb "$rss")"
  printf "%-40s %7.1f MB\n" "app peak RSS" "$(mb "$hwm")"
  printf "%-40s %7.1f MB\n" "of which private heap (anonymous)" "$(mb "$anon")"
  printf "%-40s %7.1f MB\n" "bare window with a list: RSS" "$(mb "$bare_rss")"
  printf "%-40s %7.1f MB\n" "bare window: private heap" "$(mb "$bare_anon")"
  printf "%-40s %7.2fx (target 2x)\n" "ratio" "$(echo "$rss / $bare_rss" | bc -l)"
' "$@"
