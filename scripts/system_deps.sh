#!/usr/bin/env bash
# Debian packages the project needs: gettext (compilemessages), Pango for WeasyPrint,
# poppler-utils (reading PDFs back in tests), Chromium for browser tests, fonts, curl, wrk.
# Installs only what is missing; needs root (CI runs as root) or prints what to install.
set -euo pipefail
need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v curl >/dev/null 2>&1 || need+=(curl)  # CI's smokes, `make serve` checks
command -v wrk >/dev/null 2>&1 || need+=(wrk)  # the load benchmark (bench/bench_load.py)
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi "DejaVu Sans" || need+=(fonts-dejavu-core)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
    echo "Please install: sudo apt-get install -y ${need[*]}" >&2
    exit 0
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
