#!/bin/sh
# Build the till as a Debian package: a PyInstaller one-folder bundle under /opt/lianxin-pos, the
# launcher /usr/bin/lianxin-pos, a menu entry, an icon. `make package` runs this.
#
#   resources/packaging/build-deb.sh            bundle + .deb  -> dist/lianxin-pos_<version>_<arch>.deb
#   SKIP_BUNDLE=1 VERSION=0.1.1 …/build-deb.sh  wrap the bundle built last time again, as another version
#
# Environment: PY (python with PyInstaller; default .venv/bin/python), VERSION (default: setup.cfg),
# ARCH (default: dpkg --print-architecture), OUT (default dist/), BUILD (default build/package/),
# DEB_COMPRESS (default -Zxz), NO_FIGURES=1 (leave figures.txt as it is).
# The path of the .deb is also written to $BUILD/deb-path; the figures to $BUILD/figures.txt.
#
# The bundle carries the build machine's Python and C++ runtime, so it runs where the C library is at
# least as new as the build machine's (Depends: libc6 (>= …) says so): built on Debian 12 it needs
# glibc 2.36. For older counters (统信UOS 20: 2.28, 麒麟 V10: 2.31, Ubuntu 22.04: 2.35) build on the
# oldest one you support (a container of it with Python 3.11; PySide6 itself needs glibc 2.28).
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/resources/packaging
PY=${PY:-$ROOT/.venv/bin/python}
BUILD=${BUILD:-$ROOT/build/package}
OUT=${OUT:-$ROOT/dist}
ARCH=${ARCH:-$(dpkg --print-architecture)}
if [ -z "${VERSION:-}" ]; then
    VERSION=$(cd "$ROOT" && "$PY" -c "from setuptools.config.setupcfg import read_configuration as r
print(r('setup.cfg')['metadata']['version'])")
fi
case $VERSION in
    [0-9]*) ;;
    *) echo "VERSION '$VERSION' must start with a digit (Debian versions do), e.g. 0.1.1" >&2; exit 2 ;;
esac
BUNDLE=$BUILD/bundle/lianxin-pos
STAGE=$BUILD/root
DEB=$OUT/lianxin-pos_${VERSION}_${ARCH}.deb
mkdir -p "$BUILD" "$OUT"

if [ "${SKIP_BUNDLE:-}" != 1 ] || [ ! -x "$BUNDLE/lianxin-pos" ]; then
    echo "Bundling the till with PyInstaller (a few minutes) …"
    started=$(date +%s)
    "$PY" -m PyInstaller --noconfirm --log-level WARN --distpath "$BUILD/bundle" --workpath "$BUILD/work" \
        "$HERE/lianxin-pos.spec" > "$BUILD/pyinstaller.log" 2>&1 || {
        tail -40 "$BUILD/pyinstaller.log" >&2; echo "PyInstaller failed; the whole log: $BUILD/pyinstaller.log" >&2; exit 1; }
    echo "bundle_seconds=$(( $(date +%s) - started ))" > "$BUILD/figures.txt"
fi

echo "Wrapping $DEB …"
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
    "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/share/pixmaps" "$STAGE/usr/share/doc/lianxin-pos"
