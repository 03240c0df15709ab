#!/bin/sh
# Install the built .deb on this machine and use it as a counter would (root; CI runs it through
# `make package-check`). Steps, each fatal when it fails:
#   1. dpkg -i (missing window packages installed first with apt-get), /usr/bin/lianxin-pos --help
#   2. the bundle holds its data files; on a throw-away HOME: init --demo, a sale, ledger verify,
#      an X report as PDF (reportlab + the font), a test page (python-escpos' capabilities),
#      autostart on/off (the entry runs /usr/bin/lianxin-pos)
#   3. the installed till opens under Xvfb (1024x768): a window titled 连心收银 is mapped within
#      60 s and the process is alive; a picture of the screen goes to build/package/installed-till.png
#      nothing was written inside /opt by then (the data is in the user's folders)
#   4. the same bundle as version <v>+1 installed over it: the sale is still there, the ledger verifies
#   5. dpkg -r, then dpkg -P: /opt/lianxin-pos is gone, the user's ledger is still there
# Figures (time to first window, sizes) are appended to build/package/figures.txt.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build/package}
DEB=${1:-$(cat "$BUILD/deb-path")}
WORK=$(mktemp -d /tmp/lianxin-check.XXXXXX)
SHOT=$BUILD/installed-till.png
WAIT_S=${WAIT_S:-60}

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'package-check FAILED: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (dpkg -i)"
[ -f "$DEB" ] || fail "no package at $DEB (make package first)"

# A throw-away user home: nothing of the machine's own till is read or written.
export HOME="$WORK/home"
mkdir -p "$HOME"
unset LIANXIN_HOME POS_DB XDG_DATA_HOME XDG_CONFIG_HOME QT_QPA_PLATFORM 2>/dev/null || true
DATA=$HOME/.local/share/lianxin-pos
LXP=/usr/bin/lianxin-pos

say "1. install $(basename "$DEB")"
missing=""
for p in $(dpkg-deb -f "$DEB" Depends | tr ',' '\n' | sed 's/(.*)//; s/ //g'); do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "installing the window's packages first:$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
dpkg -i "$DEB"
touch "$WORK/installed"
"$LXP" --help | head -3
[ -f /usr/share/applications/lianxin-pos.desktop ] || fail "no menu entry"
grep -q '^Name\[zh_CN\]=连心收银$' /usr/share/applications/lianxin-pos.desktop || fail "menu entry without its Chinese name"
[ -f /usr/share/icons/hicolor/256x256/apps/lianxin-pos.png ] || fail "no icon"

say "2. the bundle's data files, and a sale on a throw-away HOME"
IN=/opt/lianxin-pos/_internal
for f in resources/fonts/wqy-microhei.ttc resources/i18n/lianxin_en.qm resources/demo/catalog_MX.csv \
         resources/receipt-logo.png pos/store/migrations/env.py pos/store/migrations/versions/0001_initial.py \
         headoffice/migrations/env.py escpos/capabilities.json pypinyin/pinyin_dict.json certifi/cacert.pem \
         PySide6/Qt/plugins/platforms/libqxcb.so PySide6/Qt/translations/qtbase_zh_CN.qm; do
    [ -e "$IN/$f" ] || fail "the bundle lacks $f"
done
"$LXP" init --demo
SALE=$("$LXP" sell --cashier cashier1 --pin 1111 --scan '6972316000170*2' --scan '101*1.255' --pay cash:200 --json \
    2>/dev/null | sed -n 's/.*"receipt_no": "\([^"]*\)".*/\1/p')
[ -n "$SALE" ] || fail "the CLI sale did not complete"
echo "sale $SALE"
"$LXP" ledger verify
"$LXP" shift x --cashier cashier1 --pin 1111 --pdf "$WORK/x.pdf" >/dev/null
[ -s "$WORK/x.pdf" ] || fail "no X report PDF"
"$LXP" print-test --printer "file:$WORK/printer" >/dev/null
[ -s "$WORK/printer/test-page.bin" ] || fail "no test page"
[ -f "$DATA/lianxin.db" ] || fail "the database is not in the user's data folder ($DATA)"
"$LXP" autostart on >/dev/null
grep -qx 'Exec=/usr/bin/lianxin-pos' "$HOME/.config/autostart/lianxin-pos.desktop" || fail "autostart does not run the launcher"
"$LXP" autostart off >/dev/null

