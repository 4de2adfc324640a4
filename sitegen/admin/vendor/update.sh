#!/usr/bin/env bash
# Re-make decap-cms.tar.xz (the editor's bundle shipped with sitegen) from the npm package, pinned:
#   bash sitegen/admin/vendor/update.sh            # the version and integrity below
# To move to a new release: set VERSION, run `npm view decap-cms@VERSION dist.integrity`, set INTEGRITY,
# run this, then tests/test_admin.py (the config against the new release, in Chromium).
set -euo pipefail
VERSION=3.16.3
INTEGRITY=sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw==
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "decap-cms@$VERSION" >/dev/null
got="sha512-$(openssl dgst -sha512 -binary "decap-cms-$VERSION.tgz" | base64 -w0)"
[[ $got == "$INTEGRITY" ]] || { echo "integrity mismatch: $got" >&2; exit 1; }
tar xzf "decap-cms-$VERSION.tgz"
cd package/dist
# The bundle, its lazily loaded chunks and WebAssembly, and its licences; not the source maps, not the
# second copy named cms.js.
cp "$here/LICENSE" LICENSE
printf 'decap-cms %s\n%s\n' "$VERSION" "$INTEGRITY" > VERSION
files=(VERSION LICENSE decap-cms.js decap-cms.js.LICENSE.txt ./*.decap-cms.js ./*.wasm)
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - "${files[@]}" | xz -9e > "$here/decap-cms.tar.xz"
ls -l "$here/decap-cms.tar.xz"
