#!/usr/bin/env bash
# Package, ship, schedule and smoke-test Ship Captain Crew in one command (SPEC section 6).
# Every AWS call goes through the AWS CLI and is printed before it is made; --dry-run prints and
# makes none. Settings, first-time setup, rollback and the IAM policy: docs/operations.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'EOF'
Usage: scripts/deploy.sh [--dry-run] [--create] [--function NAME] [--stage NAME]
                         [--env-file FILE] [--skip-smoke]
       scripts/deploy.sh --rollback VERSION [--function NAME] [--stage NAME] [--dry-run]
       scripts/deploy.sh --destroy [--yes] [--purge-data] [--function NAME] [--stage NAME] [--dry-run]

Package and deploy Ship Captain Crew to AWS Lambda, in six steps:
  1. compile every module; stop at the first syntax error, with its file and line
  2. build dist/lambda.zip reproducibly, print its size and SHA-256 (refused over 10 MB)
  3. update the function's code and configuration and publish a version
     (--create: the signing secret, the SES identity, the HTTP API, the CloudFront distribution,
     the function and its execution role when missing, the SES configuration set whose delivery
     events reach the function through an SNS topic, and the failed-run alarm)
  4. upload frontend/ under a per-version prefix, remove stale files, invalidate index.html
  5. create or update the EventBridge Scheduler schedules (reports, push-to-book) with their
     time zone, a retry policy and a dead-letter queue
  6. smoke test: invoke the new version with {"action": "send_reports", "dry_run": true};
     the alias moves to the new version only if every report renders

Options:
  --dry-run           print every AWS call instead of making it (the zip is still built)
  --create            first deploy: from an empty account to a working dashboard; creates what is
                      missing (found again by name, so safe to repeat) and refreshes the policies
  --destroy           remove what --create made (asks first); keeps the tables and the archive
  --yes               with --destroy: do not ask
  --purge-data        with --destroy: remove the tables and the archive bucket too
  --function NAME     the Lambda function (default: FUNCTION_NAME in repos.env, else shipcaptaincrew)
  --stage NAME        the alias that is published and scheduled (default: live)
  --env-file FILE     the settings file (default: repos.env at the repository root);
                      variables in the environment win over the file
  --skip-smoke        skip step 6 and move the alias at once (only for a Lambda stand-in that
                      cannot run Python, such as moto without Docker); the deploy is not verified
  --rollback VERSION  point the alias back at an earlier published version, and do nothing else
  -h, --help          show this help

Honors AWS_REGION, AWS_ENDPOINT_URL and the usual AWS credential variables.
EOF
}

DRY_RUN=0
CREATE=0
SKIP_SMOKE=0
DESTROY=0
YES=0
PURGE_DATA=0
ROLLBACK=""
CONFIG_ARGS=()
ENV_FILE="$ROOT/repos.env"
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --create) CREATE=1 ;;
    --skip-smoke) SKIP_SMOKE=1 ;;
    --destroy) DESTROY=1 ;;
    --yes) YES=1 ;;
    --purge-data) PURGE_DATA=1 ;;
    --function | --stage | --env-file | --rollback)
      [ $# -ge 2 ] || { echo "deploy: $1 needs a value (see --help)" >&2; exit 2; }
      case "$1" in
        --function) CONFIG_ARGS+=(--function "$2") ;;
        --stage) CONFIG_ARGS+=(--stage "$2") ;;
        --env-file) ENV_FILE="$2" ;;
        --rollback) ROLLBACK="$2" ;;
      esac
      shift
      ;;
    -h | --help) usage; exit 0 ;;
    *) echo "deploy: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

exec 3>&1 # progress and printed calls go to the terminal even from inside $(...)
say() { printf '%s\n' "$*" >&3; }
die() {
  printf 'deploy: error: %s\n' "$*" >&2
  exit 1
}

STEP="settings"
WORK="$(mktemp -d)"
finish() {
  local status=$?
  rm -rf "$WORK"
  if [ "$status" -ne 0 ]; then
    printf 'deploy: FAILED during %s (exit %s); see the messages above\n' "$STEP" "$status" >&2
  fi
}
trap finish EXIT
step() {
  STEP="step $1 ($2)"
  say ""
  say "==> [$1/6] $2"
}

