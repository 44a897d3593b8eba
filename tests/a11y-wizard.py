#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drives the running Striae over AT-SPI as a screen-reader user would: finds every widget by
role and accessible name, fills a whole consultation, signs it off, and checks what was saved.

Runs inside tests/run-headless (Xvfb + a private session bus). Speaks TAP. Needs
STRIAE_APP_BINARY; GTK_A11Y must not be "none"."""

import ctypes
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

from a11y_common import bail, plain, start_accessibility, test_binary, wait_for, walk

STEPS = []
FINDINGS = []
FINDINGS_SEEN = set()


def ok(cond, what):
    STEPS.append(what)
    print(('ok' if cond else 'not ok') + ' %d - %s' % (len(STEPS), what), flush=True)
    if not cond:
        finish(failed=True)


def finish(failed=False):
    for f in FINDINGS:
        print('# a11y finding: ' + f)
    print('1..%d' % len(STEPS), flush=True)
    if APP is not None:
        APP.terminate()
        try:
            APP.wait(10)
        except subprocess.TimeoutExpired:
            APP.kill()
    if FOLDER is not None:
        shutil.rmtree(FOLDER, ignore_errors=True)
    sys.exit(1 if failed else 0)


APP = None
FOLDER = None
binary = test_binary('STRIAE_APP_BINARY', 'striae')
# Xvfb resets when its last client leaves, and a client that connects during the reset gets
# "cannot open display" (the app stops and starts again below): hold a connection open.
LIBX11 = ctypes.CDLL('libX11.so.6')
LIBX11.XOpenDisplay.restype = ctypes.c_void_p
X_CONNECTION = LIBX11.XOpenDisplay(None)
if not X_CONNECTION:
    bail('cannot open the X display %s' % os.environ.get('DISPLAY'))

# The accessibility bus must exist before the app starts, or the app and pyatspi race to
# start two of them.
start_accessibility()

import pyatspi  # noqa: E402  (needs the bus above)
from gi.repository import Atspi, GLib  # noqa: E402


def mnemonic_in_name(name):
    """The underscore of a mnemonic read out as part of the name (GTK 4.8)."""
    return bool(name) and '_' in name and plain(name) != name


def find_all(root, role, name=None, description=None):
    # A slow reply is asked again (a busy app, see Atspi.set_timeout above); any other
    # error is the test's to report.
    for attempt in range(3):
        try:
            return find_all_once(root, role, name, description)
        except GLib.Error as e:
            if 'Did not receive a reply' not in e.message or attempt == 2:
                raise
            print('# no reply from the app, asking again: %s' % e.message, flush=True)
            time.sleep(1)


def find_all_once(root, role, name, description):
    found = []
    for acc in walk(root):
        if acc.getRoleName() != role:
            continue
        if name is not None and plain(acc.name) != name:
            continue
        if description is not None and acc.description != description:
            continue
        found.append(acc)
    return found


def find(root, role, name, description=None):
    return wait_for(lambda: (find_all(root, role, name, description) or [None])[0], 10)


def dump(root, depth=0, limit=2000):
    """The accessible tree under root as TAP comments, to see why a widget was not found."""
    lines = []

    def visit(acc, depth):
        if len(lines) >= limit:
            return
        text = ''
        if acc.getRoleName() == 'label':
            shown = text_of(acc)
            if shown != acc.name:
                text = ' text=%r' % shown
        lines.append('#%s%s %r%s%s' % ('  ' * depth, acc.getRoleName(), acc.name, text,
                                       ' desc=%r' % acc.description if acc.description else ''))
        for i in range(acc.childCount):
            child = acc.getChildAtIndex(i)
            if child is not None:
                visit(child, depth + 1)

    try:
        visit(root, depth)
    except Exception as e:  # the app may be gone: say so instead of hiding the first failure
        lines.append('# (tree dump stopped: %s)' % e)
    print('\n'.join(lines), flush=True)


def need(root, role, name, description=None):
    acc = find(root, role, name, description)
    if acc is None:
        dump(root)
    ok(acc is not None, 'a %s named "%s" is found%s' %
       (role, name, ' (for "%s")' % description if description else ''))
    return acc


def press(acc):
    action = acc.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ('click', 'toggle', 'activate'):
            return action.doAction(i)
    # A GtkCheckButton in GTK 4.8 offers no action: click it where it is drawn.
    click_at(acc)
    return True


def click_at(acc):
    # GTK 4.8 on X11 knows only window coordinates.
    x, y, w, h = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    window = subprocess.run(['xdotool', 'search', '--sync', '--onlyvisible', '--name',
                             '^Striae$'], capture_output=True, text=True,
                            check=True).stdout.split()[0]
    subprocess.run(['xdotool', 'windowfocus', '--sync', window], check=False)
    subprocess.run(['xdotool', 'mousemove', '--window', window, str(x + w // 2),
                    str(y + h // 2), 'click', '1'], check=True)
    time.sleep(0.3)


def keys(*names):
    """Presses keys in the Striae window, as a keyboard user would."""
    window = subprocess.run(['xdotool', 'search', '--sync', '--onlyvisible', '--name',
                             '^Striae$'], capture_output=True, text=True,
                            check=True).stdout.split()[0]
    subprocess.run(['xdotool', 'windowfocus', '--sync', window], check=False)
    for name in names:
        subprocess.run(['xdotool', 'key', '--clearmodifiers', name], check=True)
        time.sleep(0.2)


def choose(root, name, downs=1):
    """Picks the entry `downs` below the current one in a drop-down row. GTK 4.8 gives a combo
    row no action and no Selection: open it with a click and move in its list with the
    keyboard, as a keyboard user would."""
    combo = find(root, 'combo box', name)
    if combo is None:
        dump(root)
        return False
    before = [c.name for c in walk(combo) if c.getRoleName() == 'label']
    click_at(combo)
    time.sleep(0.5)
    for key in ['Down'] * downs + ['Return']:
        subprocess.run(['xdotool', 'key', '--clearmodifiers', key], check=True)
        time.sleep(0.2)
    if 'combo' not in FINDINGS_SEEN:
        FINDINGS_SEEN.add('combo')
        FINDINGS.append('GTK 4.8: a combo row offers no action or Selection over AT-SPI; the '
                        'test opens it with a click and chooses with Down and Return')
    after = wait_for(lambda: [c.name for c in walk(combo) if c.getRoleName() == 'label'] != before
                     and [c.name for c in walk(combo) if c.getRoleName() == 'label'], 5)
    print('# %s: %r -> %r' % (name, before, after), flush=True)
    return bool(after)


def text_of(acc):
    """The text of an entry: GTK 4.8 answers getText(0, -1) with an empty string, so ask for
    characterCount characters; an entry that wraps a GtkText holds it in a descendant."""
    for target in [acc] + list(walk(acc)):
        try:
            t = target.queryText()
        except NotImplementedError:
            continue
        value = t.getText(0, t.characterCount)
        if value:
            return value
    return ''


def type_into(acc, text):
    """Writes through EditableText on the widget or, for entries that wrap a GtkText (search
    entries, entry rows), on the first descendant that offers it; reads the text back."""
    for target in [acc] + list(walk(acc)):
        try:
            editable = target.queryEditableText()
        except NotImplementedError:
            continue
        editable.setTextContents(text)
        if wait_for(lambda: text_of(acc) == text, 2):
            return True
        # GTK 4.8 lists EditableText but does not change the text through it: type it, as a
        # user would, into the field; GTK 4.8 does not offer Component.grabFocus either, so
        # the field is focused with a click where it is drawn.
        click_at(target)
        subprocess.run(['xdotool', 'key', '--clearmodifiers', 'ctrl+a', 'BackSpace'], check=True)
        subprocess.run(['xdotool', 'type', '--delay', '5', text], check=True)
        if wait_for(lambda: text_of(acc) == text, 5):
            if 'EditableText' not in FINDINGS_SEEN:
                FINDINGS_SEEN.add('EditableText')
                FINDINGS.append('GTK 4.8: EditableText.setTextContents does not change an '
                                'entry; the test types through the keyboard instead')
            return True
        return False
    return False


def find_app():
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and app.name == 'striae' and app.childCount > 0:
            frame = app.getChildAtIndex(0)
            if frame is not None and frame.childCount > 0:
                # GTK 4.8 does not tell the bus when a label's text changes: ask the app every
                # time instead of trusting names cached from the first look.
                app.set_cache_mask(Atspi.Cache.NONE)
                app.clear_cache()
                return app
    return None


def launch(database):
    global APP
    APP = subprocess.Popen([binary, '--database', database])
    # An app that exits (no display, a crash) ends the wait at once.
    end = time.monotonic() + 60
    while APP.poll() is None and time.monotonic() < end:
        app = wait_for(find_app, 1)
        if app is not None:
            return app
    print('# the app %s' % ('exited with %d' % APP.returncode if APP.poll() is not None
                            else 'did not appear on the bus in 60 s'), flush=True)
    return None


def stop():
    global APP
    APP.terminate()
    APP.wait(20)
    APP = None


def shown_labels(acc):
    """The labels drawn on a control. A combo box also draws its selected value (an
    AdwComboRow in a list item of its list view, a GtkDropDown on the button inside it): that
    is its value, not its label, and is left out, also when the button inside a GtkDropDown
    is the control looked at."""
    combo = acc.getRoleName() == 'combo box'
    parent = acc.parent
    if parent is not None and parent.getRoleName() == 'combo box':
        return []

    def visit(node):
        for i in range(node.childCount):
            child = node.getChildAtIndex(i)
            if child is None:
                continue
            role = child.getRoleName()
            if combo and (role in ('list', 'list item', 'push button', 'toggle button')
                          or child.name == 'GtkListItemWidget'):
                continue
            if role == 'label' and child.name:
                yield plain(child.name)
            yield from visit(child)

    return list(visit(acc))


def check_names(root, where):
    """A control a screen reader cannot name, or whose name does not contain the text on it
    (WCAG 2.5.3, label in name), fails the test, and so does a name read with its mnemonic's
    underscore and the label twice ('_Next Next', GTK 4.8's own naming, which the app
    replaces through striae_accessible_name_buttons())."""
    problems = []
    for acc in walk(root):
        role = acc.getRoleName()
        if role not in ('push button', 'toggle button', 'check box', 'text', 'entry',
                        'combo box', 'spin button', 'radio button'):
            continue
        if mnemonic_in_name(acc.name):
            problems.append('%s: %s "%s" reads its mnemonic underscore and its label twice'
                            % (where, role, acc.name))
        name = plain(acc.name)
        if not name or name.startswith('Gtk'):
            parent = acc.parent
            problems.append('%s: a %s without an accessible name (%r, inside the %s "%s")'
                            % (where, role, acc.name, parent.getRoleName() if parent else '-',
                               plain(parent.name) if parent else ''))
            continue
        for text in shown_labels(acc):
            if text.lower() in name.lower():
                continue
            problems.append('%s: %s "%s" shows "%s"' % (where, role, name, text))
    for problem in problems:
        print('# ' + problem, flush=True)
    FINDINGS.extend(problems)
    ok(not problems, '%s: every control has an accessible name that holds the text shown on it'
       % where)


def unfilled(root):
    """Names and label texts that still hold a sheet placeholder such as {plan.areas}."""
    found = []
    for acc in walk(root):
        for text in (acc.name or '', text_of(acc) if acc.getRoleName() == 'label' else ''):
            if re.search(r'\{[a-z_]+\.[a-z_.]+\}', text):
                found.append('%s %r' % (acc.getRoleName(), text))
    return found


folder = FOLDER = tempfile.mkdtemp(prefix='striae-a11y-')
database = os.path.join(folder, 'striae.db')

# 1. The first start creates the database; the patient then comes in through the command
# line, as a clinic moving a record would.
ok(launch(database) is not None, 'the app shows a window on the accessibility bus')
stop()
record = {
    'format': 'striae-patient-export', 'version': 1,
    'patient': {'given-name': 'Ada', 'family-name': 'Quill', 'birth-date': '1990-04-12',
                'sex': 'female', 'phone': '01 23 45 67 89', 'email': 'ada@example.org'},
}
record_path = os.path.join(folder, 'patient.json')
with open(record_path, 'w') as f:
    json.dump(record, f)
# The command line works on records with accounts only (issue 16): an administrator first,
# whose password comes on standard input.
password = 'a11y test password\n'
subprocess.run([binary, '--database', database, '--init', '--user', 'a11y',
                '--display-name', 'Dr Lin Ames'],
               input=password, capture_output=True, text=True, check=True)
imported = subprocess.run([binary, '--database', database, '--user', 'a11y',
                           '--import-patient', record_path],
                          input=password, capture_output=True, text=True)
ok(imported.returncode == 0 and imported.stdout.strip().isdigit(),
   'striae --import-patient adds the patient')
patient_id = int(imported.stdout.strip())
app = launch(database)
ok(app is not None, 'the app starts again on the database with the patient')
frame = app.getChildAtIndex(0)

# 1b. The records have an account now: the window opens on the sign-in page.
ok(type_into(need(frame, 'text', 'Account Name'), 'a11y'), 'the sign-in page takes the name')
ok(type_into(need(frame, 'text', 'Password'), password.strip()),
   'the sign-in page takes the password')
press(need(frame, 'push button', 'Unlock'))

# 2. Find the patient through the search field and open them.
search = need(frame, 'entry', 'Search patients by name, phone, email or date of birth')
ok(type_into(search, "Quill"), 'the search field takes "Quill"')
item = wait_for(lambda: [a for a in find_all(frame, 'list item')
                         if 'Quill' in ''.join(c.name or '' for c in walk(a))
                         or 'Quill' in (a.name or '')], 15)
ok(bool(item), 'the patient list shows the patient')
# GTK 4.8's search entry offers an "activate" action that does not emit "activate": go to
# the field with Ctrl+F and press Return, as a keyboard user would.
print('# GTK 4.8: the search entry\'s "activate" action does not open the patient; '
      'the test presses Ctrl+F and Return instead', flush=True)
keys('ctrl+f', 'Return')
# GTK 4.8 reports every stack page as visible and none as showing: the patient page tells it
# is filled by its subtitle and by "New Consultation", which only an open patient enables.
ok(wait_for(lambda: [a for a in find_all(frame, 'label')
                     if (a.name or '').endswith(' years · Female')], 15),
   'pressing Return in the search opens the patient page')

check_names(frame, 'patient page')
new_consultation = need(frame, 'push button', 'New Consultation')
ok(wait_for(lambda: new_consultation.getState().contains(pyatspi.STATE_SENSITIVE), 10),
   '"New Consultation" reads as available')
press(new_consultation)
wizard = wait_for(lambda: (find_all(frame, 'filler', 'StriaeWizard') or [None])[0], 10)
ok(wizard is not None, 'the wizard is there')


def step_label():
    labels = [a for a in find_all(wizard, 'label')
              if re.match(r'Step \d of 6: ', plain(a.name))]
    return labels[0].name if labels else ''


def current_page(name):
    # Hidden stack pages still report visible: the step label in the action bar, whose
    # accessible name the wizard sets to "Step n of 6: <page>", says which page is on screen.
    if wait_for(lambda: step_label().endswith(': ' + name), 10):
        return True
    dump(wizard)
    return False


def next_page(name):
    press(need(wizard, 'push button', 'Next'))
    ok(current_page(name), 'Next leads to the page "%s" (step label "%s")' % (name,
                                                                          step_label()))


ok(current_page('Patient'), 'the wizard opens on the Patient page')
date = need(wizard, 'text', 'Consultation date (YYYY-MM-DD)')
ok(type_into(date, '2030-02-01'), 'the consultation date takes 2030-02-01')

# 3. Medical history: every question answered "No", medicines written down.
next_page('Medical history')
history = need(wizard, 'filler', 'StriaeHistoryPage')
check_names(history, 'history page')
questions = [a for a in find_all(history, 'list item') if find_all(a, 'push button', 'No')]
ok(len(questions) >= 10, 'the history page asks %d yes/no questions' % len(questions))
for q in questions:
    no = find_all(q, 'push button', 'No')[0]
    if no.description != q.name:
        FINDINGS.append('history: the "No" button does not name its question "%s"' % q.name)
    press(no)
ok(wait_for(lambda: all(find_all(q, 'push button', 'No')[0].getState()
                        .contains(pyatspi.STATE_PRESSED) for q in questions), 10),
   'every "No" reads as pressed')
ok(type_into(need(history, 'text', 'Medicines taken now'), 'None'),
   'the medicines field takes text')

# 4. Skin.
next_page('Skin')
skin = need(wizard, 'filler', 'StriaeSkinPage')
check_names(skin, 'skin page')
press(need(skin, 'check box', 'Type III'))
ok(wait_for(lambda: find_all(skin, 'check box', 'Type III')[0].getState()
            .contains(pyatspi.STATE_CHECKED), 10), 'skin type III reads as checked')
facts = [a for a in find_all(skin, 'list item') if find_all(a, 'push button', 'No')]
ok(len(facts) >= 3, 'the skin page asks %d yes/no questions' % len(facts))
for q in facts:
    press(find_all(q, 'push button', 'No')[0])
ok(type_into(need(skin, 'text', 'Skin-care products in use'), 'Fragrance-free moisturiser'),
   'the products field takes text')

# 5. Stretch marks: one area.
next_page('Stretch marks')
areas = need(wizard, 'filler', 'StriaeAreasPage')
press(need(areas, 'push button', 'Add Area'))
notes = find(areas, 'text', 'Notes')
ok(notes is not None, 'the new area has a "Notes" field')
ok(type_into(notes, 'Below the navel'), 'the area notes take text')
ok(choose(areas, 'Type'), 'the area takes the next type of marks in the list')
ok(choose(areas, 'Severity'), 'the area takes the next severity in the list')
check_names(areas, 'stretch marks page')

# 6. Plan: the recommendation as proposed.
next_page('Plan')
plan = need(wizard, 'filler', 'StriaePlanPage')
check_names(plan, 'plan page')
# Each instruction of the sheets has a "Print" check named after it, with the placeholders
# filled as the sheet prints them: the patient has one area, the abdomen.
prints = [plain(a.name) for a in find_all(plan, 'check box')
          if plain(a.name).startswith('Print: ')]
ok(len(prints) >= 10, 'the plan page lists %d instructions, each with a "Print" check named '
   '"Print: <instruction>"' % len(prints))
ok('Print: Areas: abdomen' in prints, 'the consent form\'s "Areas" instruction reads "Areas: '
   'abdomen" (%r)' % [p for p in prints if p.startswith('Print: Areas')])
raw = unfilled(plan)
for r in raw:
    print('# unfilled placeholder: ' + r, flush=True)
ok(not raw, 'no text on the plan page shows a raw placeholder such as {plan.areas}')
ok(choose(plan, 'Device'), 'the plan takes the first device in the list')
ok(type_into(need(plan, 'text', 'First session (YYYY-MM-DD)'), '2030-03-04'),
   'the first session date takes 2030-03-04')

# 7. Summary and sign-off.
next_page('Summary')
summary = need(wizard, 'filler', 'StriaeSummaryPage')
check_names(summary, 'summary page')
# With accounts the signer is the signed-in account, not a typed name: the field shows it.
ok(wait_for(lambda: text_of(need(summary, 'text', 'Practitioner’s name')) == 'Dr Lin Ames', 5),
   'the practitioner field shows the signed-in account’s display name')
press(need(summary, 'push button', 'Sign Off'))


def password_dialog():
    """The dialog that asks the password again to sign: another window of the app, looked
    for newest first and without waiting in each window (find() would wait 10 s in the main
    window, which has no such button, before the dialog is looked at)."""
    for i in reversed(range(app.childCount)):
        window = app.getChildAtIndex(i)
        if window is not None and find_all(window, 'push button', 'Sign'):
            return window
    return None


# Signing asks the account's password again: an electronic signature bound to the account.
dialog = wait_for(password_dialog, 30)
if dialog is None:
    # Why not: what the summary says (a problem it found instead), and the app's windows.
    sign_off = find(summary, 'push button', 'Sign Off')
    print('# no signature dialog; Sign Off %s; the summary:' % (
        'gone' if sign_off is None else
        'sensitive' if sign_off.getState().contains(pyatspi.STATE_SENSITIVE) else
        'not sensitive'), flush=True)
    print('# %r' % [text_of(label) for label in find_all(summary, 'label')], flush=True)
    print('# the app has %d windows' % app.childCount, flush=True)
ok(dialog is not None, 'Sign Off asks for the password in a dialog')
if dialog is not None:
    ok(type_into(need(dialog, 'text', 'Password'), password.strip()),
       'the signature dialog takes the password')
    press(need(dialog, 'push button', 'Sign'))


def saved():
    """The signed revisions of the patient's consultations, as (signed_by, data)."""
    db = sqlite3.connect('file:%s?mode=ro' % database, uri=True, timeout=5)
    try:
        return [(r[0], json.loads(r[1])) for r in db.execute(
            'SELECT r.signed_by, r.data FROM consultation_revisions r JOIN consultations c '
            'ON c.id = r.consultation_id WHERE c.patient_id = ? AND r.status = ?',
            (patient_id, 'signed'))]
    finally:
        db.close()


