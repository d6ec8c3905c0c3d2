#!/usr/bin/env bash
# One-time (idempotent: safe to re-run) Google Cloud set-up for TelePay. Creates everything the
# services need except the services themselves (infra/deploy.sh deploys each one independently):
# APIs, Artifact Registry, service accounts + least-privilege IAM, Cloud SQL IAM users, secrets,
# Pub/Sub topics + dead-letter topics + OIDC push subscriptions, Cloud Scheduler jobs, and finally
# the Telegram webhook check. See infra/README.md for the sequence.
#
# Secret values are read once from the environment when a secret has no version yet:
#   TELEGRAM_BOT_TOKEN, NOWPAYMENTS_API_KEY, NOWPAYMENTS_IPN_SECRET, NOWPAYMENTS_EMAIL and
#   NOWPAYMENTS_PASSWORD (the dashboard login reconciliation needs) (required on first run);
#   TELEGRAM_WEBHOOK_SECRET, WEBHOOK_SIGNING_SECRET (generated when unset).
# They are passed to gcloud on stdin (never on a command line) and without a trailing newline.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# env.sh, checked (a project number that cannot be read stops here, not in a broken deployment).
# shellcheck source=infra/load-env.sh
source ./load-env.sh

# --- the model (tooling/package/infra.test.ts checks these lists against the code) ----------------
# Every topic in packages/events/src/topics.ts TOPICS.
TOPICS=(payment.confirmed payment.updated channel.publish_requested subscription.changed broadcast.requested)
# bot-gateway's ALLOWED_UPDATES (it sets the webhook itself at start-up with the same list).
ALLOWED_UPDATES='["message","callback_query","chat_join_request","chat_member","my_chat_member","pre_checkout_query"]'
SERVICE_ACCOUNTS=(telepay-ingress telepay-bot telepay-notifier telepay-jobs telepay-pubsub-push telepay-scheduler)
# Identities that connect to Cloud SQL (IAM database authentication; no passwords anywhere).
DB_IDENTITIES=(telepay-ingress telepay-bot telepay-notifier telepay-jobs)
# Identities whose outbox relay publishes events (notifier also copies poison to <topic>.dlq).
PUBLISHERS=(telepay-ingress telepay-bot telepay-notifier)
# secret:reader,reader — each identity reads only the secrets it uses.
SECRETS=(
  "telepay-telegram-bot-token:telepay-bot,telepay-notifier"
  "telepay-telegram-webhook-secret:telepay-bot"
  "telepay-nowpayments-api-key:telepay-bot,telepay-jobs"
  "telepay-nowpayments-email:telepay-jobs"
  "telepay-nowpayments-password:telepay-jobs"
  "telepay-nowpayments-ipn-secret:telepay-ingress"
  "telepay-webhook-signing-secret:telepay-notifier,telepay-jobs"
)
SWEEP_SCHEDULE="*/5 * * * *"
RELAY_SCHEDULE="* * * * *"
RECONCILE_SCHEDULE="*/5 * * * *"
MAX_DELIVERY_ATTEMPTS=5
# ---------------------------------------------------------------------------------------------------

G=(--project "$PROJECT_ID" --quiet)
sa() { echo "$1@${PROJECT_ID}.iam.gserviceaccount.com"; }
PUBSUB_AGENT="service-${PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com"
log() { printf '\n== %s\n' "$*"; }
exists() { "$@" >/dev/null 2>&1; }

log "APIs"
gcloud services enable "${G[@]}" run.googleapis.com sqladmin.googleapis.com pubsub.googleapis.com \
  secretmanager.googleapis.com cloudscheduler.googleapis.com artifactregistry.googleapis.com \
  cloudbuild.googleapis.com iamcredentials.googleapis.com compute.googleapis.com

log "Artifact Registry repository 'telepay'"
exists gcloud artifacts repositories describe telepay "${G[@]}" --location "$REGION" ||
  gcloud artifacts repositories create telepay "${G[@]}" --location "$REGION" --repository-format docker

log "service accounts"
for name in "${SERVICE_ACCOUNTS[@]}"; do
  exists gcloud iam service-accounts describe "$(sa "$name")" "${G[@]}" ||
    gcloud iam service-accounts create "$name" "${G[@]}" --display-name "TelePay $name"
done

log "Cloud SQL: IAM database users"
for name in "${DB_IDENTITIES[@]}"; do
  for role in roles/cloudsql.client roles/cloudsql.instanceUser; do
    gcloud projects add-iam-policy-binding "$PROJECT_ID" --quiet --condition=None \
      --member "serviceAccount:$(sa "$name")" --role "$role" >/dev/null
  done
  # IAM users are named after the service account without ".gserviceaccount.com".
  exists gcloud sql users describe "$name@${PROJECT_ID}.iam" "${G[@]}" --instance "$SQL_INSTANCE" ||
    gcloud sql users create "$name@${PROJECT_ID}.iam" "${G[@]}" --instance "$SQL_INSTANCE" --type cloud_iam_service_account
