#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A real print: a private cupsd with a cups-pdf queue, a sheet printed through Striae's
# dialog-less print job (tests/test-cli-sheet /cli-sheet/print), and its text read back from
# the PDF cups-pdf writes. TAP; SKIP when not root or when CUPS or cups-pdf is not installed,
# except under CI=true, where a print that cannot be set up is a failure: CI never skips it.
# Then the command line itself: tests/test-cli-sheets /cli-sheets/print runs
# `striae --sheet consent --consultation ID --printer StriaePDF` and
# `striae --sheet aftercare --sessions-on 2026-12-01 --printer StriaePDF` (two sheets, one job).
# The print dialog is checked on the same queue (/cli-sheet/print-dialog): it must list it while
# the main loop keeps running.
# Then the window's day's list: tests/test-day-page /day-page/print sends the day's two aftercare
# sheets to the same queue from StriaeDayPage, as the front desk does.
# Usage: test-print.sh PATH/TO/test-cli-sheet [PATH/TO/test-cli-sheets [PATH/TO/test-day-page]]
#   (run under tests/run-headless: GTK needs a display)
# STRIAE_KEEP_PDF=1 keeps the printed PDF, STRIAE_KEEP_TMP=1 the private cupsd's folder (its
# spool files and error_log).
set -u
TEST_BIN=${1:?usage: test-print.sh test-cli-sheet [test-cli-sheets]}
CLI_BIN=${2:-}
DAY_BIN=${3:-}
echo "1..1"
fail () { echo "not ok 1 - $1"; exit 1; }
skip ()
{
  [ "${CI:-}" = true ] && fail "CI must print, but $1"
  echo "ok 1 # SKIP $1"
  exit 0
}
TEST_START=$(date +%s%N)

[ "$(id -u)" = 0 ] || skip "cups-pdf needs cupsd to run as root (CI runs these tests as root)"
[ -x /usr/sbin/cupsd ] || skip "cupsd is not installed (package cups)"
command -v lpadmin >/dev/null 2>&1 || skip "lpadmin is not installed (package cups-client)"
command -v pdftotext >/dev/null 2>&1 || skip "pdftotext is not installed (package poppler-utils)"
command -v pdfinfo >/dev/null 2>&1 || skip "pdfinfo is not installed (package poppler-utils)"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
PPD=/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd
[ -f "$PPD" ] && [ -e /usr/lib/cups/backend/cups-pdf ] ||
  skip "cups-pdf is not installed (package printer-driver-cups-pdf)"
[ -x "$TEST_BIN" ] || fail "$TEST_BIN is not a program"