PYTHON="${DEPLOY_PYTHON:-}"
if [ -z "$PYTHON" ]; then
  if [ -x "$ROOT/.venv/bin/python" ]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi
AWS_CLI="${DEPLOY_AWS_CLI:-}"
if [ -z "$AWS_CLI" ]; then
  if [ -x "$ROOT/.venv/bin/aws" ]; then
    AWS_CLI="$ROOT/.venv/bin/aws"
  elif command -v aws >/dev/null; then
    AWS_CLI=aws
  elif [ "$DRY_RUN" = 0 ]; then
    die "no AWS CLI found: run 'make' (it installs awscli into .venv) or set DEPLOY_AWS_CLI"
  fi
fi
# The CLI is told the endpoint outright: some of its services (SQS) ignore AWS_ENDPOINT_URL.
AWS=("${AWS_CLI:-aws}")
[ -z "${AWS_ENDPOINT_URL:-}" ] || AWS+=(--endpoint-url "$AWS_ENDPOINT_URL")
ZIP="${DEPLOY_ZIP:-dist/lambda.zip}"
FRONTEND="${DEPLOY_FRONTEND:-frontend}" # the dashboard's files (the tests point it at a copy)
if [ ! -f "$ENV_FILE" ]; then
  [ "$ENV_FILE" = "$ROOT/repos.env" ] || die "--env-file $ENV_FILE: no such file"
  ENV_FILE=/dev/null # no repos.env: the environment and the defaults only
fi
CONFIG_ARGS+=(--env-file "$ENV_FILE")
cd "$ROOT" # paths below are the repository's; `python -m scripts.deploy` is found from here

# --- printing and making AWS calls ----------------------------------------------------------
quote() {
  local safe='^[A-Za-z0-9_@%+=:,./-]+$' escaped="'\\''"
  if [[ $1 =~ $safe ]]; then printf '%s' "$1"; else printf "'%s'" "${1//\'/$escaped}"; fi
}
print_call() {
  local line="  aws" arg
  for arg in "$@"; do line+=" $(quote "$arg")"; done
  say "$line"
}
aws_do() { # aws_do ARGS...: make a call whose answer is not needed
  print_call "$@"
  [ "$DRY_RUN" = 1 ] || "${AWS[@]}" "$@" </dev/null >/dev/null
}
aws_value() { # aws_value PLACEHOLDER ARGS...: make a call and keep its text answer in VALUE
  local placeholder=$1
  shift
  print_call "$@"
  if [ "$DRY_RUN" = 1 ]; then VALUE=$placeholder; else VALUE=$("${AWS[@]}" "$@" </dev/null); fi
}
aws_read() { # aws_read PLACEHOLDER ARGS...: 0 and VALUE if the thing exists, 1 if it is missing
  local placeholder=$1
  shift
  print_call "$@"
  VALUE=$placeholder
  if [ "$DRY_RUN" = 1 ]; then [ "$CREATE" = 0 ]; return; fi # a dry --create assumes a new account
  if VALUE=$("${AWS[@]}" "$@" </dev/null 2>"$WORK/stderr"); then return 0; fi
  VALUE=""
  if grep -qE 'NotFound|NoSuchEntity|NoSuchBucket|DoesNotExist|\(404\)' "$WORK/stderr"; then return 1; fi
  cat "$WORK/stderr" >&2
  if grep -qE 'AccessDenied|Forbidden|\(403\)' "$WORK/stderr"; then
    die "aws $1 $2 was refused: the deployer lacks a permission (docs/operations.md), or the name belongs to another account"
  fi
  die "aws $1 $2 failed: check the credentials, AWS_REGION and AWS_ENDPOINT_URL"
}
retrying() { # retrying ARGS...: aws_do, tried again for a while after this run created a role
  local attempt
  for attempt in 1 2 3 4 5 6 7 8; do
    if aws_do "$@"; then return 0; fi
    if [ "$ROLE_CREATED" = 0 ] || [ "$attempt" = 8 ]; then return 1; fi
    # IAM is eventually consistent: a new role takes a few seconds to be usable by other services.
    say "  the new role is not usable yet; trying again in 5 seconds"
    sleep 5
  done
}
ensure_role() { # ensure_role NAME SERVICE POLICY_FILE: create the role if missing; set its policy
  local name=$1 service=$2 policy=$3 trust="$WORK/trust-$2.json"
  printf '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "%s"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "%s"}}}]}\n' \
    "$service" "$ACCOUNT" >"$trust"
  if aws_read "" iam get-role --role-name "$name" --query Role.Arn --output text; then
    say "  role $name exists"
  else
    aws_do iam create-role --role-name "$name" --assume-role-policy-document "file://$trust" \
      --description "Ship Captain Crew ($service)"
    ROLE_CREATED=1
  fi
  aws_do iam put-role-policy --role-name "$name" --policy-name "$name" --policy-document "file://$policy"
}

