#!/usr/bin/env bash
# Clean-build and warm-ccache rebuild times of the whole suite, each from a fresh clone of HEAD
# in a different folder (as CI gets it), with a private ccache so the figures do not depend on
# what this machine built before. Usage: bench/build_times.sh   (takes several minutes)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/tiquete-buildbench-XXXXXX)
trap 'rm -rf "$work"' EXIT
export CCACHE_DIR="$work/ccache" CCACHE_NOHASHDIR=1

build() {  # build DIR → prints wall seconds
  local dir=$1
  git clone -q "$root" "$dir"
  export CCACHE_BASEDIR="$dir"
  cmake -S "$dir" -B "$dir/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  local start end
  start=$(date +%s.%N)
  cmake --build "$dir/build" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(date -u +%F)"
echo "commit: $(git -C "$root" rev-parse --short HEAD)"
cold=$(build "$work/a")
echo "clean build, cold ccache: ${cold} s"
ccache -z >/dev/null
warm=$(build "$work/b")
echo "clean clone in another folder, warm ccache: ${warm} s"
ccache -s | grep -E "Hits|Misses" | sed 's/^/  /'
