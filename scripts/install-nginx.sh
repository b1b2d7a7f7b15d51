#!/usr/bin/env bash
# Installs nginx from Debian when missing (for scripts/deploy-check.sh). The package's
# own service is not used: the check runs its own instance on free high ports.
set -euo pipefail
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo "==> installing nginx from Debian" >&2
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends nginx
fi
