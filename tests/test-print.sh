#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# A real print: a private cupsd with a cups-pdf queue, a sheet printed through Striae's
# dialog-less print job (tests/test-cli-sheet /cli-sheet/print), and its text read back from
# the PDF cups-pdf writes. TAP; SKIP when CUPS or cups-pdf is not installed.
# Usage: test-print.sh PATH/TO/test-cli-sheet   (run under tests/run-headless: GTK needs a display)
set -u
TEST_BIN=${1:?usage: test-print.sh test-cli-sheet}
echo "1..1"
skip () { echo "ok 1 # SKIP $1"; exit 0; }

command -v /usr/sbin/cupsd >/dev/null 2>&1 || skip "cupsd is not installed"
command -v lpadmin >/dev/null 2>&1 || skip "lpadmin is not installed"
command -v pdftotext >/dev/null 2>&1 || skip "pdftotext is not installed"
PPD=/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd
[ -f "$PPD" ] && [ -x /usr/lib/cups/backend/cups-pdf ] || skip "printer-driver-cups-pdf is not installed"
[ "$(id -u)" = 0 ] || skip "cups-pdf needs cupsd to run as root (CI runs these tests as root)"

TMP=$(mktemp -d /tmp/striae-print-XXXXXX)
mkdir -p "$TMP/spool" "$TMP/cache" "$TMP/state" "$TMP/log" "$TMP/home"
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
LogLevel warn
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

/usr/sbin/cupsd -f -c "$TMP/cupsd.conf" -s "$TMP/cups-files.conf" &
CUPSD=$!
cleanup () { kill "$CUPSD" 2>/dev/null; wait "$CUPSD" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
export CUPS_SERVER="$TMP/cups.sock"
for i in $(seq 50); do [ -S "$TMP/cups.sock" ] && break; sleep 0.1; done
[ -S "$TMP/cups.sock" ] || skip "the private cupsd did not start: $(tail -3 "$TMP/log/error_log" 2>/dev/null)"

lpadmin -p StriaePDF -E -v cups-pdf:/ -P "$PPD" || skip "lpadmin could not add the cups-pdf queue"
# Without pdftocairo the text becomes outlines and cannot be read back.
lpadmin -p StriaePDF -o pdftops-renderer-default=pdftocairo

START=$(date +%s%N)
STRIAE_TEST_PRINTER=StriaePDF "$TEST_BIN" -p /cli-sheet/print > "$TMP/test.log" 2>&1
RC=$?
SENT=$(date +%s%N)
if [ $RC -ne 0 ]; then
  sed 's/^/# /' "$TMP/test.log"
  echo "not ok 1 - the sheet could not be sent to StriaePDF"
  exit 1
fi

# cups-pdf writes to the job owner's ~/PDF or its spool folder; wait for a finished file.
PDF=""
for i in $(seq 300); do
  PDF=$(find "$HOME/PDF" /root/PDF /var/spool/cups-pdf -name '*.pdf' -newer "$TMP/cupsd.conf" \
        2>/dev/null | head -1)
  [ -n "$PDF" ] && pdfinfo "$PDF" >/dev/null 2>&1 && break
  PDF=""
  sleep 0.1
done
DONE=$(date +%s%N)
if [ -z "$PDF" ]; then
  sed 's/^/# /' "$TMP/log/error_log" 2>/dev/null
  echo "not ok 1 - cups-pdf wrote no PDF"
  exit 1
fi

TEXT=$(pdftotext "$PDF" - | python3 -c 'import sys,unicodedata; print(unicodedata.normalize("NFKC", sys.stdin.read()))')
echo "# printed: $PDF"
echo "# sent in $(( (SENT - START) / 1000000 )) ms, PDF ready after $(( (DONE - START) / 1000000 )) ms"
[ -n "${STRIAE_KEEP_PDF:-}" ] || rm -f "$PDF"
case "$TEXT" in
  *"Zoë Dubois-Émond Łukasiewicz"*"radiofrequency microneedling"*) echo "ok 1 - sheet printed and read back" ;;
  *) echo "$TEXT" | head -20 | sed 's/^/# /'; echo "not ok 1 - the printed PDF lacks the patient's name"; exit 1 ;;
esac
