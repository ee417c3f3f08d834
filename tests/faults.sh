#!/bin/sh
# faults.sh BUILD - fault injection as a user meets it (docs/RELIABILITY.md
# lists every fault and what the user sees):
#   output:  a full disk (a small tmpfs mounted here when root; a file-size
#            limit, ulimit -f, for anyone), a rename that fails, an output
#            folder that is missing or read-only;
#   signals: SIGINT and SIGTERM stop a long run cleanly; kill -9 leaves only
#            the temporary file;
#   memory:  every allocation of dcsim's own code fails in turn
#            (BUILD/dcsim_allocfail, tests/alloc_fail.c) in run, validate,
#            report and export;
#   input:   unreadable scenario and trace files, absurd sizes refused
#            within a small memory limit, a job larger than its pool.
# Each check names what it expects; closing line "faults: N passed, N failed".
# A fault that this machine cannot make (mount refused, no way to drop root)
# prints "skip" with the reason and counts neither way.
B=${1:-build}
DCSIM="$B/dcsim"
T=$(mktemp -d /tmp/dcsim-faults-XXXXXX)
chmod 755 "$T"
MOUNTS=""
cleanup() {
    for m in $MOUNTS; do umount "$m" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'; }
skip() { echo "skip $1"; }

SMALL=tests/faults/small.cfg
W1SMALL="--set workloads.w1.arrival.count=50 --set sites.dc.pools.hosts.count=5 --set output.jobs=false"
LONG="--set workloads.w1.arrival.count=100000000"

# sane STATUS ERRFILE: no crash (status below 128 or 130), no sanitizer report
sane() {
    [ "$1" -lt 128 ] || [ "$1" -eq 130 ] || return 1
    ! grep -q "Sanitizer\|runtime error\|Segmentation\|Aborted" "$2"
}
# no_temp DIR: no "*.tmp.*" file left in DIR
no_temp() { ! ls "$1" 2>/dev/null | grep -q '\.tmp\.'; }
# can_mount: 0 if this process may mount a tmpfs (root, not forbidden)
can_mount() {
    mkdir -p "$T/probe"
    mount -t tmpfs -o size=64k tmpfs "$T/probe" 2>/dev/null || return 1
    umount "$T/probe"
}

# an earlier result, small enough for the small file systems below
# shellcheck disable=SC2086
"$DCSIM" run scenarios/bench/w1.cfg $W1SMALL -o "$T/earlier.h5" --summary none --quiet 2>"$T/err" ||
    bad "make an earlier result" "$(cat "$T/err")"

# ---------------------------------------------------------------- output ---

# full_disk NAME DIR: a run whose result does not fit in DIR (holding an
# earlier result of the same name) fails with exit 1 and a message, removes
# its temporary file and leaves the earlier result as it was.
full_disk() {
    cp "$T/earlier.h5" "$2/out.h5"
    "$DCSIM" run $SMALL -o "$2/out.h5" --quiet >/dev/null 2>"$T/err"
    st=$?
    if [ $st -eq 1 ] && sane $st "$T/err" && grep -q "^dcsim: .*out.h5.tmp.[0-9]*: .*: .*" "$T/err" &&
        no_temp "$2" && cmp -s "$T/earlier.h5" "$2/out.h5"; then
        ok "$1: exit 1, \"$(cut -c1-60 "$T/err" | sed "s|$T|T|")...\", no temp file, earlier result kept"
    else
        bad "$1" "status $st, left: $(ls "$2"), message: $(cat "$T/err")"
    fi
}

if can_mount; then
    # 200 KiB: the earlier result (60 KiB) fits, the new one (3 MiB) does not
    mkdir -p "$T/full"
    mount -t tmpfs -o size=200k tmpfs "$T/full" && MOUNTS="$MOUNTS $T/full"
    full_disk "disk full (tmpfs of 200 KiB)" "$T/full"
    # read-only file system: the temporary file cannot even be created
    mkdir -p "$T/ro"
    mount -t tmpfs -o ro,size=64k tmpfs "$T/ro" && MOUNTS="$MOUNTS $T/ro"
    "$DCSIM" run $SMALL -o "$T/ro/out.h5" --quiet >/dev/null 2>"$T/err"; st=$?
    if [ $st -eq 1 ] && sane $st "$T/err" && grep -q "cannot create .*out.h5.tmp.[0-9]*: .*Read-only file system" "$T/err"; then
        ok "read-only output folder (ro mount): exit 1, \"cannot create ...: Read-only file system\""
    else
        bad "read-only output folder (ro mount)" "status $st: $(cat "$T/err")"
    fi
else
    skip "disk full on a tmpfs: mount not permitted here (the file-size limit below makes the same failure)"
    skip "read-only mount: mount not permitted here (see the non-root check below)"
fi

# a file-size limit (ulimit -f, SIGXFSZ ignored) makes every write past it
# fail with EFBIG, as a full disk does; several limits stop the run at
# different places (file creation, series chunks, job table, summary)
mkdir -p "$T/fsize"
for blocks in 1 8 64 512 2048; do
    cp "$T/earlier.h5" "$T/fsize/out.h5"
    (trap '' XFSZ; ulimit -f $blocks; exec "$DCSIM" run $SMALL -o "$T/fsize/out.h5" --quiet) >/dev/null 2>"$T/err"
    st=$?
    if [ $st -eq 1 ] && sane $st "$T/err" && grep -q "^dcsim: " "$T/err" && no_temp "$T/fsize" &&
        cmp -s "$T/earlier.h5" "$T/fsize/out.h5"; then
        ok "file-size limit of $blocks blocks: exit 1, \"$(cut -c1-50 "$T/err" | sed "s|$T|T|")...\", earlier result kept"
    else
        bad "file-size limit of $blocks blocks" "status $st, left: $(ls "$T/fsize"), message: $(cat "$T/err")"
    fi
done

# the final name is a folder: the rename fails at the very end
mkdir -p "$T/isdir/out.h5/inside"
"$DCSIM" run $SMALL -o "$T/isdir/out.h5" --quiet >/dev/null 2>"$T/err"; st=$?
if [ $st -eq 1 ] && sane $st "$T/err" && grep -q "cannot rename .* Is a directory" "$T/err" && no_temp "$T/isdir" &&
    [ -d "$T/isdir/out.h5/inside" ]; then
    ok "output name is a folder: exit 1, \"cannot rename ...: Is a directory\", temp removed, folder untouched"
else
    bad "output name is a folder" "status $st, left: $(ls "$T/isdir"), message: $(cat "$T/err")"
fi

# a missing output folder is created (like mkdir -p)
"$DCSIM" run $SMALL -o "$T/new/deeper/out.h5" --summary none --quiet 2>"$T/err"; st=$?
[ $st -eq 0 ] && [ -f "$T/new/deeper/out.h5" ] && ok "missing output folders are created" ||
    bad "missing output folders are created" "status $st: $(cat "$T/err")"

# ------------------------------------------------- permissions (not root) ---

# as_user CMD...: runs CMD as an unprivileged user when we are root (root
# reads and writes anything, so chmod alone tests nothing); returns 125 if
# that is impossible here
as_user() {
    if [ "$(id -u)" != 0 ]; then
        "$@"
    elif command -v setpriv >/dev/null 2>&1 && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
        setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
    else
        return 125
    fi
}

# small.cfg in a folder of its own (libconfig 1.5 reads @include paths
# relative to the scenario's folder, even absolute ones)
mkdir -p "$T/perm"
cp tests/faults/ci.csv scenarios/hardware.cfg scenarios/models.cfg "$T/perm/"
sed -e 's|"../../scenarios/|"|' $SMALL >"$T/perm/small.cfg"
cp "$T/perm/small.cfg" "$T/perm/locked.cfg"
chmod 000 "$T/perm/locked.cfg"
chmod 755 "$T/perm"
as_user "$DCSIM" validate "$T/perm/locked.cfg" >/dev/null 2>"$T/err"; st=$?
if [ $st -eq 125 ]; then
    skip "unreadable scenario: running as root and cannot drop to an unprivileged user"
elif [ $st -eq 2 ] && grep -q "^$T/perm/locked.cfg: cannot open: Permission denied$" "$T/err"; then
    ok "unreadable scenario: exit 2, \"locked.cfg: cannot open: Permission denied\""
else
    bad "unreadable scenario" "status $st: $(cat "$T/err")"
fi
chmod 000 "$T/perm/ci.csv"
as_user "$DCSIM" validate "$T/perm/small.cfg" >/dev/null 2>"$T/err"; st=$?
if [ $st -eq 125 ]; then
    skip "unreadable trace: running as root and cannot drop to an unprivileged user"
elif [ $st -eq 2 ] && grep -q "^$T/perm/ci.csv: cannot open: Permission denied (grid trace of site east, set at " "$T/err"; then
    ok "unreadable trace: exit 2, \"ci.csv: cannot open: Permission denied (grid trace of site east, ...)\""
else
    bad "unreadable trace" "status $st: $(cat "$T/err")"
fi
chmod 644 "$T/perm/ci.csv"
mkdir -p "$T/perm/ro"
chmod 555 "$T/perm/ro"
as_user "$DCSIM" run "$T/perm/small.cfg" -o "$T/perm/ro/out.h5" --quiet >/dev/null 2>"$T/err"; st=$?
if [ $st -eq 125 ]; then
    skip "read-only output folder: running as root and cannot drop to an unprivileged user"
elif [ $st -eq 1 ] && grep -q "cannot create .*out.h5.tmp.[0-9]*: .*Permission denied" "$T/err"; then
    ok "read-only output folder (mode 555): exit 1, \"cannot create ...: Permission denied\""
else
    bad "read-only output folder (mode 555)" "status $st: $(cat "$T/err")"
fi

# --------------------------------------------------------------- signals ---

# wait_for FILEPATTERN: up to 10 s for a file matching the glob to appear
wait_for() {
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        # shellcheck disable=SC2086
        ls $1 >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    return 1
}

for sig in INT TERM; do
    mkdir -p "$T/sig$sig"
    cp "$T/earlier.h5" "$T/sig$sig/out.h5"
    # shellcheck disable=SC2086
    "$DCSIM" run scenarios/bench/w1.cfg $LONG -o "$T/sig$sig/out.h5" --quiet >/dev/null 2>"$T/err" &
    pid=$!
    wait_for "$T/sig$sig/out.h5.tmp.*"
    sleep 0.3
    kill -$sig $pid
    wait $pid; st=$?
    if [ $st -eq 130 ] && sane $st "$T/err" && grep -q "interrupted at .* s of simulated time; no result written (.*out.h5 untouched)" "$T/err" &&
        no_temp "$T/sig$sig" && cmp -s "$T/earlier.h5" "$T/sig$sig/out.h5"; then
        ok "SIG$sig during a run: exit 130, \"interrupted at ...; no result written (... untouched)\", earlier result kept"
    else
        bad "SIG$sig during a run" "status $st, left: $(ls "$T/sig$sig"), message: $(cat "$T/err")"
    fi
done

mkdir -p "$T/kill9"
cp "$T/earlier.h5" "$T/kill9/out.h5"
# shellcheck disable=SC2086
"$DCSIM" run scenarios/bench/w1.cfg $LONG --set output.jobs=true -o "$T/kill9/out.h5" --quiet >/dev/null 2>"$T/err" &
pid=$!
wait_for "$T/kill9/out.h5.tmp.*"
sleep 0.5
kill -KILL $pid
wait $pid 2>/dev/null; st=$?
left=$(ls "$T/kill9" | tr '\n' ' ')
if [ $st -eq 137 ] && [ "$left" = "out.h5 out.h5.tmp.$pid " ] && cmp -s "$T/earlier.h5" "$T/kill9/out.h5"; then
    ok "kill -9 during a run: only out.h5.tmp.$pid is left beside the untouched earlier result"
else
    bad "kill -9 during a run" "status $st, left: $left"
fi

# --------------------------------------------------------------- memory ---

# alloc_sweep NAME CMD...: runs CMD with its Nth allocation failing, N = 1, 2,
# ... up to the count of a clean run; every run must end with exit 1 or 2 and
# a message (or 0 when the failure was harmless and the output complete),
# never a crash or sanitizer report, and leave no temporary file
AF="$B/dcsim_allocfail"
alloc_sweep() {
    name=$1
    shift
    total=$(DCSIM_ALLOC_COUNT=1 "$AF" "$@" 2>&1 >/dev/null | sed -n 's/^allocations: //p')
    if [ -z "$total" ]; then
        bad "allocation failure, $name: no allocation count from $AF"
        return
    fi
    n=1
    worst=""
    counts=""
    while [ $n -le "$total" ]; do
        rm -rf "$T/af"
        mkdir -p "$T/af"
        DCSIM_ALLOC_FAIL=$n "$AF" "$@" >/dev/null 2>"$T/err"
        st=$?
        if ! sane $st "$T/err" || ! no_temp "$T/af" || { [ $st -ne 0 ] && [ ! -s "$T/err" ]; } ||
            { [ $st -ne 0 ] && [ $st -ne 1 ] && [ $st -ne 2 ]; }; then
            worst="allocation $n: status $st, left: $(ls "$T/af"), message: $(head -c 300 "$T/err")"
            break
        fi
        counts="$counts $st"
        n=$((n + 1))
    done
    if [ -z "$worst" ]; then
        s1=$(echo "$counts" | tr ' ' '\n' | grep -c '^1$')
        s2=$(echo "$counts" | tr ' ' '\n' | grep -c '^2$')
        s0=$(echo "$counts" | tr ' ' '\n' | grep -c '^0$')
        ok "allocation failure, $name: each of $total allocations failed in turn: $s2 x exit 2, $s1 x exit 1, $s0 harmless, no crash"
    else
        bad "allocation failure, $name" "$worst"
    fi
}
if [ -x "$AF" ]; then
    alloc_sweep "run" run $SMALL -o "$T/af/out.h5" --quiet
    alloc_sweep "validate" validate $SMALL
    "$DCSIM" run $SMALL -o "$T/result.h5" --summary none --quiet 2>/dev/null
    alloc_sweep "report" report "$T/result.h5"
    alloc_sweep "report kv" report "$T/result.h5" --format kv
    alloc_sweep "export" export "$T/result.h5" /sites/east/energy_kwh
else
    bad "allocation failure" "$AF is not built (make test-bins)"
fi

# ---------------------------------------------------------------- input ---

# absurd sizes are refused before anything large is allocated: each bad
# scenario is checked within a 256 MiB address-space limit (not in
# sanitizer builds, whose shadow memory needs terabytes of address space)
if ldd "$DCSIM" 2>/dev/null | grep -q "libasan\|libtsan"; then
    skip "absurd sizes within 256 MiB: a sanitizer build cannot run under ulimit -v"
else
    for c in 05-absurd-node-count 42-set-absurd-count 60-absurd-arrival-count 61-absurd-duration \
             62-too-many-steps 63-absurd-job-nodes; do
        args=""
        [ -f "tests/bad/$c.args" ] && args=$(cat "tests/bad/$c.args")
        # shellcheck disable=SC2086
        (ulimit -v 262144; exec "$DCSIM" run "tests/bad/$c.cfg" $args -o "$T/absurd.h5" --quiet) >/dev/null 2>"$T/err"
        st=$?
        if [ $st -eq 2 ] && cmp -s "$T/err" "tests/bad/$c.expected"; then
            ok "absurd size refused within 256 MiB: $c"
        else
            bad "absurd size refused within 256 MiB: $c" "status $st: $(cat "$T/err")"
        fi
    done
    # the largest sizes allowed load and validate within the same limit
    (ulimit -v 262144; exec "$DCSIM" validate scenarios/bench/w1.cfg --set sites.dc.pools.hosts.count=10000000 \
        --set workloads.w1.arrival.count=1000000000) >/dev/null 2>"$T/err"
    st=$?
    [ $st -eq 0 ] && ok "the largest allowed pool (10^7 nodes) and arrival count (10^9) validate within 256 MiB" ||
        bad "the largest allowed sizes validate within 256 MiB" "status $st: $(cat "$T/err")"
fi

# a job larger than its pool is not an error: validate warns, run counts the rejections
"$DCSIM" validate $SMALL --set workloads.ft.nodes=64 >/dev/null 2>"$T/err"; st=$?
if [ $st -eq 0 ] && [ "$(cat "$T/err")" = "$SMALL: warning: workload ft asks for 64 nodes but its largest pool has 16 on: its jobs will be rejected" ]; then
    ok "a job larger than its pool: validate exits 0 with a warning naming the workload"
else
    bad "a job larger than its pool" "status $st: $(cat "$T/err")"
fi

echo "faults: $pass passed, $fail failed"
[ $fail -eq 0 ]