configuration_set() { # the SES configuration set the Lambda sends through: made by --create
  if aws_read "" ses describe-configuration-set --configuration-set-name "$SES_CONFIGURATION_SET" \
    --query ConfigurationSet.Name --output text; then
    say "  SES configuration set $SES_CONFIGURATION_SET exists"
  elif [ "$CREATE" = 1 ]; then
    aws_do ses create-configuration-set --configuration-set "Name=$SES_CONFIGURATION_SET"
  else
    die "SES configuration set $SES_CONFIGURATION_SET not found, and the Lambda sends through it: run scripts/deploy.sh --create once (it makes the set, its SNS topic and subscription), or set SES_CONFIGURATION_SET to one that exists"
  fi
}
delivery_events() { # SES -> SNS topic -> the alias: each report's Delivery/Bounce/Complaint/Reject
  local alias_arn="arn:aws:lambda:$REGION:$ACCOUNT:function:$FUNCTION_NAME:$STAGE" wanted
  aws_value "arn:aws:sns:$REGION:$ACCOUNT:$SES_EVENTS_TOPIC" sns create-topic --name "$SES_EVENTS_TOPIC" \
    --query TopicArn --output text # returns the existing topic when it has this name
  local topic_arn=$VALUE
  "$PYTHON" -m scripts.deploy topic-policy "${CONFIG_ARGS[@]}" --account "$ACCOUNT" "$topic_arn" "$WORK/topic-policy.json"
  aws_do sns set-topic-attributes --topic-arn "$topic_arn" --attribute-name Policy \
    --attribute-value "file://$WORK/topic-policy.json"
  "$PYTHON" -m scripts.deploy event-destination "${CONFIG_ARGS[@]}" "$topic_arn" "$WORK/event-destination.json"
  aws_value "None" ses describe-configuration-set --configuration-set-name "$SES_CONFIGURATION_SET" \
    --configuration-set-attribute-names eventDestinations --output text \
    --query "EventDestinations[?Name=='$SES_EVENT_DESTINATION'] | [0].[SNSDestination.TopicARN, join(',', sort(MatchingEventTypes))]"
  wanted="$topic_arn"$'\t'"$SES_EVENT_TYPES"
  if [ "$VALUE" = "$wanted" ]; then
    say "  event destination $SES_EVENT_DESTINATION exists ($SES_EVENT_TYPES -> $SES_EVENTS_TOPIC)"
  elif [ -z "$VALUE" ] || [ "$VALUE" = None ]; then
    aws_do ses create-configuration-set-event-destination --configuration-set-name "$SES_CONFIGURATION_SET" \
      --event-destination "file://$WORK/event-destination.json"
  else
    aws_do ses update-configuration-set-event-destination --configuration-set-name "$SES_CONFIGURATION_SET" \
      --event-destination "file://$WORK/event-destination.json"
  fi
  aws_value "" sns list-subscriptions-by-topic --topic-arn "$topic_arn" --output text \
    --query "Subscriptions[?Endpoint=='$alias_arn'] | [0].SubscriptionArn"
  if [ -n "$VALUE" ] && [ "$VALUE" != None ]; then
    say "  $FUNCTION_NAME:$STAGE is subscribed to $SES_EVENTS_TOPIC"
  else
    aws_do sns subscribe --topic-arn "$topic_arn" --protocol lambda --notification-endpoint "$alias_arn"
  fi
  if aws_read "" lambda get-policy --function-name "$FUNCTION_NAME" --qualifier "$STAGE" --query Policy \
    --output text && [[ $VALUE == *"\"$SNS_PERMISSION_ID\""* ]]; then
    say "  $SES_EVENTS_TOPIC may invoke $FUNCTION_NAME:$STAGE"
  else
    retrying lambda add-permission --function-name "$FUNCTION_NAME" --qualifier "$STAGE" \
      --statement-id "$SNS_PERMISSION_ID" --action lambda:InvokeFunction --principal sns.amazonaws.com \
      --source-arn "$topic_arn"
  fi
  say "SES configuration set $SES_CONFIGURATION_SET: $SES_EVENT_TYPES -> SNS $SES_EVENTS_TOPIC -> $FUNCTION_NAME:$STAGE"
}

