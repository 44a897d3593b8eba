#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Offline checks of everything Striae ships besides its code.

Each check is one meson test in the 'packaging' suite and speaks TAP. Usage:

  test-packaging.py potfiles                      POTFILES.in lists every translatable file
  test-packaging.py potfiles-list                 print the POTFILES.in the tree needs
  test-packaging.py desktop FILE                  the built desktop file
  test-packaging.py metainfo FILE                 the built AppStream metainfo
  test-packaging.py schema FILE COMPILED_DIR      the GSettings schema, source and compiled
  test-packaging.py manifest FILE                 the Flatpak manifest loads in flatpak-builder
  test-packaging.py finish-args FILE              the Flatpak sandbox holds exactly what we need
  test-packaging.py install                       `meson install` puts files where Flatpak looks
  test-packaging.py icons                         the application icons render at their sizes
  test-packaging.py help                          the Mallard user guide in help/C is valid

Paths come from the environment that tests/meson.build sets: STRIAE_SOURCE_ROOT,
STRIAE_BUILD_ROOT, APP_ID, PROJECT_VERSION, and the tools it found (DESKTOP_FILE_VALIDATE,
APPSTREAMCLI, GLIB_COMPILE_SCHEMAS, GSETTINGS, FLATPAK, FLATPAK_BUILDER, XGETTEXT, MESON,
RSVG_CONVERT, YELP_CHECK); an
empty tool variable means the tool is missing and its checks are skipped (the help checks
fail instead under CI=true, as tests/test-print.sh does).
"""

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

APP_ID = os.environ.get('APP_ID', 'io.github.striae.Striae')

# The sandbox Striae needs and nothing broader: no home folder. Printing goes through the
# print portal, and --socket=cups lets the command line print without a dialog; the network
# reaches a clinic's records server.
EXPECTED_FINISH_ARGS = [
    '--share=ipc',
    '--share=network',
    '--socket=fallback-x11',
    '--socket=wayland',
    '--device=dri',
    '--socket=cups',
    # The lock follows the desktop's lock (src/app/striae-idle-lock.c).
    '--talk-name=org.gnome.ScreenSaver',
    '--system-talk-name=org.freedesktop.login1',
]
EXPECTED_CONTEXT = {
    'shared': {'ipc', 'network'},
    'sockets': {'fallback-x11', 'wayland', 'cups'},
    'devices': {'dri'},
}

# Keys of the schema, with their GVariant type (or 'enum' for an enum key).
EXPECTED_KEYS = {
    'window-width': 'i',
    'window-height': 'i',
    'window-maximized': 'b',
    'clinic-name': 's',
    'clinic-address': 's',
    'clinic-phone': 's',
    'clinic-email': 's',
    'clinic-logo': 's',
    'paper-size': 'enum',
    'practitioner-names': 'as',
    'sheet-language': 's',
    # Where the records are (Preferences → Records); the password is in the keyring, never here.
    'records-place': 'enum',
    'server-host': 's',
    'server-port': 'u',
    'server-database': 's',
    'server-user': 's',
    'server-ca-file': 's',
    # The idle time after which the windows lock (1 to 60 minutes, no "never").
    'lock-after-minutes': 'u',
}

# Files under data/ whose strings gettext extracts.
TRANSLATABLE_DATA_SUFFIXES = ('.desktop.in', '.metainfo.xml.in', '.gschema.xml')

# The arguments of meson's i18n.gettext(preset: 'glib'), which po/meson.build uses.
XGETTEXT_GLIB_PRESET = [
    '--from-code=UTF-8',
    '--add-comments',
    '--keyword=_',
    '--keyword=N_',
    '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format',
    '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]

# A gettext call in C: _(), N_(), C_(), NC_(), with or without a space before the parenthesis,
# not part of a longer identifier.
GETTEXT_CALL = re.compile(r'(?<![A-Za-z0-9_])(?:N?C?_|g_dngettext|ngettext)\s*\(')


class Tap:
    """Numbers TAP results and prints the plan at the end."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, condition, description, diagnostic=None):
        self.n += 1
        if condition:
            print(f'ok {self.n} - {description}')
        else:
            self.failed += 1
            print(f'not ok {self.n} - {description}')
            if diagnostic:
                for line in str(diagnostic).rstrip().splitlines():
                    print(f'# {line}')
        sys.stdout.flush()
        return condition

    def skip(self, description, reason):
        self.n += 1
        print(f'ok {self.n} - {description} # SKIP {reason}')
        sys.stdout.flush()

    def finish(self):
        print(f'1..{self.n}')
        return 1 if self.failed else 0