cp -a "$BUNDLE" "$STAGE/opt/lianxin-pos"
printf '%s\n' "$VERSION" > "$STAGE/opt/lianxin-pos/VERSION"
cat > "$STAGE/usr/bin/lianxin-pos" <<'EOF'
#!/bin/sh
# LianXin POS (连心收银): the till, or its command line with arguments (lianxin-pos --help).
exec /opt/lianxin-pos/lianxin-pos "$@"
EOF
chmod 755 "$STAGE/usr/bin/lianxin-pos"
cp "$HERE/lianxin-pos.desktop" "$STAGE/usr/share/applications/lianxin-pos.desktop"
cp "$HERE/lianxin-pos.png" "$STAGE/usr/share/icons/hicolor/256x256/apps/lianxin-pos.png"
cp "$HERE/lianxin-pos.png" "$STAGE/usr/share/pixmaps/lianxin-pos.png"
cat > "$STAGE/usr/share/doc/lianxin-pos/copyright" <<'EOF'
LianXin POS (连心收银) — Apache-2.0.
The bundled font (opt/lianxin-pos/_internal/resources/fonts/wqy-microhei.ttc) is WenQuanYi Micro Hei,
Apache-2.0 or GPLv3 with the font embedding exception; see resources/fonts/README.md in the bundle.
The bundled Python, Qt (LGPLv3) and libraries keep their own licences.
EOF
for script in postinst postrm; do
    install -m 755 "$HERE/$script" "$STAGE/DEBIAN/$script"
done

# Depends: the window's packages (Makefile WINDOW_DEBS, passed in by make) and the C library the
# bundle was built against (the newest GLIBC_x.y symbol version any of its programs asks for).
DEBS=${WINDOW_DEBS:-libegl1 libgl1 libfontconfig1 libfreetype6 libdbus-1-3 libx11-6 libx11-xcb1 libxkbcommon0 \
libxkbcommon-x11-0 libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1}
GLIBC=$(find "$STAGE/opt/lianxin-pos" -type f \( -name '*.so*' -o -perm -u+x \) -exec objdump -T {} + 2>/dev/null \
    | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -u -V | tail -1)
depends="libc6 (>= ${GLIBC:-2.28})"
for p in $DEBS; do depends="$depends, $p"; done
SIZE_KB=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<EOF
Package: lianxin-pos
Version: $VERSION
Architecture: $ARCH
Maintainer: LianXin POS <pos@lianxin.invalid>
Installed-Size: $SIZE_KB
Depends: $depends
Section: misc
Priority: optional
Description: LianXin POS (连心收银) — the till of the LianXin partner counters
 Sales with scanner, scale and receipt printer, shifts, day close (日结) and
 head-office sync, in Chinese and English. A self-contained program under
 /opt/lianxin-pos; the ledger and settings live in each user's data folder
 (~/.local/share/lianxin-pos, ~/.config/lianxin-pos) and are kept when the
 package is upgraded or removed. "lianxin-pos autostart on" opens the till
 when the counter's user logs in.
EOF
(cd "$STAGE" && find opt usr -type f -exec md5sum {} + | sort -k2 > DEBIAN/md5sums)
find "$STAGE" -type d -exec chmod 755 {} +
find "$STAGE" -type f ! -perm -u+x -exec chmod 644 {} +
find "$STAGE" -type f -perm -u+x -exec chmod 755 {} +
chmod 644 "$STAGE/DEBIAN/control" "$STAGE/DEBIAN/md5sums"

rm -f "$DEB"
started=$(date +%s)
# xz: what every dpkg reads (统信UOS 20 and 麒麟 V10 ship dpkg 1.19, which has no zstd)
fakeroot dpkg-deb ${DEB_COMPRESS:--Zxz} --build "$STAGE" "$DEB" >/dev/null
if [ "${NO_FIGURES:-}" != 1 ]; then
    {
        grep '^bundle_seconds=' "$BUILD/figures.txt" 2>/dev/null || true
        echo "deb_seconds=$(( $(date +%s) - started ))"
        echo "bundle_mb=$(du -sm "$BUNDLE" | cut -f1)"
        echo "deb_mb=$(du -m "$DEB" | cut -f1)"
    } > "$BUILD/figures.new"
    mv "$BUILD/figures.new" "$BUILD/figures.txt"
fi
[ "${NO_FIGURES:-}" = 1 ] || printf '%s\n' "$DEB" > "$BUILD/deb-path"
echo "Built $DEB ($(du -h "$DEB" | cut -f1); bundle $(du -sh "$BUNDLE" | cut -f1); needs glibc ${GLIBC:-?} or newer)"