# shellcheck source=deploy/create.sh
. "$ROOT/scripts/deploy/create.sh" # what --create makes besides the function, and --destroy

# --- settings ------------------------------------------------------------------------------
SETTINGS="$("$PYTHON" -m scripts.deploy shell "${CONFIG_ARGS[@]}")" || exit 2
eval "$SETTINGS" # shell-quoted NAME=value lines, one per deploy setting
export AWS_DEFAULT_REGION="$REGION" # the AWS CLI v1 reads this one, not AWS_REGION
if [ "$DRY_RUN" = 1 ]; then MODE="dry run: every AWS call is printed, none is made"; else MODE="live"; fi
say "deploy: function $FUNCTION_NAME, alias $STAGE, region $REGION, endpoint ${AWS_ENDPOINT_URL:-AWS} ($MODE)"
ACCOUNT="<account>"
ROLE_CREATED=0
[ "$CREATE" = 0 ] || [ "$DESTROY" = 0 ] || die "--create and --destroy do not go together"

if [ "$DESTROY" = 1 ]; then
  STEP="destroy"
  TABLES="$("$PYTHON" -m scripts.deploy tables "${CONFIG_ARGS[@]}" 2>/dev/null)" || TABLES=""
  destroy
  exit 0
fi

if [ -n "$ROLLBACK" ]; then
  STEP="rollback"
  [[ $ROLLBACK =~ ^[0-9]+$ ]] || die "--rollback takes a published version number, such as 7"
  aws_read "<current>" lambda get-alias --function-name "$FUNCTION_NAME" --name "$STAGE" \
    --query FunctionVersion --output text || die "alias $STAGE of $FUNCTION_NAME not found"
  CURRENT=$VALUE
  aws_do lambda update-alias --function-name "$FUNCTION_NAME" --name "$STAGE" --function-version "$ROLLBACK"
  say "alias $STAGE: version $CURRENT -> $ROLLBACK (undo: scripts/deploy.sh --rollback $CURRENT --stage $STAGE)"
  exit 0
fi

NEED_SECRET=0 # no signing key configured: use (with --create make) the secret SECRET_NAME
if [ -z "$JWT_SECRET_ARN" ] && [ "$HAS_JWT_SECRET" = 0 ]; then
  NEED_SECRET=1
  export JWT_SECRET_ARN="arn:aws:secretsmanager:$REGION:<account>:secret:$SECRET_NAME" # checked, then found
fi
ENV_NAMES="$("$PYTHON" -m scripts.deploy lambda-env "${CONFIG_ARGS[@]}" "$WORK/lambda-env.json")" || exit 2

step 1 "compile every module"
mapfile -t MODULES < <(find lambda_function.py shipcaptaincrew reports scripts -name '*.py' \
  -not -path '*/__pycache__/*' | LC_ALL=C sort)
PYTHONPYCACHEPREFIX="$WORK/pycache" "$PYTHON" -m py_compile "${MODULES[@]}" ||
  die "a module does not compile (file and line above): fix it and deploy again; nothing was uploaded"
say "compiled ${#MODULES[@]} modules"

step 2 "build the deployment zip"
PACKAGE_OUT="$("$PYTHON" scripts/package.py --out "$ZIP")" || die "no zip, nothing was uploaded"
say "$PACKAGE_OUT"
SHA256_HEX="$(sed -n 's/^sha256 //p' <<<"$PACKAGE_OUT")"
CODE_SHA="$(sed -n 's/^CodeSha256 //p' <<<"$PACKAGE_OUT")"