def tool(name):
    """The path of a tool found by meson, or None when it is missing."""
    path = os.environ.get(name, '')
    return path or None


def run(argv, **kwargs):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, **kwargs)


def source_root():
    return os.environ.get('STRIAE_SOURCE_ROOT',
                          os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# POTFILES.in

def needed_potfiles(root):
    """Every file of the tree with translatable strings, as sorted relative paths."""
    found = set()
    src = os.path.join(root, 'src')
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames.sort()
        for name in filenames:
            if not name.endswith('.c'):
                continue
            path = os.path.join(dirpath, name)
            with open(path, encoding='utf-8', errors='replace') as f:
                text = f.read()
            if GETTEXT_CALL.search(text):
                found.add(os.path.relpath(path, root))
    ui = os.path.join(root, 'ui')
    if os.path.isdir(ui):
        for dirpath, dirnames, filenames in os.walk(ui):
            for name in filenames:
                if name.endswith('.ui'):
                    found.add(os.path.relpath(os.path.join(dirpath, name), root))
    data = os.path.join(root, 'data')
    for name in os.listdir(data):
        if name.endswith(TRANSLATABLE_DATA_SUFFIXES):
            found.add(os.path.join('data', name))
    return sorted(found)


def read_potfiles(root):
    entries = []
    with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                entries.append(line)
    return entries


def check_potfiles(tap):
    root = source_root()
    listed = read_potfiles(root)
    needed = needed_potfiles(root)

    missing = [p for p in needed if p not in listed]
    tap.ok(not missing, 'every file with translatable strings is in po/POTFILES.in',
           'missing from po/POTFILES.in:\n' + '\n'.join(missing) +
           '\nregenerate with: tests/test-packaging.py potfiles-list > po/POTFILES.in')

    gone = [p for p in listed if not os.path.isfile(os.path.join(root, p))]
    tap.ok(not gone, 'every file in po/POTFILES.in exists',
           'listed but not found:\n' + '\n'.join(gone))

    dupes = sorted({p for p in listed if listed.count(p) > 1})
    tap.ok(not dupes, 'po/POTFILES.in has no duplicates', '\n'.join(dupes))

    tap.ok(listed == sorted(listed), 'po/POTFILES.in is sorted',
           'expected order:\n' + '\n'.join(sorted(listed)))

    # The same extraction `meson compile striae-pot` runs (the glib preset), into a
    # temporary file, so a file gettext cannot parse fails here rather than for translators.
    xgettext = tool('XGETTEXT')
    if not xgettext:
        tap.skip('xgettext extracts the strings of po/POTFILES.in', 'xgettext not found')
        return
    existing = [p for p in listed if os.path.isfile(os.path.join(root, p))]
    with tempfile.TemporaryDirectory() as tmp:
        files_from = os.path.join(tmp, 'POTFILES')
        with open(files_from, 'w', encoding='utf-8') as f:
            f.write('\n'.join(existing) + '\n')
        pot = os.path.join(tmp, 'striae.pot')
        result = run([xgettext, '--package-name=striae'] + XGETTEXT_GLIB_PRESET +
                     ['--directory=' + root, '--files-from=' + files_from, '-o', pot])
        ok = result.returncode == 0 and os.path.isfile(pot)
        diag = result.stdout
        if ok:
            with open(pot, encoding='utf-8') as f:
                text = f.read()
            # Each listed source or data file must give at least one string, or the pattern
            # that put it on the list matched something that is not a gettext call. Every
            # .ui file is listed, with or without translatable text, as GNOME projects do.
            silent = [p for p in existing if not p.endswith('.ui')
                      and (' ' + p + ':') not in text]
            ok = not silent
            diag = 'no translatable string found in:\n' + '\n'.join(silent)
        tap.ok(ok, 'xgettext reads po/POTFILES.in and finds strings in each source file', diag)
        # A warning usually means a msgid translators would get cut short, such as a
        # G_GINT64_FORMAT macro inside _() (use PRId64 from <inttypes.h>, which gettext knows).
        warnings = [line for line in result.stdout.splitlines() if 'warning:' in line]
        tap.ok(result.returncode == 0 and not warnings,
               'xgettext extracts every string without a warning', '\n'.join(warnings))


def potfiles_list():
    print('\n'.join(needed_potfiles(source_root())))
    return 0


# Translations

REQUIRED_LANGUAGES = ('de', 'es', 'fr')


def read_linguas(root):
    with open(os.path.join(root, 'po', 'LINGUAS'), encoding='utf-8') as f:
        return [w for line in f if not line.lstrip().startswith('#') for w in line.split()]


def extract_pot(root, tmp):
    """Extracts the current strings the way `meson compile striae-pot` does."""
    xgettext = tool('XGETTEXT')
    listed = read_potfiles(root)
    files_from = os.path.join(tmp, 'POTFILES')
    with open(files_from, 'w', encoding='utf-8') as f:
        f.write('\n'.join(listed) + '\n')
    pot = os.path.join(tmp, 'striae.pot')
    result = run([xgettext, '--package-name=striae'] + XGETTEXT_GLIB_PRESET +
                 ['--directory=' + root, '--files-from=' + files_from, '-o', pot])
    if result.returncode != 0:
        raise ValueError('xgettext failed:\n' + result.stdout)
    return pot


def check_translations(tap):
    root = source_root()
    linguas = read_linguas(root)
    missing = [lang for lang in REQUIRED_LANGUAGES if lang not in linguas]
    tap.ok(not missing, 'po/LINGUAS lists German, French and Spanish',
           'missing: ' + ' '.join(missing))
    tap.ok(linguas == sorted(linguas), 'po/LINGUAS is sorted', ' '.join(linguas))

    msgfmt, msgmerge, msgattrib = tool('MSGFMT'), tool('MSGMERGE'), tool('MSGATTRIB')
    if not (msgfmt and msgmerge and msgattrib and tool('XGETTEXT')):
        tap.skip('translations are complete', 'gettext tools not found')
        return
    with tempfile.TemporaryDirectory() as tmp:
        pot = extract_pot(root, tmp)
        for lang in linguas:
            po = os.path.join(root, 'po', lang + '.po')
            if not tap.ok(os.path.isfile(po), f'po/{lang}.po exists'):
                continue
            result = run([msgfmt, '--check', '--statistics', '-o', os.devnull, po])
            tap.ok(result.returncode == 0 and 'untranslated' not in result.stdout
                   and 'fuzzy' not in result.stdout,
                   f'{lang}: msgfmt --check passes with every message translated',
                   result.stdout)
            # Against the strings of the sources as they are now, not as they were when
            # the .po was last merged: a new or changed string counts as untranslated.
            merged = os.path.join(tmp, lang + '.po')
            result = run([msgmerge, '--quiet', '--no-fuzzy-matching', '-o', merged, po, pot])
            if not tap.ok(result.returncode == 0, f'{lang}: msgmerge with the sources',
                          result.stdout):
                continue
            gaps = run([msgattrib, '--untranslated', '--no-obsolete', merged]).stdout
            gaps += run([msgattrib, '--only-fuzzy', '--no-obsolete', merged]).stdout
            ids = [line for line in gaps.splitlines()
                   if line.startswith('msgid ') and line != 'msgid ""']
            tap.ok(not ids, f'{lang}: every string of the current sources is translated',
                   f'{len(ids)} missing, e.g.:\n' + '\n'.join(ids[:15]))
            # A translation whose string the sources no longer have is dead weight that a
            # translator would keep updating for nothing (msgmerge marks it obsolete).
            stale = run([msgattrib, '--only-obsolete', merged]).stdout
            ids = [line for line in stale.splitlines() if line.startswith('#~ msgid ')]
            tap.ok(not ids, f'{lang}: no translation of a string the sources no longer have',
                   f'{len(ids)} left over, e.g.:\n' + '\n'.join(ids[:15]))


# Desktop file

def check_desktop(tap, path):
    if not tap.ok(os.path.isfile(path), f'{os.path.basename(path)} was built', path):
        return
    validate = tool('DESKTOP_FILE_VALIDATE')
    if validate:
        result = run([validate, path])
        # Hints are advice; warnings and errors are not.
        bad = [line for line in result.stdout.splitlines()
               if ': error:' in line or ': warning:' in line]
        tap.ok(result.returncode == 0 and not bad, 'desktop-file-validate accepts it',
               result.stdout)
    else:
        tap.skip('desktop-file-validate accepts it', 'desktop-file-validate not found')

    entry = configparser.ConfigParser(interpolation=None, strict=False)
    entry.optionxform = str
    entry.read(path, encoding='utf-8')
    group = entry['Desktop Entry'] if entry.has_section('Desktop Entry') else {}
    tap.ok(group.get('Icon') == APP_ID, 'Icon names the installed application icon',
           group.get('Icon'))
    tap.ok((group.get('Exec') or '').split(' ')[0] == 'striae', 'Exec runs striae',
           group.get('Exec'))
    tap.ok(bool(group.get('Name')) and bool(group.get('Comment')),
           'Name and Comment are set')


# Metainfo

def check_metainfo(tap, path):
    if not tap.ok(os.path.isfile(path), f'{os.path.basename(path)} was built', path):
        return
    appstreamcli = tool('APPSTREAMCLI')
    if appstreamcli:
        result = run([appstreamcli, 'validate', '--no-net', '--explain', path])
        tap.ok(result.returncode == 0, 'appstreamcli validate --no-net accepts it',
               result.stdout)
    else:
        tap.skip('appstreamcli validate --no-net accepts it', 'appstreamcli not found')

    try:
        component = ET.parse(path).getroot()
    except ET.ParseError as e:
        tap.ok(False, 'it is well-formed XML', e)
        return
    tap.ok(component.findtext('id') == APP_ID, f'its id is {APP_ID}', component.findtext('id'))
    launchable = component.find("launchable[@type='desktop-id']")
    tap.ok(launchable is not None and launchable.text == APP_ID + '.desktop',
           'it launches the installed desktop file')
    tap.ok(component.findtext('project_license') == 'GPL-3.0-or-later'
           and component.findtext('metadata_license') == 'CC0-1.0', 'licences are declared')
    rating = component.find('content_rating')
    tap.ok(rating is not None and rating.get('type') == 'oars-1.1', 'it has an OARS 1.1 rating')
    binaries = [b.text for b in component.findall('provides/binary')]
    tap.ok(binaries == ['striae'], 'it provides the striae binary', binaries)

    version = os.environ.get('PROJECT_VERSION')
    releases = [r.get('version') for r in component.findall('releases/release')]
    tap.ok(bool(releases) and releases[0] == version,
           f'its newest release is the project version {version}',
           f'releases listed: {releases}; bump data/{APP_ID}.metainfo.xml.in with the version')
    shots = component.findall('screenshots/screenshot/image')
    tap.ok(bool(shots) and all(s.text.startswith('https://') for s in shots),
           'it has screenshots at https addresses')


# GSettings schema

def check_schema(tap, path, compiled_dir):
    compile_schemas = tool('GLIB_COMPILE_SCHEMAS')
    if compile_schemas:
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(path, tmp)
            result = run([compile_schemas, '--strict', '--dry-run', tmp])
        tap.ok(result.returncode == 0 and not result.stdout.strip(),
               'glib-compile-schemas --strict --dry-run accepts it', result.stdout)
    else:
        tap.skip('glib-compile-schemas --strict --dry-run accepts it',
                 'glib-compile-schemas not found')

    root = ET.parse(path).getroot()
    tap.ok(root.get('gettext-domain') == 'striae', 'its gettext-domain is striae',
           root.get('gettext-domain'))
    schema = root.find(f"schema[@id='{APP_ID}']")
    if not tap.ok(schema is not None, f'it defines the schema {APP_ID}'):
        return
    tap.ok(schema.get('path') == '/io/github/striae/Striae/', 'its path follows the id',
           schema.get('path'))
    keys = {}
    for key in schema.findall('key'):
        keys[key.get('name')] = 'enum' if key.get('enum') else key.get('type')
    tap.ok(keys == EXPECTED_KEYS, 'it has exactly the expected keys and types',
           f'expected {EXPECTED_KEYS}\nfound    {keys}')
    undocumented = [k.get('name') for k in schema.findall('key')
                    if not (k.findtext('summary') or '').strip()
                    or not (k.findtext('description') or '').strip()]
    tap.ok(not undocumented, 'every key has a summary and a description',
           ', '.join(undocumented))

    # The compiled copy in the build dir is what the tests load (GSETTINGS_SCHEMA_DIR).
    compiled = os.path.join(compiled_dir, 'gschemas.compiled')
    tap.ok(os.path.isfile(compiled), 'the build dir holds gschemas.compiled', compiled)
    gsettings = tool('GSETTINGS')
    if not gsettings:
        tap.skip('the compiled schema gives the expected defaults', 'gsettings not found')
        return
    env = dict(os.environ, GSETTINGS_SCHEMA_DIR=compiled_dir, GSETTINGS_BACKEND='memory')
    env.pop('G_DEBUG', None)
    defaults = {
        'paper-size': "'a4'",
        'sheet-language': "'en'",
        'window-maximized': 'false',
        'practitioner-names': '@as []',
        'records-place': "'this-computer'",
        'server-port': 'uint32 5432',
        'lock-after-minutes': 'uint32 5',
    }
    found = {}
    for key in defaults:
        result = run([gsettings, 'get', APP_ID, key], env=env)
        found[key] = result.stdout.strip()
    tap.ok(found == defaults, 'the compiled schema gives the expected defaults',
           f'expected {defaults}\nfound    {found}')
    result = run([gsettings, 'range', APP_ID, 'paper-size'], env=env)
    tap.ok(result.stdout.split() == ['enum', "'a4'", "'letter'"],
           'paper-size is either a4 or letter', result.stdout)
    result = run([gsettings, 'range', APP_ID, 'records-place'], env=env)
    tap.ok(result.stdout.split() == ['enum', "'this-computer'", "'clinic-server'"],
           'records-place is either this-computer or clinic-server', result.stdout)
    tap.ok(not any('password' in key or 'secret' in key for key in keys),
           'no key holds a password (it is kept in the keyring)', ', '.join(keys))


# Flatpak manifest

def load_manifest(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def check_manifest(tap, path):
    builder = tool('FLATPAK_BUILDER')
    if builder:
        env = dict(os.environ, G_DEBUG='fatal-warnings')
        # flatpak-builder leaves a .flatpak-builder state folder in its working directory.
        with tempfile.TemporaryDirectory() as tmp:
            result = run([builder, '--show-manifest', os.path.abspath(path)], env=env, cwd=tmp)
        tap.ok(result.returncode == 0,
               'flatpak-builder --show-manifest loads it with fatal warnings', result.stdout)
    else:
        tap.skip('flatpak-builder --show-manifest loads it with fatal warnings',
                 'flatpak-builder not found')

    try:
        manifest = load_manifest(path)
    except ValueError as e:
        tap.ok(False, 'it is valid JSON', e)
        return
    tap.ok(manifest.get('id') == APP_ID and manifest.get('command') == 'striae',
           f'it builds {APP_ID} and runs striae')
    tap.ok(manifest.get('runtime') == 'org.gnome.Platform'
           and manifest.get('sdk') == 'org.gnome.Sdk'
           and manifest.get('runtime-version') == '47',
           'it pins the GNOME 47 runtime and SDK')
    modules = manifest.get('modules') or [{}]
    app = modules[-1]
    tap.ok(app.get('name') == 'striae' and app.get('buildsystem') == 'meson',
           'the last module is Striae, built with meson', app)
    tap.ok(app.get('sources') == [{'type': 'dir', 'path': '..'}],
           'Striae is built from the repository it sits in', app.get('sources'))
    opts = app.get('config-opts', [])
    tap.ok(app.get('run-tests') is True and '-Dgui_tests=false' in opts
           and '-Dpackaging_tests=false' in opts and '-Dtests=false' not in opts,
           'the headless tests run inside the build sandbox', opts)


def read_context(metadata_path):
    keyfile = configparser.ConfigParser(interpolation=None, strict=False)
    keyfile.optionxform = str
    keyfile.read(metadata_path, encoding='utf-8')
    if not keyfile.has_section('Context'):
        return {}
    return {k: {v for v in value.split(';') if v} for k, value in keyfile['Context'].items()}


def check_finish_args(tap, path):
    manifest = load_manifest(path)
    args = manifest.get('finish-args', [])
    tap.ok(sorted(args) == sorted(EXPECTED_FINISH_ARGS) and len(args) == len(set(args)),
           'finish-args are exactly the expected ones',
           f'expected {EXPECTED_FINISH_ARGS}\nfound    {args}')

    flatpak = tool('FLATPAK')
    if not flatpak:
        tap.skip('flatpak build-finish accepts the finish-args', 'flatpak not found')
        tap.skip('the sandbox context is exactly the expected one', 'flatpak not found')
        return
    with tempfile.TemporaryDirectory() as tmp:
        # build-finish needs only the metadata file and an (empty) files folder.
        os.mkdir(os.path.join(tmp, 'files'))
        metadata = os.path.join(tmp, 'metadata')
        with open(metadata, 'w', encoding='utf-8') as f:
            f.write('[Application]\n'
                    f'name={APP_ID}\n'
                    f"runtime={manifest.get('runtime')}/x86_64/{manifest.get('runtime-version')}\n"
                    f"sdk={manifest.get('sdk')}/x86_64/{manifest.get('runtime-version')}\n")
        result = run([flatpak, 'build-finish', '--command=striae'] + args + [tmp])
        tap.ok(result.returncode == 0, 'flatpak build-finish accepts the finish-args',
               result.stdout)
        context = read_context(metadata)
    # Flatpak also writes x11 next to fallback-x11 so that old versions keep a display; the
    # sandbox still uses X11 only when there is no Wayland.
    if 'fallback-x11' in context.get('sockets', set()):
        context['sockets'].discard('x11')
    tap.ok(context == EXPECTED_CONTEXT, 'the sandbox context is exactly the expected one',
           f'expected {EXPECTED_CONTEXT}\nfound    {context}')


# Install layout

def build_prefix(build_root):
    with open(os.path.join(build_root, 'meson-info', 'intro-buildoptions.json'),
              encoding='utf-8') as f:
        options = json.load(f)
    values = {o['name']: o['value'] for o in options}
    return values['prefix'], values['bindir'], values['datadir'], values['libdir']


def check_install(tap):
    build_root = os.environ.get('STRIAE_BUILD_ROOT')
    meson = tool('MESON')
    if not build_root or not meson:
        tap.skip('meson install --destdir succeeds', 'STRIAE_BUILD_ROOT or meson not set')
        return
    prefix, bindir, datadir, libdir = build_prefix(build_root)
    with tempfile.TemporaryDirectory() as destdir:
        env = dict(os.environ)
        env.pop('DESTDIR', None)
        result = run([meson, 'install', '-C', build_root, '--destdir', destdir,
                      '--no-rebuild', '--quiet'], env=env)
        tap.ok(result.returncode == 0, 'meson install --destdir succeeds', result.stdout)

        root = os.path.join(destdir, prefix.lstrip('/'))
        def under(*parts):
            return os.path.join(root, *parts)
        share = datadir
        binary = under(bindir, 'striae')
        tap.ok(os.path.isfile(binary) and os.access(binary, os.X_OK),
               f'{bindir}/striae is installed',
               f'{binary} does not exist: the striae executable is not built or not '
               'installed. src/app/meson.build must declare it as '
               "striae_exe = executable('striae', ..., install: true) so that this test "
               'depends on it; until then run `meson compile` before `meson test`.')
        expected = [
            (share, 'applications', APP_ID + '.desktop'),
            (share, 'metainfo', APP_ID + '.metainfo.xml'),
            (share, 'glib-2.0', 'schemas', APP_ID + '.gschema.xml'),
            (share, 'icons', 'hicolor', 'scalable', 'apps', APP_ID + '.svg'),
            (share, 'icons', 'hicolor', 'symbolic', 'apps', APP_ID + '-symbolic.svg'),
            # Yelp finds the guide of help:striae here.
            (share, 'help', 'C', 'striae', 'index.page'),
            # The clinic server's engine, loaded when a postgresql:// address is opened.
            (libdir, 'striae', 'striae-postgresql.so'),
            # The mend for Debian's libcups, loaded before the first print.
            (libdir, 'striae', 'striae-cups-mend.so'),
        ]
        # A HEIF photo's size, loaded on the first one: built when libheif is there.
        if os.path.isfile(os.path.join(build_root, 'src', 'core', 'heif', 'striae-heif.so')):
            expected.append((libdir, 'striae', 'striae-heif.so'))
        for parts in expected:
            rel = '/'.join(parts)
            tap.ok(os.path.isfile(under(*parts)), f'{rel} is installed', under(*parts))

        appstreamcli = tool('APPSTREAMCLI')
        if appstreamcli:
            result = run([appstreamcli, 'validate-tree', '--no-net', root])
            tap.ok(result.returncode == 0, 'appstreamcli validate-tree accepts the install',
                   result.stdout)
        else:
            tap.skip('appstreamcli validate-tree accepts the install', 'appstreamcli not found')


# Icons

def check_icons(tap):
    icons = os.path.join(source_root(), 'data', 'icons', 'hicolor')
    cases = [
        (os.path.join(icons, 'scalable', 'apps', APP_ID + '.svg'), 128),
        (os.path.join(icons, 'symbolic', 'apps', APP_ID + '-symbolic.svg'), 16),
    ]
    rsvg = tool('RSVG_CONVERT')
    for path, size in cases:
        name = os.path.basename(path)
        try:
            svg = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as e:
            tap.ok(False, f'{name} is a {size}×{size} SVG', e)
            continue
        tap.ok(svg.get('viewBox') == f'0 0 {size} {size}'
               and svg.get('width') == str(size) and svg.get('height') == str(size),
               f'{name} is a {size}×{size} SVG',
               f"width={svg.get('width')} height={svg.get('height')} viewBox={svg.get('viewBox')}")
        if not rsvg:
            tap.skip(f'{name} renders', 'rsvg-convert not found')
            continue
        with tempfile.TemporaryDirectory() as tmp:
            png = os.path.join(tmp, 'icon.png')
            result = run([rsvg, '--format=png', '-o', png, path])
            ok = (result.returncode == 0 and os.path.exists(png)
                  and os.path.getsize(png) > 0)
        tap.ok(ok, f'{name} renders', result.stdout)
    # Symbolic icons are recoloured by GTK: one plain colour, no gradients or images.
    symbolic = cases[1][0]
    with open(symbolic, encoding='utf-8') as f:
        text = f.read()
    tap.ok(not re.search(r'Gradient|<image|<text', text),
           'the symbolic icon uses plain shapes only')


# The user guide

MALLARD_NS = '{http://projectmallard.org/1.0/}'


def help_pages(root):
    folder = os.path.join(root, 'help', 'C')
    return sorted(name for name in os.listdir(folder) if name.endswith('.page'))


def interface_strings(root, tmp):
    """Every string of the interface, as the POT has it, with mnemonics taken out."""
    pot = extract_pot(root, tmp)
    strings = []
    msgid = None
    with open(pot, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('msgid ') or line.startswith('msgid_plural '):
                msgid = [json.loads(line.split(' ', 1)[1])]
            elif line.startswith('"') and msgid is not None:
                msgid.append(json.loads(line))
            else:
                if msgid:
                    strings.append(''.join(msgid).replace('_', ''))
                msgid = None
    if msgid:
        strings.append(''.join(msgid).replace('_', ''))
    return [text for text in strings if text]


def gui_labels(path):
    """The text of each <gui> element of a page, its white space folded."""
    tree = ET.parse(path)
    for element in tree.iter(MALLARD_NS + 'gui'):
        text = ' '.join(''.join(element.itertext()).split())
        if text:
            yield text


def check_help(tap):
    root = source_root()
    folder = os.path.join(root, 'help', 'C')
    pages = help_pages(root)
    tap.ok('index.page' in pages, 'help/C has an index.page', ' '.join(pages))

    with open(os.path.join(root, 'help', 'meson.build'), encoding='utf-8') as f:
        listed = re.findall(r"'([^']+\.page)'", f.read())
    tap.ok(sorted(listed) == pages, 'help/meson.build lists every page of help/C, and only those',
           f'listed: {sorted(listed)}\nin help/C: {pages}')

    checks = [
        ('validate', 'yelp-check validate accepts every page'),
        ('links', 'yelp-check links finds no broken link'),
        ('orphans', 'yelp-check orphans finds every page linked from the index'),
        ('ids', 'yelp-check ids finds every page id matching its file name'),
    ]
    yelp_check = tool('YELP_CHECK')
    paths = [os.path.join(folder, name) for name in pages]
    for command, description in checks:
        if not yelp_check:
            # CI never skips the help: a missing tool is a failure there.
            if os.environ.get('CI') == 'true':
                tap.ok(False, description, 'CI must check the help, but yelp-check is not '
                       'installed (package yelp-tools)')
            else:
                tap.skip(description, 'yelp-check not found (package yelp-tools)')
            continue
        argv = [yelp_check, command] + (paths if command == 'validate' else [folder])
        result = run(argv)
        # links, orphans and ids report what they find on stdout; validate says "fails".
        tap.ok(result.returncode == 0 and (command == 'validate' or not result.stdout.strip()),
               description, result.stdout)

    for name in pages:
        tree = ET.parse(os.path.join(folder, name))
        info = tree.getroot().find(MALLARD_NS + 'info')
        licences = [] if info is None else [l.get('href', '')
                                            for l in info.findall(MALLARD_NS + 'license')]
        revisions = [] if info is None else info.findall(MALLARD_NS + 'revision')
        tap.ok(any('creativecommons.org/licenses/by-sa/4.0' in href or 'gpl' in href.lower()
                   for href in licences) and any(r.get('status') for r in revisions),
               f'help/C/{name} names its licence (CC-BY-SA-4.0 or GPL) and its status',
               f'licences: {licences}')

    # A label in the guide that the interface does not have sends the reader looking for a
    # button that is not there.
    if not tool('XGETTEXT'):
        tap.skip('every <gui> of the guide is a label of the interface', 'xgettext not found')
        return
    with tempfile.TemporaryDirectory() as tmp:
        strings = interface_strings(root, tmp)
    unknown = []
    for name in pages:
        for label in gui_labels(os.path.join(folder, name)):
            if label not in HELP_LABELS_NOT_IN_SOURCES and \
               not any(label in text for text in strings):
                unknown.append(f'{name}: {label}')
    tap.ok(not unknown, 'every <gui> of the guide is a label of the interface',
           'not found in the translatable strings:\n' + '\n'.join(unknown))


# Labels the guide names that are no translatable string: the New Patient button's icon.
HELP_LABELS_NOT_IN_SOURCES = {'+'}


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    command = argv[1]
    if command == 'potfiles-list':
        return potfiles_list()
    tap = Tap()
    try:
        if command == 'potfiles':
            check_potfiles(tap)
        elif command == 'desktop':
            check_desktop(tap, argv[2])
        elif command == 'metainfo':
            check_metainfo(tap, argv[2])
        elif command == 'schema':
            check_schema(tap, argv[2], argv[3])
        elif command == 'manifest':
            check_manifest(tap, argv[2])
        elif command == 'finish-args':
            check_finish_args(tap, argv[2])
        elif command == 'install':
            check_install(tap)
        elif command == 'icons':
            check_icons(tap)
        elif command == 'translations':
            check_translations(tap)
        elif command == 'help':
            check_help(tap)
        else:
            print(f'unknown check {command!r}', file=sys.stderr)
            return 2
    except (OSError, ValueError, KeyError, IndexError, ET.ParseError) as e:
        tap.ok(False, f'{command} check ran to the end', f'{type(e).__name__}: {e}')
    return tap.finish()


if __name__ == '__main__':
    sys.exit(main(sys.argv))
