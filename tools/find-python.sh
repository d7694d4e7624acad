#!/usr/bin/env sh
# Prints the newest Python >= 3.12 that actually runs: plain names on PATH first, then pyenv's
# installed versions (whose shims fail until activated). Exits 1 with a message when none does.
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for name in python3.14 python3.13 python3.12 python3 python; do
  if command -v "$name" >/dev/null 2>&1 && ok "$name"; then command -v "$name"; exit 0; fi
done
root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for version in $(ls "$root/versions" 2>/dev/null | grep '^3\.[0-9]' | sort -Vr); do
  candidate="$root/versions/$version/bin/python3"
  if [ -x "$candidate" ] && ok "$candidate"; then
    echo "$candidate"; exit 0
  fi
done
echo "Headway needs Python 3.12 or newer (Django 6). Install one (python.org, your OS, or pyenv) and run make again." >&2
exit 1