step 3 "ship the function"
aws_value "<account>" sts get-caller-identity --query Account --output text
ACCOUNT=$VALUE
front_door # the signing secret, and with --create the SES identity, the HTTP API and the distribution
say "  environment: ${ENV_NAMES:-(none)} (names only; values are never printed)"
if aws_read "" lambda get-function --function-name "$FUNCTION_NAME" --query Configuration.FunctionArn --output text; then
  configuration_set # before the new configuration names it
  aws_do lambda update-function-code --function-name "$FUNCTION_NAME" --zip-file "fileb://$ZIP"
  aws_do lambda wait function-updated-v2 --function-name "$FUNCTION_NAME"
  aws_do lambda update-function-configuration --function-name "$FUNCTION_NAME" --runtime python3.12 \
    --handler lambda_function.lambda_handler --memory-size "$LAMBDA_MEMORY_MB" --timeout "$LAMBDA_TIMEOUT" \
    --environment "file://$WORK/lambda-env.json"
  aws_do lambda wait function-updated-v2 --function-name "$FUNCTION_NAME"
  [ "$CREATE" = 0 ] || {
    "$PYTHON" -m scripts.deploy policy "${CONFIG_ARGS[@]}" --account "$ACCOUNT" "$WORK/lambda-policy.json"
    ensure_role "$LAMBDA_ROLE_NAME" lambda.amazonaws.com "$WORK/lambda-policy.json"
  }
else
  [ "$CREATE" = 1 ] || die "function $FUNCTION_NAME not found in $REGION: for a first deploy run scripts/deploy.sh --create"
  configuration_set
  "$PYTHON" -m scripts.deploy policy "${CONFIG_ARGS[@]}" --account "$ACCOUNT" "$WORK/lambda-policy.json"
  ensure_role "$LAMBDA_ROLE_NAME" lambda.amazonaws.com "$WORK/lambda-policy.json"
  retrying lambda create-function --function-name "$FUNCTION_NAME" --runtime python3.12 \
    --handler lambda_function.lambda_handler --memory-size "$LAMBDA_MEMORY_MB" --timeout "$LAMBDA_TIMEOUT" \
    --role "arn:aws:iam::$ACCOUNT:role/$LAMBDA_ROLE_NAME" --zip-file "fileb://$ZIP" \
    --environment "file://$WORK/lambda-env.json" || die "could not create function $FUNCTION_NAME"
  aws_do lambda wait function-active-v2 --function-name "$FUNCTION_NAME"
fi
GIT_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- lambda_function.py shipcaptaincrew reports examples requirements.txt 2>/dev/null)" ]; then
  GIT_COMMIT="$GIT_COMMIT+uncommitted" # the zip holds changes no commit has
fi
aws_value "<new-version>" lambda publish-version --function-name "$FUNCTION_NAME" --code-sha256 "$CODE_SHA" \
  --description "sha256 ${SHA256_HEX:0:16}, commit $GIT_COMMIT" --query Version --output text
NEW_VERSION=$VALUE
if aws_read "<previous-version>" lambda get-alias --function-name "$FUNCTION_NAME" --name "$STAGE" \
  --query FunctionVersion --output text; then
  PREVIOUS_VERSION=$VALUE
  say "published version $NEW_VERSION; alias $STAGE stays on version $PREVIOUS_VERSION until the smoke test passes"
else
  PREVIOUS_VERSION=""
  aws_do lambda create-alias --function-name "$FUNCTION_NAME" --name "$STAGE" --function-version "$NEW_VERSION"
  say "published version $NEW_VERSION; created alias $STAGE on it"
fi
[ "$CREATE" = 0 ] || {
  delivery_events
  api_permission
  failed_run_alarm
}

step 4 "upload the dashboard"
[ "$CREATE" = 0 ] || private_bucket "$ASSETS_BUCKET"
[ "$CREATE" = 0 ] || assets_bucket_policy
upload_dashboard
if [ -n "$DISTRIBUTION_ID" ]; then
  # Only the pages change name-for-contents: the files under assets/<version>/ never do.
  aws_value "<invalidation>" cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID" \
    --paths / /index.html --query Invalidation.Id --output text
  say "invalidation $VALUE on distribution $DISTRIBUTION_ID"
else
  say "no CloudFront distribution set or found: no invalidation"
fi

