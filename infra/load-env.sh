#!/usr/bin/env bash
# Sourced by setup.sh and deploy.sh (from infra/): loads infra/env.sh and stops, with a sentence
# saying what to do, when a value would send the deployment somewhere wrong. A wrong project number
# used to fall back to 000000000000 silently, which builds Cloud Run URLs that do not exist (push
# subscriptions, webhook, OIDC audiences all pointing nowhere).
if [ ! -f ./env.sh ]; then
  echo "infra: infra/env.sh is missing: cp infra/env.example.sh infra/env.sh and edit it" >&2
  exit 1
fi
# shellcheck source=/dev/null
source ./env.sh
for _name in PROJECT_ID REGION SQL_INSTANCE DB_NAME; do
  if [ -z "${!_name:-}" ]; then
    echo "infra: $_name is empty: set it in infra/env.sh" >&2
    exit 1
  fi
done
unset _name
if ! [[ "${PROJECT_NUMBER:-}" =~ ^[0-9]+$ ]] || [[ "$PROJECT_NUMBER" =~ ^0+$ ]]; then
  echo "infra: PROJECT_NUMBER is '${PROJECT_NUMBER:-}', not the number of project $PROJECT_ID:" \
    "\`gcloud projects describe $PROJECT_ID\` must work (gcloud auth login; check PROJECT_ID)," \
    "or set PROJECT_NUMBER in infra/env.sh (Cloud console → project settings)" >&2
  exit 1
fi
