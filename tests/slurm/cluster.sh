#!/usr/bin/env bash
# A one-node SLURM cluster on localhost, from Debian's packages, for the SLURM test.
#
#   tests/slurm/cluster.sh start STATE_DIR   install if needed, write /etc/slurm/slurm.conf
#                                            (unless a real one is there), start the daemons
#   tests/slurm/cluster.sh stop STATE_DIR    stop the daemons this script started (PID files)
#
# Exit status 3 means this machine cannot run SLURM here (not root, or no apt-get and no
# SLURM): the test skips. There is no systemd here, so the daemons are started by hand:
# munged as the munge user, then slurmctld, then slurmd.
set -euo pipefail

action=${1:?usage: cluster.sh start|stop STATE_DIR}
state=${2:?usage: cluster.sh start|stop STATE_DIR}
mkdir -p "$state"
state=$(cd "$state" && pwd)
# Job steps (srun inside a batch job) read the default location, not $SLURM_CONF.
conf=/etc/slurm/slurm.conf
marker="# written by tests/slurm/cluster.sh"

stop() {
    for pidfile in "$state/slurmd.pid" "$state/slurmctld.pid" "$state/munged.pid"; do
        if [[ -s $pidfile ]]; then
            pid=$(cat "$pidfile")
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
            rm -f "$pidfile"
        fi
    done
}

if [[ $action == stop ]]; then
    stop
    # Left behind, the config would make every SLURM client (and so the executor plugin,
    # at Snakemake's start) wait for a controller that is gone.
    if grep -qx "$marker" "$conf" 2>/dev/null; then
        rm -f "$conf" /etc/slurm/gres.conf
    fi
    exit 0
fi

packages=(slurmctld slurmd slurm-client munge)
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null \
        || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    if [[ $(id -u) != 0 ]] || ! command -v apt-get >/dev/null; then
        echo "cannot install SLURM: needs root and apt-get (${packages[*]})" >&2
        exit 3
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "${packages[@]}" >&2
fi
if [[ $(id -u) != 0 ]]; then
    echo "cannot start SLURM daemons: needs root" >&2
    exit 3
fi

# munge: the key comes with the package; its daemon runs as the munge user.
if [[ ! -s /etc/munge/munge.key ]]; then
    mungekey --create >&2
    chown munge:munge /etc/munge/munge.key
fi
# Its files live in /run/munge: the munge user may not reach into $state.
mkdir -p /run/munge
chown munge:munge /run/munge
rm -f /run/munge/munged.pid
runuser -u munge -- munged --force --socket=/run/munge/munge.socket.2 \
    --pid-file=/run/munge/munged.pid --log-file=/run/munge/munged.log \
    --seed-file=/run/munge/munged.seed
for _ in $(seq 50); do [[ -s /run/munge/munged.pid ]] && break; sleep 0.1; done
cp /run/munge/munged.pid "$state/munged.pid"

if [[ -e $conf ]] && ! grep -qx "$marker" "$conf"; then
    echo "$conf exists and is not this test's: not touching a real cluster's config" >&2
    exit 3
fi
mkdir -p /etc/slurm
host=$(hostname -s)
node=$(slurmd -C | head -n 1 | sed "s/^NodeName=[^ ]*/NodeName=$host/")
cat > "$conf" <<CONF
$marker
ClusterName=workflowtest
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
ReturnToService=2
MpiDefault=none
GresTypes=gpu
$node Gres=gpu:1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
echo "Name=gpu File=/dev/null" > /etc/slurm/gres.conf
mkdir -p "$state/ctld" "$state/spool"

export SLURM_CONF=$conf
slurmctld -i
slurmd
for _ in $(seq 100); do
    if [[ $(sinfo -h -o %T 2>/dev/null) == idle* ]]; then
        echo "SLURM_CONF=$conf"
        exit 0
    fi
    sleep 0.2
done
echo "SLURM did not come up; see $state/slurmctld.log and $state/slurmd.log" >&2
sinfo >&2 || true
stop
exit 1
