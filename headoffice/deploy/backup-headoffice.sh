#!/bin/sh
# Nightly backup of the head-office PostgreSQL database (run from cron or a systemd timer as the
# `lianxin` user). Keeps 30 days. The dump holds the tills' keys: store it encrypted or offline.
#   crontab: 30 2 * * *  /opt/lianxin/headoffice/deploy/backup-headoffice.sh
# Restore:  createdb lianxin && pg_restore --dbname=lianxin --no-owner /var/backups/lianxin/ho-YYYYMMDD.dump
# After restoring an older backup the tills resend what head office lost (it answers `gap`).
set -eu
DB="${HEADOFFICE_PGDATABASE:-lianxin}"
DIR="${HEADOFFICE_BACKUP_DIR:-/var/backups/lianxin}"
mkdir -p "$DIR"
stamp=$(date +%Y%m%d-%H%M)
pg_dump --format=custom --file="$DIR/ho-$stamp.dump.tmp" "$DB"
mv "$DIR/ho-$stamp.dump.tmp" "$DIR/ho-$stamp.dump"
find "$DIR" -name 'ho-*.dump' -mtime +30 -delete
echo "backup written: $DIR/ho-$stamp.dump"
