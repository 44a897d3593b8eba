#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads the session record page as a screen reader would (AT-SPI): every button, field,
switch and spin button has a plain accessible name; the time is typed into the field found
by its name, and Sign, found by its name, signs the record (then Amend is offered, so the
walk can fail).

Runs inside tests/run-headless (Xvfb + a private session bus). Speaks TAP. Needs
SESSION_TEST_BINARY (tests/test-session-page, which opens the page with --session-window);
GTK_A11Y must not be "none"."""

import os
import subprocess
import sys
import time

STEPS = []
CHILD = None
NAMED_ROLES = ('push button', 'toggle button', 'check box', 'text', 'spin button', 'switch',
               'combo box')


def finish(failed=False):
    print('1..%d' % len(STEPS), flush=True)
    if CHILD is not None:
        CHILD.stdin.close()
        try:
            CHILD.wait(20)
        except subprocess.TimeoutExpired:
            CHILD.kill()
    sys.exit(1 if failed else 0)


def ok(cond, what, detail=None):
    STEPS.append(what)
    print(('ok' if cond else 'not ok') + ' %d - %s' % (len(STEPS), what), flush=True)
    if not cond:
        if detail:
            print('# ' + detail.replace('\n', '\n# '), flush=True)
        finish(failed=True)


def bail(reason):
    print('Bail out! ' + reason, flush=True)
    sys.exit(1)


binary = os.environ.get('SESSION_TEST_BINARY')
if not binary or not os.access(binary, os.X_OK):
    bail('SESSION_TEST_BINARY does not name the built tests/test-session-page')
if os.environ.get('GTK_A11Y') == 'none':
    bail('GTK_A11Y=none turns accessibility off; unset it for this test')
os.environ.pop('GTK_A11Y', None)
os.environ['NO_AT_BRIDGE'] = '0'
os.environ.setdefault('GSETTINGS_BACKEND', 'memory')

# The accessibility bus must exist before the app starts; its registry daemon prints a line
# on stdout, which is TAP here.
subprocess.Popen(['/usr/libexec/at-spi-bus-launcher', '--launch-immediately'],
                 stdout=subprocess.DEVNULL)
subprocess.run(['gdbus', 'wait', '--session', '--timeout', '20', 'org.a11y.Bus'], check=True)

import pyatspi  # noqa: E402  (needs the bus above)
from gi.repository import Atspi  # noqa: E402

Atspi.set_timeout(30000, 60000)


def wait_for(fn, timeout=30.0, step=0.2):
    end = time.monotonic() + timeout
    while True:
        try:
            value = fn()
        except Exception:
            value = None
        if value:
            return value
        if time.monotonic() > end:
            return None
        time.sleep(step)


def walk(acc):
    for i in range(acc.childCount):
        child = acc.getChildAtIndex(i)
        if child is None:
            continue
        yield child
        yield from walk(child)


def find_app():
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and app.name == 'striae-session-test' and app.childCount > 0:
            app.set_cache_mask(Atspi.Cache.NONE)
            app.clear_cache()
            return app
    return None


def showing(acc):
    try:
        return acc.getState().contains(pyatspi.STATE_VISIBLE)
    except Exception:
        return False


def plain(name):
    """GTK 4.8 reads a button named explicitly as its name and then its label's text ("Sign
    Sign"): that is one name for a screen reader's user."""
    name = name or ''
    half = (len(name) - 1) // 2
    if len(name) % 2 == 1 and name[half] == ' ' and name[:half] == name[half + 1:]:
        return name[:half]
    return name


def find(root, role, name):
    for acc in walk(root):
        if acc.getRoleName() == role and name == plain(acc.name) and showing(acc):
            return acc
    return None


CHILD = subprocess.Popen([binary, '--session-window'], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
line = CHILD.stdout.readline().strip()
ok(line == 'READY', 'the session record page is open past its check', line)

app = wait_for(find_app, 60)
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
   '\n'.join('%s %r' % (a.getRoleName(), a.name) for a in controls))
editable = None
for target in [time_field] + list(walk(time_field)):
    try:
        editable = target.queryEditableText()
        break
    except NotImplementedError:
        continue
ok(editable is not None, 'the time field can be typed into')
editable.setTextContents('09:15')

sign = find(app, 'push button', 'Sign')
ok(sign is not None, 'the Sign button is found by its name',
   '\n'.join('%s %r' % (a.getRoleName(), a.name) for a in controls))
ok(find(app, 'push button', 'Remove product 1') is not None,
   'the product has its Remove button, named with its number')
ok(find(app, 'push button', 'Amend…') is None, 'a draft offers no Amend')
sign.queryAction().doAction(0)

amend = wait_for(lambda: find(app, 'push button', 'Amend…'), 30)
ok(amend is not None, 'after Sign the record is signed and Amend is offered',
   '\n'.join('%s %r' % (a.getRoleName(), a.name) for a in walk(app)
             if a.getRoleName() in ('push button', 'label') and showing(a)))
finish()
