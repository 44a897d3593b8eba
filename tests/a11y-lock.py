#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads a locked Striae window as a screen reader would (AT-SPI): no patient's name, date of
birth, phone or consultation text may be anywhere in it; the lock page has its password field
and Unlock; the right password typed there brings the patient back (so the walk can fail).

Runs inside tests/run-headless (Xvfb + a private session bus). Speaks TAP. Needs
LOCK_TEST_BINARY (tests/test-lock, which opens the locked window with --locked-window);
GTK_A11Y must not be "none"."""

from a11y_common import (Tap, describe, find_app, start_accessibility,
                         test_binary, texts, type_into, wait_for, walk)

SECRETS = ['Henrike', 'Quast-Bellmann', '1979-03-14', '14/03/1979', '14.03.1979',
           '03/14/1979', '5550 1234', 'Isotretinoin until May']

binary = test_binary('LOCK_TEST_BINARY', 'tests/test-lock')
start_accessibility()
tap = Tap()
ok = tap.ok


def find(root, role, name):
    for acc in walk(root):
        if acc.getRoleName() == role and name in (acc.name or ''):
            return acc
    return None


line = tap.start_child(binary, '--locked-window')
ok(line == 'LOCKED', 'the window with a patient, a draft and the editor is locked', line)

app = wait_for(lambda: find_app('striae-lock-test'), 60)
ok(app is not None, 'the app is on the accessibility bus')

seen = texts(app)
leaked = sorted({s for s in SECRETS for t in seen if s in t})
ok(not leaked, 'no patient detail is readable over AT-SPI while locked',
   'found: %s' % leaked)
ok(any('Locked' in t for t in seen), 'the lock page says the window is locked')

password = wait_for(lambda: find(app, 'text', 'Password'), 10)
ok(password is not None, 'the password field is found by its name',
   describe(walk(app)))
unlock = find(app, 'push button', 'Unlock')
ok(unlock is not None, 'the Unlock button is found by its name')
unnamed = [a.getRoleName() for a in walk(app)
           if a.getRoleName() in ('push button', 'toggle button') and
           (not a.name or a.name.startswith('Gtk') or '_' in a.name)]
ok(not unnamed, 'every button of the locked window has a plain accessible name',
   '%s' % unnamed)
ok(type_into(password, 'correct horse'), 'the password field can be typed into')
action = unlock.queryAction()
action.doAction(0)

back = wait_for(lambda: any('Quast-Bellmann' in t for t in texts(app)), 30)
ok(back, 'after the right password the patient is readable again (the walk can fail)')
tap.finish()
