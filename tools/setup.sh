#!/bin/sh
# setup.sh: installs the Debian packages incent needs (those missing), then
# configures and builds it in _build/.  Safe to run again: it does only what
# is left to do.  Extra arguments go to configure.
set -eu
cd "$(dirname "$0")/.."

packages="build-essential autoconf automake autopoint libtool pkg-config flex bison
gettext libgettextpo-dev libsqlite3-dev sqlite3 nettle-dev libcsv-dev libjson-c-dev libicu-dev tzdata tidy jq time
libgmime-3.0-dev python3 chromium fonts-noto-core fonts-noto-cjk lcov"
missing=
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup: installing$missing"
  sudo=
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi

if [ ! -x configure ] || [ configure.ac -nt configure ]; then
  autoreconf -fi
fi
mkdir -p _build
cd _build
if [ ! -f Makefile ] || [ "$#" -gt 0 ]; then
  ../configure --quiet "$@"
fi
make -j"$(nproc)" --no-print-directory
