#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads a locked Striae window as a screen reader would (AT-SPI): no patient's name, date of
birth, phone or consultation text may be anywhere in it; the lock page has its password field
and Unlock; the right password typed there brings the patient back (so the walk can fail).

Runs inside tests/run-headless (Xvfb + a private session bus). Speaks TAP. Needs
LOCK_TEST_BINARY (tests/test-lock, which opens the locked window with --locked-window);
GTK_A11Y must not be "none"."""

import os
import subprocess
import sys
import time

SECRETS = ['Henrike', 'Quast-Bellmann', '1979-03-14', '14/03/1979', '14.03.1979',
           '03/14/1979', '5550 1234', 'Isotretinoin until May']
STEPS = []
CHILD = None


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


binary = os.environ.get('LOCK_TEST_BINARY')
if not binary or not os.access(binary, os.X_OK):
    bail('LOCK_TEST_BINARY does not name the built tests/test-lock')
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


def texts(root):
    """Every name, description and text the app offers to a screen reader."""
    found = []
    for acc in [root] + list(walk(root)):
        found.append(acc.name or '')
        found.append(acc.description or '')
        try:
            text = acc.queryText()
            found.append(text.getText(0, text.characterCount))
        except NotImplementedError:
            pass
    return found


def find_app():
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and app.name == 'striae-lock-test' and app.childCount > 0:
            app.set_cache_mask(Atspi.Cache.NONE)
            app.clear_cache()
            return app
    return None


def find(root, role, name):
    for acc in walk(root):
        if acc.getRoleName() == role and name in (acc.name or ''):
            return acc
    return None


CHILD = subprocess.Popen([binary, '--locked-window'], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
line = CHILD.stdout.readline().strip()
ok(line == 'LOCKED', 'the window with a patient, a draft and the editor is locked', line)

app = wait_for(find_app, 60)
ok(app is not None, 'the app is on the accessibility bus')

seen = texts(app)
leaked = sorted({s for s in SECRETS for t in seen if s in t})
ok(not leaked, 'no patient detail is readable over AT-SPI while locked',
   'found: %s' % leaked)
ok(any('Locked' in t for t in seen), 'the lock page says the window is locked')

password = wait_for(lambda: find(app, 'text', 'Password'), 10)
ok(password is not None, 'the password field is found by its name',
   '\n'.join('%s %r' % (a.getRoleName(), a.name) for a in walk(app)))
unlock = find(app, 'push button', 'Unlock')
ok(unlock is not None, 'the Unlock button is found by its name')
unnamed = [a.getRoleName() for a in walk(app)
           if a.getRoleName() in ('push button', 'toggle button') and
           (not a.name or a.name.startswith('Gtk') or '_' in a.name)]
ok(not unnamed, 'every button of the locked window has a plain accessible name',
   '%s' % unnamed)
editable = None
for target in [password] + list(walk(password)):
    try:
        editable = target.queryEditableText()
        break
    except NotImplementedError:
        continue
ok(editable is not None, 'the password field can be typed into')
editable.setTextContents('correct horse')
action = unlock.queryAction()
action.doAction(0)

back = wait_for(lambda: any('Quast-Bellmann' in t for t in texts(app)), 30)
ok(back, 'after the right password the patient is readable again (the walk can fail)')
finish()
