#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads the setup page of records kept before accounts as a screen reader would (AT-SPI): no
patient's name or phone may be anywhere in it; its four fields and Create Administrator are
found by their names, and no button is unnamed; the administrator made there brings the
register and its patient back (so the walk can fail).

Runs inside tests/run-headless (Xvfb + a private session bus). Speaks TAP. Needs
SETUP_TEST_BINARY (tests/test-setup, which opens the window with --setup-window);
GTK_A11Y must not be "none"."""

from a11y_common import (Tap, describe, find_app, start_accessibility,
                         test_binary, texts, type_into, wait_for, walk)

SECRETS = ['Henrike', 'Quast-Bellmann', '5550 1234']

binary = test_binary('SETUP_TEST_BINARY', 'tests/test-setup')
start_accessibility()
tap = Tap()
ok = tap.ok


def find(root, role, name):
    """The first widget of @role whose accessible name is @name (a mnemonic's underline and a
    repeated label aside)."""
    for acc in walk(root):
        plain = (acc.name or '').replace('_', '')
        if acc.getRoleName() == role and (plain == name or plain.startswith(name + ' ')):
            return acc
    return None


line = tap.start_child(binary, '--setup-window')
ok(line == 'SETUP', 'the window on records kept before accounts shows the setup page', line)

app = wait_for(lambda: find_app('striae-setup-test'), 60)
ok(app is not None, 'the app is on the accessibility bus')

seen = texts(app)
leaked = sorted({s for s in SECRETS for t in seen if s in t})
ok(not leaked, 'no patient detail is readable over AT-SPI on the setup page',
   'found: %s' % leaked)
ok(any('before accounts' in t for t in seen),
   'the setup page says that the earlier entries stay "before accounts"')

fields = {}
for name in ['Account Name', 'Display Name', 'Password', 'Password Again']:
    fields[name] = wait_for(lambda: find(app, 'text', name), 10)
    ok(fields[name] is not None, 'the field "%s" is found by its name' % name,
       describe(walk(app)))
create = find(app, 'push button', 'Create Administrator')
ok(create is not None, 'the Create Administrator button is found by its name')
unnamed = [a.getRoleName() for a in walk(app)
           if a.getRoleName() in ('push button', 'toggle button') and
           (not a.name or a.name.startswith('Gtk'))]
ok(not unnamed, 'every button of the setup page has a plain accessible name', '%s' % unnamed)

for name, value in [('Account Name', 'anna'), ('Display Name', 'Dr Anna Roth'),
                    ('Password', 'correct horse'), ('Password Again', 'correct horse')]:
    ok(type_into(fields[name], value), 'the field "%s" can be typed into' % name)
create.queryAction().doAction(0)

back = wait_for(lambda: any('Quast-Bellmann' in t for t in texts(app)), 30)
ok(back, 'after Create Administrator the register shows the patient (the walk can fail)')
tap.finish()
