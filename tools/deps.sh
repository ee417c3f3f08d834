#!/bin/sh
# deps.sh - installs the Debian 12 packages dcsim needs, if any is missing.
# Run by `make run`, `make test` and `make bench`. As root it runs apt-get;
# otherwise it prints the one command to run and fails. Arguments name extra
# packages that one target needs: `make fuzz` adds clang libclang-rt-14-dev,
# `make valgrind` adds valgrind, `make test-mpi` and `make MPI=1` libopenmpi-dev
# openmpi-bin (the default build has no MPI dependency).
set -eu
PKGS="gcc make pkg-config time libgsl-dev libhdf5-dev libconfig-dev libjansson-dev hdf5-tools python3 python3-h5py python3-numpy python3-matplotlib python3-xarray python3-pandas python3-h5netcdf python3-netcdf4 $*"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "dcsim needs these Debian packages:$missing" >&2
    echo "run:  sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# a fresh machine may have empty package lists: update once if install fails
apt-get install -y -q $missing >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q $missing >/dev/null; }