TMP=$(mktemp -d /tmp/striae-print-XXXXXX) || fail "no temporary folder"
CUPSD=""
PDF=""
cleanup ()
{
  if [ -n "$CUPSD" ]; then
    kill "$CUPSD" 2>/dev/null
    wait "$CUPSD" 2>/dev/null
  fi
  [ -n "${STRIAE_KEEP_PDF:-}" ] || [ -z "$PDF" ] || rm -f "$PDF"
  [ -n "${STRIAE_KEEP_TMP:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
mkdir -p "$TMP/spool" "$TMP/cache" "$TMP/state" "$TMP/log"
cat > "$TMP/cups-files.conf" <<CONF
ServerRoot $TMP
RequestRoot $TMP/spool
CacheDir $TMP/cache
StateDir $TMP/state
ErrorLog $TMP/log/error_log
AccessLog $TMP/log/access_log
PageLog $TMP/log/page_log
ServerBin /usr/lib/cups
DataDir /usr/share/cups
FileDevice No
CONF
cat > "$TMP/cupsd.conf" <<CONF
Listen $TMP/cups.sock
Browsing No
LogLevel info
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
CONF
# cups-pdf writes to the job owner's ~/PDF as "<title>-job_<id>.pdf", and every fresh cupsd
# counts jobs from 1. Start this one at its own number so that the file is ours, even when
# another run of this test prints at the same time. (The cache must be newer than the spool
# folder, or cupsd rebuilds it from the spool folder.)
JOB_ID=$(( $$ % 30000 + 1000 ))
printf 'NextJobId %s\n' "$JOB_ID" > "$TMP/cache/job.cache"
touch -d '+1 minute' "$TMP/cache/job.cache"

/usr/sbin/cupsd -f -c "$TMP/cupsd.conf" -s "$TMP/cups-files.conf" &
CUPSD=$!
export CUPS_SERVER="$TMP/cups.sock"
for i in $(seq 50); do [ -S "$TMP/cups.sock" ] && break; sleep 0.1; done
[ -S "$TMP/cups.sock" ] ||
  skip "the private cupsd did not start: $(tail -3 "$TMP/log/error_log" 2>/dev/null)"

lpadmin -p StriaePDF -E -v cups-pdf:/ -P "$PPD" 2>/dev/null ||
  skip "lpadmin could not add the cups-pdf queue"
# Without pdftocairo the text becomes outlines and cannot be read back.
lpadmin -p StriaePDF -o pdftops-renderer-default=pdftocairo || fail "lpadmin could not set options"

job_errors () { grep "^E .*\[Job $JOB_ID\]" "$TMP/log/error_log" 2>/dev/null; }

START=$(date +%s%N)
STRIAE_TEST_PRINTER=StriaePDF "$TEST_BIN" -p /cli-sheet/print -p /cli-sheet/print-dialog \
  > "$TMP/test.log" 2>&1
RC=$?
if [ $RC -ne 0 ]; then
  sed 's/^/# /' "$TMP/test.log"
  fail "the sheet could not be sent to StriaePDF"
fi
# The case counts only when it ran and passed: a skip, or a case that was never registered, fails.
grep -q '^ok [0-9]* /cli-sheet/print$' "$TMP/test.log" ||
  fail "test-cli-sheet did not print: $(grep '/cli-sheet/print' "$TMP/test.log")"
grep -q '^ok [0-9]* /cli-sheet/print-dialog$' "$TMP/test.log" ||
  fail "the print dialog did not list StriaePDF: $(grep '/cli-sheet/print-dialog' "$TMP/test.log")"
grep '^# the print dialog' "$TMP/test.log"

# Wait for a complete file (pdfinfo reads it) or for the job to fail.
for i in $(seq 200); do
  PDF=$(find "$HOME/PDF" /root/PDF /var/spool/cups-pdf -name "*-job_$JOB_ID.pdf" 2>/dev/null |
        head -1)
  [ -n "$PDF" ] && pdfinfo "$PDF" >/dev/null 2>&1 && break
  [ -n "$(job_errors)" ] && break
  sleep 0.1
done
DONE=$(date +%s%N)
if [ -n "$(job_errors)" ]; then
  job_errors | sed 's/^/# /'
  fail "the print system could not process the job"
fi
[ -n "$PDF" ] || fail "cups-pdf wrote no PDF within 20 s"

grep '^# consent sent' "$TMP/test.log"
echo "# printed: $PDF ($(pdfinfo "$PDF" | sed -n 's/^Pages: *//p') pages)"
echo "# PDF written $(( (DONE - START) / 1000000 )) ms after test-cli-sheet started"
TEXT=$(pdftotext "$PDF" - |
       python3 -c 'import sys,unicodedata; print(unicodedata.normalize("NFKC", sys.stdin.read()))')
case "$TEXT" in
  *"Zoë Dubois-Émond Łukasiewicz"*"radiofrequency microneedling"*)
    echo "# sheet printed and read back" ;;
  *)
    echo "$TEXT" | head -20 | sed 's/^/# /'
    fail "the printed PDF lacks the patient's name" ;;
esac

# Waits for cups-pdf's file of job $1 and prints its path.
wait_pdf ()
{
  for i in $(seq 200); do
    F=$(find "$HOME/PDF" /root/PDF /var/spool/cups-pdf -name "*-job_$1.pdf" 2>/dev/null | head -1)
    [ -n "$F" ] && pdfinfo "$F" >/dev/null 2>&1 && { echo "$F"; return 0; }
    grep -q "^E .*\[Job $1\]" "$TMP/log/error_log" 2>/dev/null && return 1
    sleep 0.1
  done
  return 1
}