done
exists gcloud sql databases describe "$DB_NAME" "${G[@]}" --instance "$SQL_INSTANCE" ||
  gcloud sql databases create "$DB_NAME" "${G[@]}" --instance "$SQL_INSTANCE"
echo "Database grants are SQL, not IAM: run infra/grants.sql once as postgres (infra/README.md § Database)."

log "secrets"
secret_value() {
  case "$1" in
    telepay-telegram-bot-token) printf %s "${TELEGRAM_BOT_TOKEN:-}" ;;
    telepay-nowpayments-api-key) printf %s "${NOWPAYMENTS_API_KEY:-}" ;;
    telepay-nowpayments-ipn-secret) printf %s "${NOWPAYMENTS_IPN_SECRET:-}" ;;
    telepay-nowpayments-email) printf %s "${NOWPAYMENTS_EMAIL:-}" ;;
    telepay-nowpayments-password) printf %s "${NOWPAYMENTS_PASSWORD:-}" ;;
    # Telegram allows A-Z a-z 0-9 _ - in secret_token: hex qualifies.
    telepay-telegram-webhook-secret) printf %s "${TELEGRAM_WEBHOOK_SECRET:-$(openssl rand -hex 32)}" ;;
    telepay-webhook-signing-secret) printf %s "${WEBHOOK_SIGNING_SECRET:-$(openssl rand -hex 32)}" ;;
  esac
}
for entry in "${SECRETS[@]}"; do
  secret=${entry%%:*}
  readers=${entry#*:}
  exists gcloud secrets describe "$secret" "${G[@]}" ||
    gcloud secrets create "$secret" "${G[@]}" --replication-policy automatic
  if ! exists gcloud secrets versions access latest --secret "$secret" "${G[@]}"; then
    value=$(secret_value "$secret")
    if [ -z "$value" ]; then
      echo "setup.sh: $secret has no version: set its value in the environment and re-run" >&2
      exit 1
    fi
    printf %s "$value" | gcloud secrets versions add "$secret" "${G[@]}" --data-file=- >/dev/null
  fi
  for reader in ${readers//,/ }; do
    gcloud secrets add-iam-policy-binding "$secret" "${G[@]}" --condition=None \
      --member "serviceAccount:$(sa "$reader")" --role roles/secretmanager.secretAccessor >/dev/null
  done
done

log "Pub/Sub: topics, dead-letter topics, push subscriptions to the notifier"
# Pub/Sub signs push requests with telepay-pubsub-push's OIDC token (audience = the push URL).
gcloud iam service-accounts add-iam-policy-binding "$(sa telepay-pubsub-push)" "${G[@]}" \
  --member "serviceAccount:$PUBSUB_AGENT" --role roles/iam.serviceAccountTokenCreator >/dev/null
for topic in "${TOPICS[@]}"; do
  dlq="$topic.dlq"
  for t in "$topic" "$dlq"; do
    exists gcloud pubsub topics describe "$t" "${G[@]}" || gcloud pubsub topics create "$t" "${G[@]}"
    for publisher in "${PUBLISHERS[@]}"; do
      gcloud pubsub topics add-iam-policy-binding "$t" "${G[@]}" \
        --member "serviceAccount:$(sa "$publisher")" --role roles/pubsub.publisher >/dev/null
    done
  done
  # Pub/Sub itself forwards exhausted messages to the dead-letter topic.
  gcloud pubsub topics add-iam-policy-binding "$dlq" "${G[@]}" \
    --member "serviceAccount:$PUBSUB_AGENT" --role roles/pubsub.publisher >/dev/null
  # A dead-letter topic needs a subscription, or Pub/Sub drops what lands there (same id, as the bus expects).
  exists gcloud pubsub subscriptions describe "$dlq" "${G[@]}" ||
    gcloud pubsub subscriptions create "$dlq" "${G[@]}" --topic "$dlq" \
      --message-retention-duration 7d --expiration-period never
  sub="notifier.$topic"
  push_args=(--push-endpoint "$NOTIFIER_URL/pubsub/push"
    --push-auth-service-account "$(sa telepay-pubsub-push)"
    --push-auth-token-audience "$NOTIFIER_URL/pubsub/push"
    --dead-letter-topic "$dlq" --max-delivery-attempts "$MAX_DELIVERY_ATTEMPTS"
    --min-retry-delay 10s --max-retry-delay 600s --ack-deadline 60)
  if exists gcloud pubsub subscriptions describe "$sub" "${G[@]}"; then
    gcloud pubsub subscriptions update "$sub" "${G[@]}" "${push_args[@]}" >/dev/null
    # Ordering cannot be changed on an existing subscription; the notifier works either way.
    if [ -n "$(gcloud pubsub subscriptions describe "$sub" "${G[@]}" --format 'value(enableMessageOrdering)')" ]; then
      echo "note: $sub has message ordering (created by an older setup.sh); new ones are unordered." \
        "To drop it, delete and re-run once it is drained (docs/decisions/pubsub-emulator-restart.md)." >&2
    fi
  else
    # No message ordering: consumers re-read the database, so no event depends on an earlier one being
    # handled first, and an unordered subscription never holds later events of a key behind a failing
    # one. Publishers still set ordering keys; they are harmless here.
    gcloud pubsub subscriptions create "$sub" "${G[@]}" --topic "$topic" \
      --expiration-period never "${push_args[@]}"
  fi
  gcloud pubsub subscriptions add-iam-policy-binding "$sub" "${G[@]}" \
    --member "serviceAccount:$PUBSUB_AGENT" --role roles/pubsub.subscriber >/dev/null
done

log "Cloud Run invokers (applied once the services/jobs exist; re-run after the first deploy)"
if exists gcloud run services describe telepay-notifier "${G[@]}" --region "$REGION"; then
  for invoker in telepay-pubsub-push telepay-jobs; do
    gcloud run services add-iam-policy-binding telepay-notifier "${G[@]}" --region "$REGION" \
      --member "serviceAccount:$(sa "$invoker")" --role roles/run.invoker >/dev/null
  done
fi
for public in telepay-webhook-ingress telepay-bot-gateway; do
  # NOWPayments and Telegram cannot authenticate to Cloud Run: the apps check signatures instead.
  if exists gcloud run services describe "$public" "${G[@]}" --region "$REGION"; then
    gcloud run services add-iam-policy-binding "$public" "${G[@]}" --region "$REGION" \
      --member allUsers --role roles/run.invoker >/dev/null
  fi
done

log "VPC subnet $VPC_SUBNET: Private Google Access (the sweep/relay jobs reach the notifier from it)"
# The jobs send all traffic into the VPC (Direct VPC egress), so the notifier sees their VPC
# address, which its ALLOWED_IPS admits on /jobs/*; Private Google Access carries it to *.run.app.
gcloud compute networks subnets update "$VPC_SUBNET" "${G[@]}" --region "$REGION" \
  --enable-private-ip-google-access >/dev/null

log "Cloud Scheduler: executions of the telepay-sweep, telepay-relay and telepay-reconcile jobs"
# Scheduler cannot compute a per-request HMAC, so it starts a Cloud Run job whose CLI signs the
# POST /jobs/sweep|relay (method, path and body) with WEBHOOK_SIGNING_SECRET and adds the jobs
# identity's ID token.
schedule_job() {
  local job=$1 schedule=$2
  local uri="https://run.googleapis.com/v2/projects/${PROJECT_ID}/locations/${REGION}/jobs/${job}:run"
  if exists gcloud run jobs describe "$job" "${G[@]}" --region "$REGION"; then
    gcloud run jobs add-iam-policy-binding "$job" "${G[@]}" --region "$REGION" \
      --member "serviceAccount:$(sa telepay-scheduler)" --role roles/run.invoker >/dev/null
  fi
  local args=(--location "$REGION" --schedule "$schedule" --time-zone Etc/UTC --uri "$uri"
    --http-method POST --oauth-service-account-email "$(sa telepay-scheduler)")
  if exists gcloud scheduler jobs describe "$job" "${G[@]}" --location "$REGION"; then
    gcloud scheduler jobs update http "$job" "${G[@]}" "${args[@]}" >/dev/null
  else
    gcloud scheduler jobs create http "$job" "${G[@]}" "${args[@]}"
  fi
}
schedule_job telepay-sweep "$SWEEP_SCHEDULE"
schedule_job telepay-relay "$RELAY_SCHEDULE"
# Lost IPNs: asks NOWPayments about open orders (docs/decisions/reconciliation.md).
schedule_job telepay-reconcile "$RECONCILE_SCHEDULE"

log "Telegram webhook"
# bot-gateway calls setWebhook itself at every start; this makes it true before the first start
# and prints what Telegram has. The token goes to curl on stdin, never on a command line.
telegram() {
  local method=$1 body=$2 token
  token=$(gcloud secrets versions access latest --secret telepay-telegram-bot-token "${G[@]}")
  printf 'url = "https://api.telegram.org/bot%s/%s"\n' "$token" "$method" |
    curl -sS --fail-with-body -K - -H 'content-type: application/json' -d "$body"
  echo
}
webhook_secret=$(gcloud secrets versions access latest --secret telepay-telegram-webhook-secret "${G[@]}")
telegram setWebhook "{\"url\":\"$BOT_GATEWAY_URL/telegram/webhook\",\"secret_token\":\"$webhook_secret\",\"allowed_updates\":$ALLOWED_UPDATES}" >/dev/null
unset webhook_secret
telegram getWebhookInfo '{}'
log "done"
