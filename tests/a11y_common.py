# SPDX-License-Identifier: GPL-3.0-or-later
"""What the AT-SPI tests (tests/a11y-*.py) share: TAP output, the accessibility bus, a test
program started as a child, and reading the accessible tree as a screen reader would.

Each test runs inside tests/run-headless (Xvfb + a private session bus). pyatspi is imported
only once start_accessibility() has started the accessibility bus: importing it earlier makes
it and the app race to start two buses."""

import os
import subprocess
import sys
import time


def bail(reason):
    print('Bail out! ' + reason, flush=True)
    sys.exit(1)


class Tap:
    """The test's steps in TAP; the first failure ends the test. The child started by
    start_child() ends with it (its standard input closes, which tells it to quit)."""

    def __init__(self):
        self.steps = []
        self.child = None

    def finish(self, failed=False):
        print('1..%d' % len(self.steps), flush=True)
        if self.child is not None:
            self.child.stdin.close()
            try:
                self.child.wait(20)
            except subprocess.TimeoutExpired:
                self.child.kill()
        sys.exit(1 if failed else 0)

    def ok(self, cond, what, detail=None):
        self.steps.append(what)
        print(('ok' if cond else 'not ok') + ' %d - %s' % (len(self.steps), what), flush=True)
        if not cond:
            if detail:
                print('# ' + detail.replace('\n', '\n# '), flush=True)
            self.finish(failed=True)

    def start_child(self, binary, option):
        """Starts the test program @binary with @option and returns the first line it
        prints (it prints one when its window is ready)."""
        self.child = subprocess.Popen([binary, option], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=True)
        return self.child.stdout.readline().strip()


def test_binary(variable, what):
    """The program that the environment variable @variable names (@what says which)."""
    binary = os.environ.get(variable)
    if not binary or not os.access(binary, os.X_OK):
        bail('%s does not name the built %s' % (variable, what))
    return binary


def start_accessibility():
    """Turns accessibility on for the programs started from now on and starts the
    accessibility bus, then waits for it."""
    if os.environ.get('GTK_A11Y') == 'none':
        bail('GTK_A11Y=none turns accessibility off; unset it for this test')
    os.environ.pop('GTK_A11Y', None)
    os.environ['NO_AT_BRIDGE'] = '0'
    os.environ.setdefault('GSETTINGS_BACKEND', 'memory')

    # Its registry daemon prints a line on stdout, which is TAP here: keep the bus's stdout
    # apart.
    subprocess.Popen(['/usr/libexec/at-spi-bus-launcher', '--launch-immediately'],
                     stdout=subprocess.DEVNULL)
    subprocess.run(['gdbus', 'wait', '--session', '--timeout', '20', 'org.a11y.Bus'],
                   check=True)

    from gi.repository import Atspi
    # libatspi waits 0.8 s for an app's reply; the app built with AddressSanitizer, on a
    # loaded CI machine, can take longer to answer a walk of a large page. Wait as a patient
    # screen reader would: 30 s a call, 60 s for an app that is starting.
    Atspi.set_timeout(30000, 60000)


def wait_for(fn, timeout=30.0, step=0.2):
    """The first true value of fn() within @timeout seconds, else None; an exception
    counts as not yet."""
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


def showing(acc):
    import pyatspi
    try:
        return acc.getState().contains(pyatspi.STATE_VISIBLE)
    except Exception:
        return False


def plain(name):
    """GTK 4.8 reads a button with a mnemonic as its raw label and then its shown label
    ('_Next Next'), a button named explicitly as its name and then its label's text
    ('Sign Sign'), and a widget with an explicit label inside a row that labels it too as
    'Type II Type II': reduce each to the label."""
    name = name or ''
    for i, ch in enumerate(name):
        if ch != ' ':
            continue
        first, second = name[:i], name[i + 1:]
        if second and first.replace('_', '') == second:
            return second
    return name


def describe(accessibles):
    """One line per accessible, role and name, for a failure's detail."""
    return '\n'.join('%s %r' % (a.getRoleName(), a.name) for a in accessibles)


def find_app(name):
    """The application @name on the accessibility bus once it shows a window, its cache
    off so that every read is fresh."""
    import pyatspi
    from gi.repository import Atspi
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and app.name == name and app.childCount > 0:
            app.set_cache_mask(Atspi.Cache.NONE)
            app.clear_cache()
            return app
    return None


def type_into(field, text):
    """Sets the text of @field, or of the editable inside it; False when none is."""
    for target in [field] + list(walk(field)):
        try:
            editable = target.queryEditableText()
        except NotImplementedError:
            continue
        editable.setTextContents(text)
        return True
    return False
