#!/usr/bin/env bash
# Builds and deploys ONE component; the others keep running their current revision.
#   infra/deploy.sh webhook-ingress|bot-gateway|notifier   build image, replace that service
#   infra/deploy.sh cli                                   build the CLI image, replace the three jobs
#   infra/deploy.sh migrate                               execute telepay-migrate and wait
# Release order when the schema changed: cli → migrate → the services (old code keeps working
# with the new schema: migrations are additive).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=/dev/null
source ./env.sh
export TAG=${TAG_OVERRIDE:-$(git rev-parse --short HEAD)}

# Only these ${VARS} are substituted; anything else in a manifest is left alone.
RENDER_VARS='${PROJECT_ID} ${REGION} ${SQL_INSTANCE} ${DB_NAME} ${TAG} ${TELEGRAM_BOT_USERNAME} ${NOWPAYMENTS_SANDBOX} ${NOWPAYMENTS_IPN_ALLOWED_IPS} ${WEBHOOK_INGRESS_URL} ${BOT_GATEWAY_URL} ${NOTIFIER_URL} ${VPC_NETWORK} ${VPC_SUBNET}'
RENDERED=$(mktemp -d)
trap 'rm -rf "$RENDERED"' EXIT
# Writes the rendered manifest to a temp file and prints its path (gcloud … replace wants a file).
render() {
  envsubst "$RENDER_VARS" <"cloudrun/$1" >"$RENDERED/$1"
  echo "$RENDERED/$1"
}

build() {
  gcloud builds submit .. --project "$PROJECT_ID" --config cloudbuild.yaml \
    --substitutions="_APP=$1,_TAG=$TAG,_REGION=$REGION"
}

component=${1:?usage: deploy.sh <webhook-ingress|bot-gateway|notifier|cli|migrate>}
case "$component" in
  webhook-ingress | bot-gateway | notifier)
    build "$component"
    gcloud run services replace "$(render "$component.yaml")" --project "$PROJECT_ID" --region "$REGION"
    ;;
  cli)
    build cli
    for job in migrate sweep relay; do
      gcloud run jobs replace "$(render "$job-job.yaml")" --project "$PROJECT_ID" --region "$REGION"
    done
    ;;
  migrate)
    gcloud run jobs execute telepay-migrate --project "$PROJECT_ID" --region "$REGION" --wait
    ;;
  *)
    echo "deploy.sh: unknown component '$component'" >&2
    exit 2
    ;;
esac
