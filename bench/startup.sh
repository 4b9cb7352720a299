#!/usr/bin/env bash
# The first start as a new user meets it: a fresh clone of this repository, no compiler cache, and
# the README's run command (scripts/run-demo.sh) until the server answers /health/ready. Prints one
# row per phase with its wall time and the CPU time (user + system) of the run command's processes;
# the installation of system packages is assumed done (its check is timed, it installs nothing).
#   bench/startup.sh [REPOSITORY]      (default: this checkout; its committed HEAD is cloned)
# The clone is removed afterwards. CPU time is what the phase costs whatever else the machine runs;
# wall time depends on the other load (compare with `uptime`, printed at the start and the end).
set -euo pipefail
repo="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
dir=$(mktemp -d)
out="$dir/run-demo.out"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
https_port=$(free_port)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

echo "startup: load before: $(uptime | sed 's/.*load average/load average/'), $(nproc) cores"
git clone -q "$repo" "$dir/aihistory"

# CPU seconds (user + system) of every process of the run command's session, living or reaped.
hz=$(getconf CLK_TCK)
cpu_of_session() {
  local total=0 s
  for s in /proc/[0-9]*/stat; do
    # Fields after the command name: state ppid pgrp session ... utime(12) stime(13) cutime(14) cstime(15).
    { read -r line <"$s"; } 2>/dev/null || continue  # a process that has just ended
    rest=${line##*) }
    set -- $rest
    [ "${4:-}" = "$pid" ] || continue
    total=$((total + ${12} + ${13} + ${14} + ${15}))
  done
  echo "$total"
}

sub() { awk -v a="$1" -v b="$2" 'BEGIN { print a - b }'; }
ticks() { awk -v t="$1" -v hz="$hz" 'BEGIN { print t / hz }'; }

start=$(date +%s.%N)
# In a session of its own (its id is its pid), so that its processes can be found and stopped.
( cd "$dir/aihistory" && CCACHE_DISABLE=1 AIH_PORT=$port AIH_HTTPS_PORT=$https_port \
    exec setsid bash -c 'echo $$ >../pid; exec ./scripts/run-demo.sh' >"$out" 2>&1 ) &
while [ ! -s "$dir/pid" ]; do sleep 0.05; done
pid=$(cat "$dir/pid")

# Phase boundaries, as the run command reports them.
marks=("build-release: configuring" "build-release: compiling" "creating the demo tenant" "aihistory demo:" "listening on http://")
names=("check packages" "configure" "build" "demo-setup" "start the server")
rows=()
last_t=$start
last_cpu=0
i=0
row() {
  local now cpu
  now=$(date +%s.%N)
  cpu=$(cpu_of_session)
  # The session's CPU only grows; a sample taken as a process exits can miss it for a moment.
  [ "$cpu" -ge "$last_cpu" ] || cpu=$last_cpu
  rows+=("$(printf '%-18s %8.1f %8.1f' "$1" "$(sub "$now" "$last_t")" "$(ticks "$((cpu - last_cpu))")")")
  last_t=$now
  last_cpu=$cpu
}
while :; do
  if ! kill -0 "$pid" 2>/dev/null; then
    cat "$out" >&2
    echo "startup: the run command ended before the server answered (its output is above)" >&2
    exit 1
  fi
  if [ "$i" -lt "${#marks[@]}" ] && grep -q -- "${marks[$i]}" "$out"; then
    row "${names[$i]}"
    i=$((i + 1))
    continue
  fi
  if [ "$i" = "${#marks[@]}" ] && curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; then
    row "first answer"
    break
  fi
  sleep 0.1
done
total=$(sub "$(date +%s.%N)" "$start")
warnings=$(grep -c "warning:" "$dir/aihistory/build-release/build.log" || true)

printf '%-18s %8s %8s\n' "phase" "wall s" "CPU s"
printf '%s\n' "${rows[@]}"
printf '%-18s %8.1f %8.1f\n' "total" "$total" "$(ticks "$last_cpu")"
echo "startup: compiler warnings in the build: $warnings"
# The build's longest steps (wall time, which the other load stretches): the heaviest files start
# first, and the build cannot end sooner than the longest of them.
ninja_log="$dir/aihistory/build-release/.ninja_log"
if [ -f "$ninja_log" ]; then
  echo "startup: the build's longest steps (wall s, start s, file):"
  awk -F'\t' 'NR > 1 { printf "  %6.1f %6.1f %s\n", ($2 - $1) / 1000, $1 / 1000, $4 }' "$ninja_log" | sort -rn | head -5
fi
echo "startup: load after: $(uptime | sed 's/.*load average/load average/')"