signed = wait_for(saved, 15)
if not signed:
    dump(summary)
    if dialog is not None:
        dump(dialog)
ok(len(signed or []) == 1, 'one signed revision of the consultation is saved')
signed_by, c = signed[0]
ok(signed_by == 'Dr Lin Ames', 'the revision is signed by the practitioner (signed_by %r)'
   % signed_by)
ok(c.get('practitioner') == 'Dr Lin Ames', 'its data names the practitioner')
ok(c.get('status') == 'signed', 'its data reads as signed')
ok(c.get('date') == '2030-02-01', 'it keeps the consultation date')
answers = (c.get('history') or {}).get('answers') or {}
noes = sum(1 for a in answers.values() if a.get('answer') == 'no')
ok(noes >= len(questions), 'it keeps the %d "No" answers of the history page (%d of %d saved '
   'answers read "no")' % (len(questions), noes, len(answers)))
ok((c.get('history') or {}).get('medication') == 'None', 'it keeps the medicines')
ok((c.get('skin') or {}).get('fitzpatrick') == 3, 'it keeps skin type III')
ok((c.get('skin') or {}).get('products') == 'Fragrance-free moisturiser',
   'the skin keeps the products')
ok(len(c.get('areas') or []) == 1, 'it has one stretch-mark area')
ok(c['areas'][0].get('notes') == 'Below the navel', 'the area keeps its notes')
ok((c.get('plan') or {}).get('first-session') == '2030-03-04',
   'the plan keeps the first session date')
finish()
