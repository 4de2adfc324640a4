#!/usr/bin/env bash
# Install sitegen into .venv/ (made here when missing) and build the demo practice in content/ into public/:
#   bash quickstart.sh          build (public/)
#   bash quickstart.sh serve    build and preview at http://127.0.0.1:8000/, reloading on every save
# Any other arguments go to `sitegen` as they are (e.g. `bash quickstart.sh check --strict`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
[[ -x .venv/bin/python ]] || python3 -m venv .venv
if ! .venv/bin/python -c "import sitegen" 2>/dev/null || [[ pyproject.toml -nt .venv/.sitegen-installed ]]; then
    .venv/bin/python -m pip install -q -e . && touch .venv/.sitegen-installed
fi
[[ $# -gt 0 ]] || set -- build
exec .venv/bin/sitegen "$@"
