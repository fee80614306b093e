#!/bin/sh
# Start the Veelocity backend in its container: wait for the database, apply the
# migrations, then serve with uvicorn. Never with --reload (that is docker-compose.yml's).
#
# Given arguments, it runs them instead, e.g.
#   docker compose exec backend veelocity user create --admin you@example.com
set -eu

if [ "$#" -gt 0 ]; then
    exec "$@"
fi

# Workers: WEB_CONCURRENCY, else one per CPU up to 4 (each worker keeps its own pool of
# database connections, and PostgreSQL allows 100 by default).
if [ -z "${WEB_CONCURRENCY:-}" ]; then
    cpus=$(nproc 2>/dev/null || echo 1)
    if [ "$cpus" -gt 4 ]; then cpus=4; fi
    WEB_CONCURRENCY=$cpus
fi
export WEB_CONCURRENCY

# Waits up to 60 s for PostgreSQL, then migrates under a lock: replicas starting together
# take turns, and every one starts on the same, current schema.
veelocity migrate --wait 60

exec uvicorn --factory veelocity.app:create_app_from_env \
    --host "${VEELOCITY_HOST:-0.0.0.0}" \
    --port "${VEELOCITY_PORT:-8000}" \
    --workers "$WEB_CONCURRENCY" \
    --proxy-headers \
    --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
    --no-server-header \
    --no-access-log
