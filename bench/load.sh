#!/usr/bin/env bash
# Load test with hot reload under load: see load.py. Needs wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ -x target/release/indikator ]] || cargo build --release
command -v wrk >/dev/null || { echo "needs wrk: apt-get install -y wrk" >&2; exit 1; }
exec python3 bench/load.py "$@"
