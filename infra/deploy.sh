#!/usr/bin/env bash
# Builds and deploys ONE component; the others keep running their current revision.
#   infra/deploy.sh webhook-ingress|bot-gateway|notifier   build image, replace that service
#   infra/deploy.sh cli                                   build the CLI image, replace the three jobs
#   infra/deploy.sh migrate                               execute telepay-migrate and wait
# The image tag is TAG (environment or env.sh), else the current git commit; an existing tag is
# deployed without rebuilding it (rollback: TAG=<older tag> infra/deploy.sh <component>).
# Release order when the schema changed: cli → migrate → the services (old code keeps working
# with the new schema: migrations are additive).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# env.sh, checked (a project number that cannot be read stops here, not in a broken deployment).
# shellcheck source=infra/load-env.sh
source ./load-env.sh
# The image tag: TAG from the environment or env.sh, else the current commit.
if [ -z "${TAG:-}" ]; then
  TAG=$(git rev-parse --short HEAD) || { echo "deploy.sh: TAG is empty and git cannot name the commit: set TAG" >&2; exit 1; }
fi
if ! [[ "$TAG" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then
  echo "deploy.sh: TAG '$TAG' is not a valid image tag (letters, digits, _ . -; at most 128)" >&2
  exit 1
fi
export TAG

# Only these ${VARS} are substituted; anything else in a manifest is left alone.
RENDER_VARS='${PROJECT_ID} ${REGION} ${SQL_INSTANCE} ${DB_NAME} ${TAG} ${TELEGRAM_BOT_USERNAME} ${NOWPAYMENTS_SANDBOX} ${SETTLEMENT} ${DIRECT_PAY_CURRENCIES} ${NOWPAYMENTS_IPN_ALLOWED_IPS} ${WEBHOOK_INGRESS_URL} ${BOT_GATEWAY_URL} ${NOTIFIER_URL} ${VPC_NETWORK} ${VPC_SUBNET}'
RENDERED=$(mktemp -d)
trap 'rm -rf "$RENDERED"' EXIT
# Writes the rendered manifest to a temp file and prints its path (gcloud … replace wants a file).
render() {
  envsubst "$RENDER_VARS" <"cloudrun/$1" >"$RENDERED/$1"
  echo "$RENDERED/$1"
}

# A tag names one build: one that exists is deployed as it is (a rollback to TAG=<older tag> must
# not rebuild today's code under yesterday's name), a new one is built from this checkout.
build() {
  local image="${REGION}-docker.pkg.dev/${PROJECT_ID}/telepay/$1:${TAG}"
  if gcloud artifacts docker images describe "$image" --project "$PROJECT_ID" >/dev/null 2>&1; then
    echo "deploy.sh: $image exists; deploying it without a build" >&2
    return
  fi
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
    for job in migrate sweep relay reconcile; do
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
