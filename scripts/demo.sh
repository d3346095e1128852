#!/usr/bin/env bash
# scripts/demo.sh: builds Meridian, starts it on the embedded store, creates a demo zone through
# the Route 53 API with Meridian's own client, shows what DNS answers, and keeps serving until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA_DIR=${MERIDIAN_DATA_DIR:-./meridian-data}
DNS_ADDR=${MERIDIAN_DNS_ADDR:-127.0.0.1:8053}
API_ADDR=${MERIDIAN_API_ADDR:-127.0.0.1:8080}
export MERIDIAN_DATA_DIR=$DATA_DIR MERIDIAN_ENDPOINT=http://$API_ADDR

mkdir -p bin
go build -o bin/meridian ./cmd/meridian

bin/meridian serve --data-dir "$DATA_DIR" --dns-addr "$DNS_ADDR" --api-addr "$API_ADDR" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT INT TERM
for _ in $(seq 100); do
  curl -fsS "http://$API_ADDR/healthz" >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { echo "demo: meridian exited" >&2; exit 1; }
  sleep 0.1
done

if ! bin/meridian zone list | grep -q ' demo.example\.'; then
  bin/meridian zone create demo.example --comment "Meridian demo zone"
fi
cat > "$DATA_DIR/demo-change.json" <<'JSON'
{
  "Comment": "demo records",
  "Changes": [
    {"Action": "UPSERT", "ResourceRecordSet": {"Name": "www.demo.example", "Type": "A", "TTL": 60,
      "ResourceRecords": [{"Value": "192.0.2.10"}, {"Value": "192.0.2.11"}]}},
    {"Action": "UPSERT", "ResourceRecordSet": {"Name": "api.demo.example", "Type": "CNAME", "TTL": 300,
      "ResourceRecords": [{"Value": "www.demo.example"}]}},
    {"Action": "UPSERT", "ResourceRecordSet": {"Name": "*.apps.demo.example", "Type": "TXT", "TTL": 60,
      "ResourceRecords": [{"Value": "\"served by a wildcard\""}]}}
  ]
}
JSON
bin/meridian record change --zone demo.example --change-batch "file://$DATA_DIR/demo-change.json" --wait
bin/meridian record list --zone demo.example

host=${DNS_ADDR%:*} port=${DNS_ADDR##*:}
if command -v dig >/dev/null; then
  for q in "www.demo.example A" "api.demo.example A" "x.apps.demo.example TXT" "nope.demo.example A"; do
    echo "\$ dig @$host -p $port $q"
    dig @"$host" -p "$port" +norecurse +noall +answer +authority +comments $q | sed -n '/HEADER/p;/ANSWER SECTION/,$p'
  done
else
  echo "demo: install dig (bind9-dnsutils) to see the answers"
fi
echo
echo "Meridian is serving DNS on $DNS_ADDR and the Route 53 API on http://$API_ADDR (Ctrl-C stops it)."
echo "  AWS_SHARED_CREDENTIALS_FILE=$DATA_DIR/credentials AWS_DEFAULT_REGION=us-east-1 aws --endpoint-url http://$API_ADDR route53 list-hosted-zones"
wait $pid
