#!/bin/sh
# web: migrate, then gunicorn with several workers; scheduler: the timer scheduler only.
set -e
case "$1" in
  web)
    licensing db upgrade --database-url "$LICENSING_DATABASE_URL"
    exec gunicorn --workers "${WEB_WORKERS:-4}" --bind 0.0.0.0:8000 --access-logfile - \
         --timeout 60 "web.wsgi:app"
    ;;
  scheduler)
    exec licensing scheduler --database-url "$LICENSING_DATABASE_URL"
    ;;
  *)
    exec "$@"
    ;;
esac
