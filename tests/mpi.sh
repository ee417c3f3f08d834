#!/bin/sh
# mpi.sh BUILD [MPIBUILD] - `dcsim sweep` over 2 MPI ranks on this machine
# (mpirun --oversubscribe) gives the same sweep file as one process with
# OpenMP: byte for byte apart from the /timing record, with and without the
# full series; a bad sweep under mpirun exits 2 with one message. Needs the
# MPI build (`make MPI=1`, in build/mpi): `make test-mpi` builds it and runs
# this. Without an MPI build (the default `make test`) it prints a skip line.
# Closes with "mpi: N passed, N failed".
B=${1:-build}
M=${2:-${DCSIM_MPI_BUILD:-}}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'; }
finish() { echo "mpi: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

if [ -z "$M" ] || [ ! -x "$M/dcsim" ] || ! ldd "$M/dcsim" 2>/dev/null | grep -q libmpi; then
    echo "skip MPI sweep tests: no MPI build of dcsim (make test-mpi builds build/mpi/dcsim with MPI=1 and runs them)"
    finish
fi
if ! command -v mpirun >/dev/null 2>&1; then
    echo "skip MPI sweep tests: mpirun not found (apt-get install openmpi-bin)"
    finish
fi
# Open MPI refuses root unless told; oversubscribe: 2 ranks whatever the core count
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
MPIRUN="mpirun --oversubscribe --mca btl self,vader --mca pml ob1 -n 2" # shared memory: quick start-up
T=$(mktemp -d /tmp/dcsim-mpi-XXXXXX)
Q=tests/fixtures/sweep/quick.cfg

# same bytes apart from /timing: $1 $2 files
same() {
    off=$(h5dump -p -d /timing "$1" | sed -n 's/^ *OFFSET \([0-9]*\)$/\1/p')
    n=$(cmp -l "$1" "$2" | awk -v a="$off" '$1 <= a || $1 > a + 24' | wc -l)
    [ -n "$off" ] && [ "$n" -eq 0 ] && [ "$(stat -c %s "$1")" = "$(stat -c %s "$2")" ]
}

for mode in plain series; do
    opt=""
    [ $mode = series ] && opt="--series --replications 2"
    "$B/dcsim" sweep $Q $opt -j 1 -o "$T/omp-$mode.h5" --summary none --quiet 2>"$T/err"
    s1=$?
    OMP_NUM_THREADS=1 $MPIRUN "$M/dcsim" sweep $Q $opt -o "$T/mpi-$mode.h5" --summary none >"$T/out" 2>&1
    s2=$?
    ranks=$(h5dump -d /timing "$T/mpi-$mode.h5" 2>/dev/null | grep -A6 "DATA {" | sed -n '6p' | tr -d ' ')
    if [ $s1 -eq 0 ] && [ $s2 -eq 0 ] && grep -q "on 2 rank(s) x 1 thread(s)" "$T/out" && same "$T/omp-$mode.h5" "$T/mpi-$mode.h5"; then
        ok "2 MPI ranks = 1 process ($mode): identical files apart from /timing"
    else
        bad "2 MPI ranks = 1 process ($mode)" "status $s1 $s2, ranks '$ranks': $(cat "$T/err" "$T/out" | head -20)"
    fi
done

# 2 ranks x 2 threads: rank 0 serves and runs on 2 threads, rank 1 on 2
OMP_NUM_THREADS=2 $MPIRUN "$M/dcsim" sweep $Q -o "$T/mpi-2x2.h5" --summary none >"$T/out" 2>&1
[ $? -eq 0 ] && same "$T/omp-plain.h5" "$T/mpi-2x2.h5" && ok "2 ranks x 2 threads = 1 process" ||
    bad "2 ranks x 2 threads = 1 process" "$(head -20 "$T/out")"

# a bad sweep: every rank finds it, rank 0 alone says so, exit 2, no file
$MPIRUN "$M/dcsim" sweep tests/bad/sweep/304-grid-value-out-of-range.cfg -o "$T/bad.h5" --quiet >"$T/out" 2>"$T/err"
st=$?
n=$(grep -c "304-grid-value-out-of-range.cfg:3: variant" "$T/err")
[ $st -ne 0 ] && [ "$n" -eq 1 ] && [ ! -e "$T/bad.h5" ] && ok "bad sweep under mpirun: one message, no file (status $st)" ||
    bad "bad sweep under mpirun: one message, no file" "status $st, $n messages: $(cat "$T/err")"

rm -rf "$T"
finish