say "3. the installed till opens under Xvfb (a fresh user: no database yet)"
GUI_HOME=$WORK/gui-home
mkdir -p "$GUI_HOME"
cat > "$WORK/gui.sh" <<'EOF'
#!/bin/sh
# Runs inside xvfb-run: start the till, wait for its mapped top-level window, take the picture.
start=$(date +%s%N)
HOME=$GUI_HOME /usr/bin/lianxin-pos > "$WORK/gui.log" 2>&1 &
pid=$!
shown=""
i=0
while [ $i -lt $((WAIT_S * 4)) ]; do
    kill -0 $pid 2>/dev/null || { echo "the till ended (status: see $WORK/gui.log)"; cat "$WORK/gui.log"; exit 3; }
    for id in $(xwininfo -root -tree 2>/dev/null | grep '连心收银' | awk '{print $1}'); do
        info=$(xwininfo -id "$id" 2>/dev/null) || continue
        w=$(printf '%s\n' "$info" | awk '/Width:/ {print $2}')
        if printf '%s\n' "$info" | grep -q 'IsViewable' && [ "${w:-0}" -gt 200 ]; then
            shown=$(xwininfo -root -tree | grep "^ *$id ")
            break 2
        fi
    done
    sleep 0.25
    i=$((i + 1))
done
[ -n "$shown" ] || { echo "no window titled 连心收银 within ${WAIT_S} s"; cat "$WORK/gui.log"; kill $pid; exit 4; }
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "window:$shown"
echo "first_window_ms=$ms" > "$WORK/first-window"
sleep 3  # let it finish painting
kill -0 $pid 2>/dev/null || { echo "the till died after showing its window"; cat "$WORK/gui.log"; exit 3; }
import -window root "$SHOT"
kill $pid
wait $pid 2>/dev/null || true
EOF
command -v import >/dev/null || fail "import (imagemagick) is needed for the picture"
export GUI_HOME WORK WAIT_S SHOT
xvfb-run -a -s "-screen 0 1024x768x24" sh "$WORK/gui.sh" || fail "the installed till did not show its window"
[ -s "$SHOT" ] || fail "no picture taken"
cat "$WORK/first-window"
echo "picture: $SHOT"

written=$(find /opt/lianxin-pos -newer "$WORK/installed" | head -5)
[ -z "$written" ] || fail "the till wrote inside /opt: $written"

say "4. upgrade: the same bundle as a newer version over it keeps the sale"
V=$(dpkg-query -W -f='${Version}' lianxin-pos)
OUT=$WORK BUILD=$BUILD SKIP_BUNDLE=1 NO_FIGURES=1 DEB_COMPRESS="-Zgzip -z1" VERSION="$V+1" \
    "$ROOT/resources/packaging/build-deb.sh" >/dev/null
NEWER=$(ls "$WORK"/lianxin-pos_*.deb)
dpkg -i "$NEWER"
[ "$(dpkg-query -W -f='${Version}' lianxin-pos)" = "$V+1" ] || fail "the upgrade did not install"
"$LXP" reprint "$SALE" --cashier cashier1 --pin 1111 >/dev/null || fail "sale $SALE is gone after the upgrade"
"$LXP" ledger verify

say "5. uninstall keeps the ledger"
dpkg -r lianxin-pos
[ ! -e /opt/lianxin-pos/lianxin-pos ] || fail "/opt/lianxin-pos is still there after dpkg -r"
[ -f "$DATA/lianxin.db" ] || fail "dpkg -r removed the ledger"
dpkg -P lianxin-pos
[ -f "$DATA/lianxin.db" ] || fail "dpkg -P removed the ledger"
echo "ledger kept: $(du -h "$DATA/lianxin.db" | cut -f1) $DATA/lianxin.db"

{ grep -v '^first_window_ms=' "$BUILD/figures.txt" 2>/dev/null || true; cat "$WORK/first-window"; } > "$WORK/figures"
mv "$WORK/figures" "$BUILD/figures.txt"
say "package-check passed"
cat "$BUILD/figures.txt"
rm -rf "$WORK"
