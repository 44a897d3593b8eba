#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Takes the screenshots of data/screenshots/ on a private X server (like tests/run-headless,
# with a screen larger than the window so the window is not clamped) with pinned fonts and
# settings, so that two runs give the same pictures.
#
#   tools/screenshots.sh [--build DIR] [--dark] [--width PIXELS]
#
# Without options it writes data/screenshots/*.png (1280×800, light). --dark and --width
# write variants to /tmp/striae-screenshots-<variant>/ for review; those are not committed.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/_build-shots"
dark=""
width=1280
height=800
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --dark) dark=--dark; shift ;;
    --width) width=$2; shift 2 ;;
    -h|--help) sed -n '3,10p' "$0"; exit 0 ;;
    *) echo "screenshots.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

case "$width" in
  ''|*[!0-9]*) echo "screenshots.sh: --width takes a number of pixels" >&2; exit 2 ;;
esac

if [ -z "$dark" ] && [ "$width" = 1280 ]; then
  output="$root/data/screenshots"
else
  variant=${dark:+dark-}$width
  output="/tmp/striae-screenshots-${variant#--}"
fi

[ -d "$build" ] || meson setup "$build" "$root"
ninja -C "$build" tools/striae-screenshots data/gschemas.compiled >/dev/null

config=$(mktemp -d)
trap 'rm -rf "$config"' EXIT
mkdir -p "$config/gtk-4.0"
cat > "$config/gtk-4.0/settings.ini" <<INI
[Settings]
gtk-font-name=Cantarell 11
gtk-enable-animations=false
gtk-cursor-blink=false
gtk-xft-antialias=1
gtk-xft-hinting=1
gtk-xft-hintstyle=hintslight
gtk-xft-rgba=none
INI

mkdir -p "$output"
env -u STRIAE_DATABASE \
  XDG_CONFIG_HOME="$config" \
  XDG_DATA_HOME="$config/data" \
  GSETTINGS_BACKEND=memory \
  GSETTINGS_SCHEMA_DIR="$build/data" \
  GSK_RENDERER=cairo \
  GTK_A11Y=none \
  NO_AT_BRIDGE=1 \
  LC_ALL=C.UTF-8 \
  LANGUAGE=en \
  xvfb-run -a -s "-screen 0 2560x1600x24 -nolisten tcp" dbus-run-session -- \
    "$build/tools/striae-screenshots" \
    --output "$output" --width "$width" --height "$height" $dark

# Smaller files, same pixels.
if command -v optipng >/dev/null 2>&1; then
  optipng -quiet -o2 -strip all "$output"/*.png
fi
ls -l "$output"/*.png
