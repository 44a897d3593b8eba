#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The photos page, its comparison and the consent signing window, walked over AT-SPI as a
screen-reader and keyboard user would (issue 18): every interactive widget has a role and an
accessible name, and Tab reaches each of them; the walk fails on the first that does not.

The records come from tests/test-consent-dialog --walk-records (the test's administrator, a
patient with a signed course on her left thigh, two JPEG files); the photo consent and the
photos are added through the command line (--photo-consent, --add-photo) before the window
opens. Runs inside tests/run-headless (Xvfb + a private session bus). Speaks TAP. Needs
STRIAE_APP_BINARY and WALK_RECORDS_BINARY; GTK_A11Y must not be "none". With
STRIAE_SCREENSHOT_DIR set, the screen is saved there as walk-photos.png, walk-compare.png
and walk-consent.png (ImageMagick's import), to look at."""

import os
import shutil
import subprocess
import sys
import tempfile
import time

from a11y_common import (Tap, bail, describe, plain, start_accessibility, test_binary,
                         type_into, wait_for, walk)

# What a keyboard or pointer acts on; each needs a role a screen reader announces and a name.
CONTROL_ROLES = ('push button', 'toggle button', 'check box', 'radio button', 'text', 'entry',
                 'password text', 'combo box', 'spin button', 'switch', 'slider', 'menu item',
                 'link')
# Roles that say nothing of what a widget is: an interactive widget with one of them is
# announced as nothing at all.
EMPTY_ROLES = ('filler', 'unknown', 'invalid', 'panel', 'redundant object')
# The tests' administrator (tests/striae-test-cli.h).
ACCOUNT = 'striae-test'
PASSWORD = 'striae test password'

app_binary = test_binary('STRIAE_APP_BINARY', 'striae')
records_binary = test_binary('WALK_RECORDS_BINARY', 'tests/test-consent-dialog')
start_accessibility()

import pyatspi  # noqa: E402  (needs the bus above)
from gi.repository import Atspi, GLib  # noqa: E402

tap = Tap()
ok = tap.ok
folder = tempfile.mkdtemp(prefix='striae-a11y-photos-')
database = os.path.join(folder, 'striae.db')
app_process = None


def finish(failed=False):
    if app_process is not None:
        app_process.terminate()
        try:
            app_process.wait(20)
        except subprocess.TimeoutExpired:
            app_process.kill()
    shutil.rmtree(folder, ignore_errors=True)
    tap.finish(failed)


def on_exception(kind, value, trace):
    """An error of the walk itself: the app and the records go too, then the error shows."""
    sys.__excepthook__(kind, value, trace)
    print('Bail out! %s: %s' % (kind.__name__, value), flush=True)
    if app_process is not None:
        app_process.kill()
    shutil.rmtree(folder, ignore_errors=True)


sys.excepthook = on_exception


def check(cond, what, detail=None):
    if not cond:
        tap.steps.append(what)
        print('not ok %d - %s' % (len(tap.steps), what), flush=True)
        if detail:
            print('# ' + detail.replace('\n', '\n# '), flush=True)
        finish(failed=True)
    ok(cond, what)


def striae(*args):
    """`striae --database DB --user ACCOUNT ARGS…`, the password on standard input."""
    return subprocess.run([app_binary, '--database', database, '--user', ACCOUNT] + list(args),
                          input=PASSWORD + '\n', capture_output=True, text=True)


# 1. The records, then the consent and the photos through the command line.
made = subprocess.run([records_binary, '--walk-records', folder], capture_output=True,
                      text=True)
ids = made.stdout.split()
check(made.returncode == 0 and len(ids) == 2 and all(i.isdigit() for i in ids),
      'tests/test-consent-dialog --walk-records makes the records', made.stderr)
patient_id, consultation_id = ids
given = striae('--photo-consent', patient_id, 'clinical')
check(given.returncode == 0, 'striae --photo-consent records the clinical consent', given.stderr)
for name, moment in (('photo-1.jpg', 'consultation'), ('photo-2.jpg', 'consultation')):
    added = striae('--add-photo', os.path.join(folder, name), '--consultation', consultation_id,
                   '--site', 'thighs', '--side', 'left', '--moment', moment)
    check(added.returncode == 0, 'striae --add-photo adds %s' % name, added.stderr)


# 2. The window, signed in, on the patient.
def find_app():
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and app.name == 'striae' and app.childCount > 0:
            frame = app.getChildAtIndex(0)
            if frame is not None and frame.childCount > 0:
                # GTK 4.8 does not tell the bus when a name changes: ask every time.
                app.set_cache_mask(Atspi.Cache.NONE)
                app.clear_cache()
                return app
    return None


def find(root, role, name):
    for acc in walk(root):
        if acc.getRoleName() == role and plain(acc.name) == name:
            return acc
    return None


def need(root, role, name, timeout=15):
    acc = wait_for(lambda: find(root, role, name), timeout)
    check(acc is not None, 'a %s named "%s" is there' % (role, name),
          describe(a for a in walk(root) if a.getRoleName() in CONTROL_ROLES))
    return acc


def press(acc):
    action = acc.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ('click', 'activate', 'toggle'):
            action.doAction(i)
            return
    bail('%s %r offers no action' % (acc.getRoleName(), acc.name))


def x_window(title):
    found = subprocess.run(['xdotool', 'search', '--sync', '--onlyvisible', '--name', title],
                           capture_output=True, text=True, check=True).stdout.split()
    return found[-1]


def keys(title, *names):
    """Presses keys in the window whose title matches @title, as a keyboard user would."""
    window = x_window(title)
    subprocess.run(['xdotool', 'windowfocus', '--sync', window], check=False)
    for name in names:
        subprocess.run(['xdotool', 'key', '--clearmodifiers', name], check=True)
        time.sleep(0.2)


# Every sheet, the consent too, tells the patient the clinic's number: the app's settings
# carry it, in a key file of the walk's own (GSettings' keyfile backend).
settings_dir = os.path.join(folder, 'config', 'glib-2.0', 'settings')
os.makedirs(settings_dir)
with open(os.path.join(settings_dir, 'keyfile'), 'w') as f:
    f.write("[io/github/striae/Striae]\nclinic-name='Clinique du Parc'\n"
            "clinic-phone='+33 1 23 45 67 89'\n")
app_env = dict(os.environ, GSETTINGS_BACKEND='keyfile',
               XDG_CONFIG_HOME=os.path.join(folder, 'config'))
app_process = subprocess.Popen([app_binary, '--database', database], env=app_env)
app = wait_for(find_app, 60)
check(app is not None, 'the app shows a window on the accessibility bus')
frame = app.getChildAtIndex(0)
check(type_into(need(frame, 'text', 'Account Name'), ACCOUNT), 'the sign-in page takes the name')
check(type_into(need(frame, 'text', 'Password'), PASSWORD), 'the sign-in page takes the password')
press(need(frame, 'push button', 'Unlock'))
search = need(frame, 'entry', 'Search patients by name, phone, email or date of birth')
check(type_into(search, 'Moreau'), 'the search field takes "Moreau"')
check(wait_for(lambda: [a for a in walk(frame) if a.getRoleName() == 'list item'
                        and 'Moreau' in ''.join(c.name or '' for c in walk(a))], 15),
      'the patient list shows Inès Moreau')
# As in tests/a11y-wizard.py: GTK 4.8's search entry does not open the patient through its
# action; Ctrl+F and Return do, as for a keyboard user.
keys('^Striae$', 'ctrl+f', 'Return')
# The consultation's secondary actions are in its menu (a narrow window keeps room for the
# date): a named menu button, then its "Consent…" item.
consent_menu = wait_for(lambda: next((a for a in walk(frame) if a.getRoleName() in
                                      ('push button', 'toggle button', 'button')
                                      and (a.name or '').startswith('More for the consultation of')),
                                     None), 15)
check(consent_menu is not None, 'the consultation row offers its menu, named for its date',
      describe(a for a in walk(frame) if a.getRoleName() in CONTROL_ROLES))


def open_menu_item(menu, item):
    """Opens @menu as a pointer or Enter would, and activates its item named @item."""
    def can_press(acc):
        try:
            action = acc.queryAction()
        except NotImplementedError:
            return False
        return any(action.getName(i) in ('click', 'activate', 'toggle')
                   for i in range(action.nActions))

    # GTK 4.8 gives the action to the menu button's toggle button inside it.
    pressable = [a for a in [menu] + list(walk(menu)) if can_press(a)]
    check(len(pressable) > 0, 'the consultation menu can be opened', describe([menu]))
    press(pressable[0])
    entry = wait_for(lambda: next((a for i in range(app.childCount)
                                   for a in walk(app.getChildAtIndex(i))
                                   if a.getRoleName() == 'menu item' and plain(a.name) == item),
                                  None), 15)
    check(entry is not None, 'the menu offers "%s"' % item,
          '\n'.join(tree(app.getChildAtIndex(i), limit=60) for i in range(app.childCount)))
    press(entry)


# 3. What a screen reader and a keyboard user meet on a view.
def locator(acc):
    """Who @acc is across reads: its object path (one application is walked)."""
    return acc.path


def focusable(acc):
    try:
        return acc.getState().contains(pyatspi.STATE_FOCUSABLE)
    except Exception:
        return False


# Containers that take the focus only to hand it to what they hold (a scrolled window).
CONTAINER_ROLES = ('scroll pane', 'viewport')
# Controls whose parts (a drop-down's button, the label in a button) are the control itself.
COMPOUND_ROLES = ('push button', 'toggle button', 'combo box', 'check box', 'radio button')
FINDINGS = []


def interactive(root, skip=()):
    """The widgets under @root a user acts on: the control roles, and anything else that
    takes the keyboard focus; the subtrees of @skip (stack pages not shown, which GTK 4.8
    still reports as visible) left out."""
    skipped = {locator(a) for a in skip if a is not None}
    found = []

    def visit(acc):
        for i in range(acc.childCount):
            child = acc.getChildAtIndex(i)
            if child is None or locator(child) in skipped:
                continue
            role = child.getRoleName()
            if role in CONTAINER_ROLES:
                visit(child)
                continue
            if role in CONTROL_ROLES or focusable(child):
                found.append(child)
                if role in COMPOUND_ROLES:
                    continue
            visit(child)

    visit(root)
    return found


def own_name(acc):
    """The name a screen reader reads for @acc. GTK 4.8 names the item of a list or a grid
    after its type ("GtkListItemWidget") and gives the app no way to name it: a screen reader
    reads what the item shows, its children's names, and so does this walk."""
    name = plain(acc.name)
    if acc.getRoleName() in ('list item', 'table cell', 'tree item') and \
            (not name or name.startswith('Gtk')):
        shown = [plain(c.name) for c in walk(acc) if c.name and not c.name.startswith('Gtk')]
        if shown and 'list item' not in FINDINGS:
            FINDINGS.append('list item')
            print('# GTK 4.8: a list or grid item is named "GtkListItemWidget"; the walk reads '
                  'it by what it shows, as a screen reader does', flush=True)
        name = shown[0] if shown else ''
    return name


def check_named(root, where, skip=()):
    controls = interactive(root, skip)
    problems = []
    for acc in controls:
        role = acc.getRoleName()
        name = own_name(acc)
        parent = acc.parent
        context = '(inside the %s "%s")' % (parent.getRoleName() if parent else '-',
                                           plain(parent.name) if parent else '')
        if role in EMPTY_ROLES:
            problems.append('a widget named %r has the role "%s", which says nothing %s'
                            % (name, role, context))
        if not name or name.startswith('Gtk') or '_' in name:
            problems.append('a %s without a plain accessible name (%r) %s'
                            % (role, acc.name, context))
    check(len(controls) > 0, '%s: %d interactive widgets are offered to a screen reader'
          % (where, len(controls)))
    check(not problems, '%s: every interactive widget has a role and an accessible name'
          % where, '\n'.join(problems))
    return controls


focus_events = []


def focus_cb(event):
    if event.detail1 == 1:
        focus_events.append(event.source)


listener = Atspi.EventListener.new(focus_cb)
listener.register('object:state-changed:focused')


def pump(seconds):
    context = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not context.iteration(False):
            time.sleep(0.02)


def ancestors(acc, stop):
    """@acc and the accessibles it is inside, up to @stop."""
    chain = []
    stop_id = locator(stop)
    while acc is not None:
        chain.append(locator(acc))
        if chain[-1] == stop_id:
            break
        acc = acc.parent
    return chain


def tab_walk(title, root, controls, where):
    """Presses Tab around the window until the focus comes back where it began, and checks
    that each stop has a name and that it stopped on (or inside) every control of @controls.
    In a list or grid, Tab stops once and the arrow keys go from item to item (as in every GTK
    list): an item counts as reached when one item of its list is."""
    reached = set()
    order = []
    unnamed = []
    first = None
    window = x_window(title)
    subprocess.run(['xdotool', 'windowfocus', '--sync', window], check=False)
    pump(0.5)
    for count in range(4 * len(controls) + 40):
        del focus_events[:]
        subprocess.run(['xdotool', 'key', '--clearmodifiers', 'Tab'], check=True)
        pump(0.3)
        if not focus_events:
            continue
        source = focus_events[-1]
        here = locator(source)
        order.append('%s "%s"' % (source.getRoleName(), own_name(source)))
        if not own_name(source) or own_name(source).startswith('Gtk'):
            unnamed.append('%s %r' % (source.getRoleName(), source.name))
        if here == first and count > 2:
            break
        if first is None:
            first = here
        reached.update(ancestors(source, root))
    missed = []
    for acc in controls:
        if locator(acc) in reached:
            continue
        # A pane's divider is reached with F8 (GTK's key for it), then moved with the arrows.
        if acc.getRoleName() == 'separator':
            continue
        # A list with nothing in it (its rows hidden) has nothing to reach.
        if acc.getRoleName() in ('list', 'table', 'list box') and acc.childCount == 0:
            continue
        # A control the app has switched off (nothing to undo yet) is no Tab stop.
        if not acc.getState().contains(pyatspi.STATE_SENSITIVE):
            continue
        parent = acc.parent
        if acc.getRoleName() == 'list item' and parent is not None and \
                any(locator(c) in reached for c in walk(parent) if c.getRoleName() == 'list item'):
            continue
        # A control made of a focusable part (a drop-down's button) is reached through it.
        if any(locator(c) in reached for c in walk(acc)):
            continue
        missed.append('%s "%s"' % (acc.getRoleName(), own_name(acc)))
    print('# %s, the Tab order: %s' % (where, ' → '.join(order)), flush=True)
    check(order, '%s: Tab moves the focus (and the bus hears of it)' % where)
    check(not unnamed, '%s: every Tab stop has a name' % where, '\n'.join(unnamed))
    check(not missed, '%s: Tab reaches every interactive widget (%d stops)' % (where, len(order)),
          'not reached: %s\nthe Tab order: %s' % (', '.join(missed), ' → '.join(order)))


def tree(root, depth=0, limit=400):
    """The accessible tree under @root, one line each (role, name, focusable), to see why a
    check failed."""
    lines = []

    def visit(acc, depth):
        if len(lines) >= limit:
            return
        lines.append('%s%s %r%s' % ('  ' * depth, acc.getRoleName(), acc.name,
                                    ' focusable' if focusable(acc) else ''))
        for i in range(acc.childCount):
            child = acc.getChildAtIndex(i)
            if child is not None:
                visit(child, depth + 1)

    visit(root, depth)
    return '\n'.join(lines)


def shot(name):
    """The whole screen as @name in STRIAE_SCREENSHOT_DIR, when it is set."""
    folder_out = os.environ.get('STRIAE_SCREENSHOT_DIR')
    if folder_out:
        pump(0.5)
        subprocess.run(['import', '-window', 'root', os.path.join(folder_out, name)],
                       check=False)


def find_page(root, name):
    return wait_for(lambda: next((a for a in walk(root) if a.name == name), None), 15)


# 4. The photos page (win.show-photos, Ctrl+Alt+P), made the first time it is shown.
print('# the window is %r' % (locator(frame),), flush=True)
keys('^Striae$', 'ctrl+alt+p')
photos = find_page(frame, 'StriaePhotosPage')
check(photos is not None, 'Ctrl+Alt+P opens the photos page')
# Each grid item carries the tile's caption as its own name (striae_accessible_name_list_item),
# not the type name GTK 4.8 gives it otherwise.
tiles = wait_for(lambda: [a for a in walk(photos)
                          if a.getRoleName() in ('list item', 'table cell') and a.name
                          and ' · ' in a.name and not a.name.startswith('Gtk')], 15)
check(tiles and len(tiles) == 2, 'the grid shows the two photos, each item named by its caption',
      tree(photos))
compare = find_page(photos, 'StriaePhotoCompare')
empty = find_page(photos, 'No Photos Yet')
grid_controls = check_named(photos, 'photos page', skip=(compare, empty))
tab_walk('^Striae$', frame, grid_controls, 'photos page')
shot('walk-photos.png')

# 5. The comparison: Compare shows the first and the latest photo side by side.
press(need(photos, 'push button', 'Compare'))
check(compare is not None and
      wait_for(lambda: [a for a in walk(compare) if a.getRoleName() == 'image'
                        and a.name.startswith('Photo')], 10),
      'Compare shows the comparison', tree(compare))
compare_controls = check_named(compare, 'comparison')
views = [a for a in compare_controls if a.getRoleName() == 'image']
check(len(views) == 2, 'the comparison offers the two photos, each with a name',
      describe(compare_controls))
tab_walk('^Striae$', frame, compare_controls, 'comparison')
shot('walk-compare.png')
keys('^Striae$', 'Escape')

# 6. The consent signing window (win.sign-consent), from the consultation menu's Consent….
keys('^Striae$', 'Escape')
open_menu_item(consent_menu, 'Consent…')


def consent_window():
    for i in range(app.childCount):
        window = app.getChildAtIndex(i)
        if window is not None and find(window, 'push button', 'Save Patient’s Signature'):
            return window
    return None


dialog = wait_for(consent_window, 20)
check(dialog is not None, 'Consent… opens the consent signing window',
      '\n'.join(tree(app.getChildAtIndex(i), limit=60) for i in range(app.childCount)))
dialog_controls = check_named(dialog, 'consent window')
# The consent's pages are drawings: the first carries the consent's text, as the sheet
# composes it, for a screen reader to read (its title first, then each block), the others
# point to it.
pages = [a for a in walk(dialog) if plain(a.name).startswith('Page ')]
check(len(pages) >= 1 and plain(pages[0].name).startswith('Page 1 of'),
      'the consent window shows its pages, each named "Page n of m"', describe(pages))
consent_text = pages[0].description or ''
check(len(consent_text) > 200 and 'microneedling' in consent_text.splitlines()[0].lower()
      and len(consent_text.splitlines()) > 5,
      'the first page\'s description is the consent\'s text, its title first',
      consent_text[:300])
check(all(p.description for p in pages[1:]), 'every other page says where its text is read',
      describe(pages))
pads = [a for a in walk(dialog) if plain(a.name) == 'Signature pad']
check(len(pads) == 2, 'the consent window has a signature pad for the patient and one for the '
      'practitioner, each named', describe(pads))


def sign_on(area, title):
    """A signature drawn across @area with the pointer, as a finger or a stylus would (the
    pad cannot be drawn on with keys; its description says so)."""
    # GTK 4.8 on X11 knows only window coordinates.
    x, y, w, h = area.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    window = x_window(title)
    subprocess.run(['xdotool', 'mousemove', '--window', window, str(x + w // 8),
                    str(y + h // 2), 'mousedown', '1'], check=True)
    for i in range(2, 8):
        subprocess.run(['xdotool', 'mousemove', '--window', window, str(x + i * w // 8),
                        str(y + h // (3 if i % 2 else 2))], check=True)
        time.sleep(0.05)
    subprocess.run(['xdotool', 'mouseup', '1'], check=True)
    pump(0.3)


# Signed with the pointer on both pads, Undo Stroke, Clear and Save can be used: Tab must
# reach each of them, the keyboard user's way to save what the patient signed.
areas = [a for a in walk(dialog) if plain(a.name) == 'Sign here']
check(len(areas) == 2, 'each pad offers its drawing area, named "Sign here"', describe(areas))
for area in areas:
    sign_on(area, 'Consent')
save = need(dialog, 'push button', 'Save Patient’s Signature')
check(wait_for(lambda: save.getState().contains(pyatspi.STATE_SENSITIVE), 10),
      'a signature drawn with the pointer makes "Save Patient’s Signature" available')
dialog_controls = check_named(dialog, 'consent window, signed')
close = [a for a in dialog_controls if a.getRoleName() == 'push button'
         and plain(a.name) == 'Close']
check(len(close) == 1, 'the consent window has its Close button', describe(dialog_controls))
# The window's own buttons in the header bar are no Tab stops in GNOME; Escape closes the
# window instead, which the walk checks last.
tab_walk('Consent', dialog, [a for a in dialog_controls if a not in close], 'consent window')
shot('walk-consent.png')
keys('Consent', 'Escape')
check(wait_for(lambda: consent_window() is None, 10), 'Escape closes the consent window')
finish()
