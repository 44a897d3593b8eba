#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads the session record page as a screen reader would (AT-SPI): every button, field,
switch and spin button has a plain accessible name; the time is typed into the field found
by its name, and Sign, found by its name, signs the record (then Amend is offered, so the
walk can fail).

Runs inside tests/run-headless (Xvfb + a private session bus). Speaks TAP. Needs
SESSION_TEST_BINARY (tests/test-session-page, which opens the page with --session-window);
GTK_A11Y must not be "none"."""

from a11y_common import (Tap, describe, find_app, plain, showing, start_accessibility,
                         test_binary, type_into, wait_for, walk)

NAMED_ROLES = ('push button', 'toggle button', 'check box', 'text', 'spin button', 'switch',
               'combo box')

binary = test_binary('SESSION_TEST_BINARY', 'tests/test-session-page')
start_accessibility()
tap = Tap()
ok = tap.ok


def find(root, role, name):
    for acc in walk(root):
        if acc.getRoleName() == role and name == plain(acc.name) and showing(acc):
            return acc
    return None


line = tap.start_child(binary, '--session-window')
ok(line == 'READY', 'the session record page is open past its check', line)

app = wait_for(lambda: find_app('striae-session-test'), 60)
ok(app is not None, 'the app is on the accessibility bus')

controls = [a for a in walk(app) if a.getRoleName() in NAMED_ROLES and showing(a)]
ok(len(controls) > 15, 'the page offers its controls to a screen reader',
   '%d found; roles: %s' % (len(controls), sorted({(a.getRoleName(), showing(a)) for a in walk(app)})))
unnamed = ['%s %r' % (a.getRoleName(), a.name) for a in controls
           if not (a.name or '').strip() or a.name.startswith('Gtk') or '_' in a.name]
ok(not unnamed, 'every button, field, switch and spin button has a plain accessible name',
   '\n'.join(unnamed))

time_field = find(app, 'text', 'Time (hours:minutes)')
ok(time_field is not None, 'the time field is found by its name',
   describe(controls))
ok(type_into(time_field, '09:15'), 'the time field can be typed into')

sign = find(app, 'push button', 'Sign')
ok(sign is not None, 'the Sign button is found by its name',
   describe(controls))
ok(find(app, 'push button', 'Remove product 1') is not None,
   'the product has its Remove button, named with its number')
ok(find(app, 'push button', 'Amend…') is None, 'a draft offers no Amend')
sign.queryAction().doAction(0)

amend = wait_for(lambda: find(app, 'push button', 'Amend…'), 30)
ok(amend is not None, 'after Sign the record is signed and Amend is offered',
   describe(a for a in walk(app)
            if a.getRoleName() in ('push button', 'label') and showing(a)))
tap.finish()