if [ -n "$CLI_BIN" ]; then
  STRIAE_TEST_PRINTER=StriaePDF "$CLI_BIN" -p /cli-sheets/print > "$TMP/cli.log" 2>&1 || {
    sed 's/^/# /' "$TMP/cli.log"
    fail "striae --sheet … --printer StriaePDF failed"
  }
  grep -q '^ok [0-9]* /cli-sheets/print$' "$TMP/cli.log" ||
    fail "test-cli-sheets did not print: $(grep '/cli-sheets/print' "$TMP/cli.log")"
  grep '^# striae' "$TMP/cli.log"
  ONE=$(wait_pdf $((JOB_ID + 1))) || fail "no PDF for striae --sheet consent --printer"
  DAY=$(wait_pdf $((JOB_ID + 2))) || fail "no PDF for striae --sheet aftercare --sessions-on"
  ONE_TEXT=$(pdftotext "$ONE" - |
             python3 -c 'import sys,unicodedata; print(unicodedata.normalize("NFKC", sys.stdin.read()))')
  DAY_TEXT=$(pdftotext "$DAY" - |
             python3 -c 'import sys,unicodedata; print(unicodedata.normalize("NFKC", sys.stdin.read()))')
  [ -n "${STRIAE_KEEP_PDF:-}" ] || rm -f "$ONE" "$DAY"
  case "$ONE_TEXT" in
    *"Zoë Dubois-Émond Łukasiewicz"*) ;;
    *) fail "the consent sheet printed by striae --sheet lacks the patient's name" ;;
  esac
  case "$DAY_TEXT" in
    *"Zoë Dubois-Émond Łukasiewicz"*"Hautpflege"*"Ana Ólafsdóttir"*"Caring for your skin"*) ;;
    *) echo "$DAY_TEXT" | head -20 | sed 's/^/# /'
       fail "the day's print lacks Zoë's German or Ana's English aftercare sheet" ;;
  esac
  echo "# striae --sheet … --printer: consent and the day's two aftercare sheets read back"
fi
if [ -n "$DAY_BIN" ]; then
  # Its job comes after those of test-cli-sheets (two) when that ran.
  DAY_JOB=$((JOB_ID + 1))
  [ -n "$CLI_BIN" ] && DAY_JOB=$((JOB_ID + 3))
  STRIAE_TEST_PRINTER=StriaePDF "$DAY_BIN" -p /day-page/print > "$TMP/day.log" 2>&1 || {
    sed 's/^/# /' "$TMP/day.log"
    fail "the day's list could not print to StriaePDF"
  }
  grep -q '^ok [0-9]* /day-page/print$' "$TMP/day.log" ||
    fail "test-day-page did not print: $(grep '/day-page/print' "$TMP/day.log")"
  grep "^# the day's list says" "$TMP/day.log"
  WINDOW_DAY=$(wait_pdf $DAY_JOB) || fail "no PDF for the day's list's print"
  WINDOW_TEXT=$(pdftotext "$WINDOW_DAY" - |
                python3 -c 'import sys,unicodedata; print(unicodedata.normalize("NFKC", sys.stdin.read()))')
  [ -n "${STRIAE_KEEP_PDF:-}" ] || rm -f "$WINDOW_DAY"
  case "$WINDOW_TEXT" in
    *"Zoë Dubois-Émond"*"Ihre nächste Sitzung ist am"*"Ana Ólafsdóttir"*"Your next session is planned for"*) ;;
    *) echo "$WINDOW_TEXT" | head -20 | sed 's/^/# /'
       fail "the day's list's print lacks Zoë's German or Ana's English aftercare sheet" ;;
  esac
  echo "# the day's list: both aftercare sheets, dated the day, read back"
fi
echo "# the whole print test took $(( ($(date +%s%N) - TEST_START) / 1000000 )) ms"
echo "ok 1 - sheets printed and read back"
