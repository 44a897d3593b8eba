#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reads the setup page of records kept before accounts as a screen reader would (AT-SPI): no
patient's name or phone may be anywhere in it; its four fields and Create Administrator are
found by their names, and no button is unnamed; the administrator made there brings the
register and its patient back (so the walk can fail).

Runs inside tests/run-headless (Xvfb + a private session bus). Speaks TAP. Needs
SETUP_TEST_BINARY (tests/test-setup, which opens the window with --setup-window);
GTK_A11Y must not be "none"."""

import os
import subprocess
import sys
import time

SECRETS = ['Henrike', 'Quast-Bellmann', '5550 1234']
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


binary = os.environ.get('SETUP_TEST_BINARY')
if not binary or not os.access(binary, os.X_OK):
    bail('SETUP_TEST_BINARY does not name the built tests/test-setup')
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
        if app is not None and app.name == 'striae-setup-test' and app.childCount > 0:
            app.set_cache_mask(Atspi.Cache.NONE)
            app.clear_cache()
            return app
    return None


def find(root, role, name):
    """The first widget of @role whose accessible name is @name (a mnemonic's underline and a
    repeated label aside)."""
    for acc in walk(root):
        plain = (acc.name or '').replace('_', '')
        if acc.getRoleName() == role and (plain == name or plain.startswith(name + ' ')):
            return acc
    return None


def type_into(field, text):
    for target in [field] + list(walk(field)):
        try:
            editable = target.queryEditableText()
        except NotImplementedError:
            continue
        editable.setTextContents(text)
        return True
    return False


CHILD = subprocess.Popen([binary, '--setup-window'], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
line = CHILD.stdout.readline().strip()
ok(line == 'SETUP', 'the window on records kept before accounts shows the setup page', line)

app = wait_for(find_app, 60)
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
       '\n'.join('%s %r' % (a.getRoleName(), a.name) for a in walk(app)))
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
finish()
