#!/bin/sh
# The image's commands. The e2e test e2e/image.spec.ts runs this same script against a tree laid out as
# the image is, so what production starts is what the tests start.
set -eu
command="${1:-web}"
case "$command" in
  web) exec node server.js ;;
  worker) exec node dist/worker.mjs ;;
  migrate) exec node dist/migrate.mjs ;;
  *)
    echo "usage: stylist web | worker | migrate" >&2
    exit 64
    ;;
esac