step 5 "schedule the reports and push-to-book"
aws_do sqs create-queue --queue-name "$SCHEDULE_DLQ_NAME" --attributes MessageRetentionPeriod=1209600
DLQ_ARN="arn:aws:sqs:$REGION:$ACCOUNT:$SCHEDULE_DLQ_NAME"
if [ "$CREATE" = 1 ]; then
  "$PYTHON" -m scripts.deploy scheduler-policy "${CONFIG_ARGS[@]}" --account "$ACCOUNT" "$WORK/scheduler-policy.json"
  ensure_role "$SCHEDULER_ROLE_NAME" scheduler.amazonaws.com "$WORK/scheduler-policy.json"
fi
# Scheduler invokes Lambda asynchronously: a function error is retried by Lambda, then dead-lettered.
retrying lambda put-function-event-invoke-config --function-name "$FUNCTION_NAME" --qualifier "$STAGE" \
  --maximum-retry-attempts 2 --maximum-event-age-in-seconds 21600 \
  --destination-config "{\"OnFailure\": {\"Destination\": \"$DLQ_ARN\"}}"
for kind in reports push_to_book; do
  if [ "$kind" = reports ]; then
    name=$REPORTS_SCHEDULE_NAME expression=$REPORTS_SCHEDULE zone=$REPORTS_SCHEDULE_TZ
  else
    name=$PUSH_TO_BOOK_SCHEDULE_NAME expression=$PUSH_TO_BOOK_SCHEDULE zone=$PUSH_TO_BOOK_SCHEDULE_TZ
  fi
  "$PYTHON" -m scripts.deploy schedule "$kind" "$WORK/schedule-$kind.json" \
    "${CONFIG_ARGS[@]}" --account "$ACCOUNT"
  if aws_read "" scheduler get-schedule --name "$name" --query Arn --output text; then
    retrying scheduler update-schedule --cli-input-json "file://$WORK/schedule-$kind.json"
  else
    retrying scheduler create-schedule --cli-input-json "file://$WORK/schedule-$kind.json"
  fi
  say "schedule $name: $expression in $zone -> $FUNCTION_NAME:$STAGE (retries, then $SCHEDULE_DLQ_NAME)"
done

step 6 "smoke test"
move_alias() {
  [ -n "$PREVIOUS_VERSION" ] || return 0
  aws_do lambda update-alias --function-name "$FUNCTION_NAME" --name "$STAGE" --function-version "$NEW_VERSION"
  say "alias $STAGE: version $PREVIOUS_VERSION -> $NEW_VERSION (roll back: scripts/deploy.sh --rollback $PREVIOUS_VERSION --stage $STAGE)"
}
if [ "$SKIP_SMOKE" = 1 ]; then
  say "SKIPPED (--skip-smoke): this deploy is not verified"
  move_alias
else
  aws_value "None" lambda invoke --function-name "$FUNCTION_NAME" --qualifier "$NEW_VERSION" \
    --cli-read-timeout 900 \
    --payload '{"action": "send_reports", "dry_run": true}' --query FunctionError --output text "$WORK/smoke.json"
  if [ "$DRY_RUN" = 1 ]; then
    say "  (would check the answer with scripts/smoke_check.py)"
    move_alias
  else
    [ "$VALUE" = None ] || say "  the function raised ($VALUE)"
    if ! "$PYTHON" scripts/smoke_check.py "$WORK/smoke.json"; then
      if [ -n "$PREVIOUS_VERSION" ]; then
        die "the smoke test failed: alias $STAGE still points at version $PREVIOUS_VERSION; version $NEW_VERSION is not live"
      fi
      die "the smoke test failed on the first deploy of $FUNCTION_NAME: fix the configuration and deploy again"
    fi
    move_alias
  fi
fi
say ""
if [ "$DRY_RUN" = 1 ]; then
  say "dry run complete: nothing was changed; zip sha256 $SHA256_HEX"
else
  say "deployed $FUNCTION_NAME version $NEW_VERSION (alias $STAGE), zip sha256 $SHA256_HEX"
fi
if [ -n "$DISTRIBUTION_ID" ]; then
  say "dashboard: https://$DASHBOARD_DOMAIN/"
  say "sign in: open it and enter an address in ADMIN_EMAILS (${ADMIN_EMAILS:-none set}); a sign-in link comes from ${SES_FROM_ADDRESS:-SES_FROM_ADDRESS}"
fi
