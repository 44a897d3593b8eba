#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Counts subtests in meson's test log and prints `N passed, N failed, N skipped`.

Before that line it names every skipped subtest with its reason (`skipped: TEST: SUBTEST #
SKIP why`), so that a skip is visible in the log rather than only counted.

Each of our tests speaks TAP, so a program's stdout holds one `ok`/`not ok` line a subtest.
A program that failed without reporting a failing subtest (a crash, a timeout, a missing
plan) counts as one failure more, so nothing that went wrong is hidden."""

import json
import re
import sys

OK = re.compile(r'^ok\b(.*)$')
NOT_OK = re.compile(r'^not ok\b(.*)$')
SKIP = re.compile(r'#\s*skip', re.IGNORECASE)
TODO = re.compile(r'#\s*todo', re.IGNORECASE)


def count(path, skips):
    passed = failed = skipped = 0
    try:
        log = open(path, encoding='utf-8')
    except OSError as error:
        # A run that left no log (it could not start) is a failure, not nothing.
        print(f"summary: no test log {path}: {error.strerror}", file=sys.stderr)
        return 0, 1, 0
    with log:
        for line in log:
            entry = json.loads(line)
            p = f = s = 0
            for out in (entry.get('stdout') or '').splitlines():
                if m := OK.match(out):
                    if SKIP.search(m.group(1)):
                        s += 1
                        skips.append(f"{entry.get('name')}:{m.group(1)}")
                    else:
                        p += 1
                elif m := NOT_OK.match(out):
                    if TODO.search(m.group(1)):
                        s += 1
                        skips.append(f"{entry.get('name')}:{m.group(1)}")
                    else:
                        f += 1
            if entry.get('result') not in ('OK', 'SKIP', 'EXPECTEDFAIL') and f == 0:
                f += 1
                print(f"summary: {entry.get('name')} ended {entry.get('result')}",
                      file=sys.stderr)
            if entry.get('result') == 'SKIP' and p + f + s == 0:
                s += 1
                skips.append(f"{entry.get('name')}: the whole test")
            passed += p
            failed += f
            skipped += s
    return passed, failed, skipped


def main():
    totals = [0, 0, 0]
    skips = []
    for path in sys.argv[1:]:
        for i, n in enumerate(count(path, skips)):
            totals[i] += n
    passed, failed, skipped = totals
    for skip in skips:
        print(f'skipped: {skip}')
    print(f'{passed} passed, {failed} failed, {skipped} skipped')
    return 1 if failed or passed == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
