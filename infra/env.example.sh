# Copy to infra/env.sh and edit. Sourced by setup.sh and deploy.sh; holds no secrets
# (those are read from the environment once by setup.sh and live in Secret Manager).
export PROJECT_ID=my-telepay-project
export REGION=europe-west1
# Existing Cloud SQL for PostgreSQL instance (15+), with the cloudsql.iam_authentication flag on.
export SQL_INSTANCE=telepay-pg
export DB_NAME=telepay
# Image tag to deploy. Empty = the current git commit. deploy.sh builds a tag only once: a tag that
# already exists in Artifact Registry is deployed as it is, which is how a rollback works
# (TAG=<older tag> infra/deploy.sh <component>; see infra/README.md § Rollback).
export TAG=${TAG:-}
export TELEGRAM_BOT_USERNAME=my_telepay_bot
export NOWPAYMENTS_SANDBOX=false
# How owners are paid (docs/settlement.md): operator (the default: the operator collects and pays
# owners from the ledger) or direct (each payment settles straight to the owner's wallet; the bot's
# in-chat checkout offers DIRECT_PAY_CURRENCIES). Empty = the default.
export SETTLEMENT=""
export DIRECT_PAY_CURRENCIES=""
# NOWPayments IPN source addresses (ask their support; they change). Empty = any address
# (signatures are still checked; a warning is logged at start-up).
export NOWPAYMENTS_IPN_ALLOWED_IPS=""
# The VPC network and subnet (in REGION) the sweep/relay jobs send from, by Direct VPC egress:
# the notifier's /jobs/* only answer ALLOWED_IPS (10.0.0.0/8 in cloudrun/notifier.yaml), and the
# auto-mode "default" network's subnets lie in it. setup.sh enables Private Google Access on it.
export VPC_NETWORK=default
export VPC_SUBNET=default
# Cloud Run URLs are deterministic: https://<service>-<project number>.<region>.run.app
# Read from gcloud when unset; setup.sh and deploy.sh stop if it cannot be (infra/load-env.sh).
if [ -z "${PROJECT_NUMBER:-}" ]; then
  PROJECT_NUMBER=$(gcloud projects describe "$PROJECT_ID" --format='value(projectNumber)') || PROJECT_NUMBER=""
fi
export PROJECT_NUMBER
export WEBHOOK_INGRESS_URL=https://telepay-webhook-ingress-${PROJECT_NUMBER}.${REGION}.run.app
export BOT_GATEWAY_URL=https://telepay-bot-gateway-${PROJECT_NUMBER}.${REGION}.run.app
export NOTIFIER_URL=https://telepay-notifier-${PROJECT_NUMBER}.${REGION}.run.app
