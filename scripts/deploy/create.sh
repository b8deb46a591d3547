# What `scripts/deploy.sh --create` makes besides the function, and what `--destroy` removes.
# Sourced by deploy.sh (it uses its aws_do/aws_value/aws_read/say/die and settings). Every
# resource is found again by its name on every run, so a second --create creates nothing new.

endpoint_lacks() { # endpoint_lacks: 0 if the last failed call hit an API the test endpoint lacks
  [ -n "${AWS_ENDPOINT_URL:-}" ] && grep -qE '\(404\) when calling the [A-Za-z]+ operation: Not Found' "$WORK/stderr"
}

# --- the signing secret --------------------------------------------------------------------
signing_secret() { # find (or with --create make) the secret; export its ARN for the Lambda
  if aws_read "arn:aws:secretsmanager:$REGION:$ACCOUNT:secret:$SECRET_NAME-<suffix>" \
    secretsmanager describe-secret --secret-id "$SECRET_NAME" --query ARN --output text; then
    say "  signing secret $SECRET_NAME exists"
  elif [ "$CREATE" = 1 ]; then
    "$PYTHON" -m scripts.deploy secret-file "$WORK/signing-key" # random, private, never printed
    aws_value "arn:aws:secretsmanager:$REGION:$ACCOUNT:secret:$SECRET_NAME-<suffix>" \
      secretsmanager create-secret --name "$SECRET_NAME" --secret-string "file://$WORK/signing-key" \
      --description "Ship Captain Crew session signing key" --tags "Key=$TAG_KEY,Value=$FUNCTION_NAME" \
      --query ARN --output text
    rm -f "$WORK/signing-key"
  else
    die "no JWT_SECRET_ARN set and no secret $SECRET_NAME found: run scripts/deploy.sh --create once (it makes the secret), or set JWT_SECRET_ARN"
  fi
  export JWT_SECRET_ARN=$VALUE
  say "  the Lambda reads its signing key from $JWT_SECRET_ARN (the value is never printed)"
}

# --- the tables and the archive bucket (kept by --destroy unless --purge-data) -------------------
data_stores() {
  local name file ttl existing=" " ttls=()
  mkdir -p "$WORK/tables"
  aws_value "" dynamodb list-tables --query TableNames --output text
  existing+="${VALUE//$'\t'/ } "
  while IFS=$'\t' read -r name file ttl; do
    if [[ $existing == *" $name "* ]]; then
      say "  table $name exists"
    else
      aws_do dynamodb create-table --cli-input-json "file://$file" --tags "Key=$TAG_KEY,Value=$FUNCTION_NAME"
      [ -z "$ttl" ] || ttls+=("$name=$ttl")
    fi
  done < <("$PYTHON" -m scripts.deploy table-inputs "${CONFIG_ARGS[@]}" "$WORK/tables")
  for name in "${ttls[@]}"; do # a table takes its expiry setting once it is active
    aws_do dynamodb wait table-exists --table-name "${name%%=*}"
    aws_do dynamodb update-time-to-live --table-name "${name%%=*}" \
      --time-to-live-specification "Enabled=true,AttributeName=${name#*=}"
  done
  [ -z "$ARCHIVE_BUCKET" ] || private_bucket "$ARCHIVE_BUCKET"
}

private_bucket() { # create a bucket when missing, with every kind of public access blocked
  if aws_read "" s3api head-bucket --bucket "$1"; then
    say "  bucket $1 exists"
    return 0
  fi
  if [ "$REGION" = us-east-1 ]; then
    aws_do s3api create-bucket --bucket "$1"
  else
    aws_do s3api create-bucket --bucket "$1" --create-bucket-configuration "LocationConstraint=$REGION"
  fi
  aws_do s3api put-public-access-block --bucket "$1" --public-access-block-configuration \
    BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
}

# --- the SES sender identity ---------------------------------------------------------------
ses_identity() { # the sender's domain identity, created when missing, with its DKIM records
  local domain=${SES_FROM_ADDRESS#*@} tokens token
  if aws_read "SUCCESS" sesv2 get-email-identity --email-identity "$domain" \
    --query 'DkimAttributes.Status' --output text; then
    say "  SES identity $domain exists (DKIM: $VALUE)"
    [ "$VALUE" = SUCCESS ] && return 0
    aws_value "<token1> <token2> <token3>" sesv2 get-email-identity --email-identity "$domain" \
      --query 'DkimAttributes.Tokens' --output text
  else
    aws_value "<token1> <token2> <token3>" sesv2 create-email-identity --email-identity "$domain" \
      --tags "Key=$TAG_KEY,Value=$FUNCTION_NAME" --query 'DkimAttributes.Tokens' --output text
  fi
  tokens=$VALUE
  if [ -z "$tokens" ] || [ "$tokens" = None ]; then
    say "  SES gave no DKIM tokens yet: aws sesv2 get-email-identity --email-identity $domain shows them"
    return 0
  fi
  say "  publish these DNS records for $domain (SES verifies the domain once they resolve):"
  for token in $tokens; do
    say "    $token._domainkey.$domain  CNAME  $token.dkim.amazonses.com"
  done
}

# --- the HTTP API --------------------------------------------------------------------------
http_api() { # API, Lambda proxy integration on the alias, $default route and stage
  local alias_arn="arn:aws:lambda:$REGION:$ACCOUNT:function:$FUNCTION_NAME:$STAGE" integration
  aws_value "$([ "$CREATE" = 1 ] && echo None || echo '<api-id>')" apigatewayv2 get-apis \
    --query "Items[?Name=='$API_NAME'] | [0].ApiId" --output text
  if [ -n "$VALUE" ] && [ "$VALUE" != None ]; then
    API_ID=$VALUE
    say "  HTTP API $API_NAME exists ($API_ID)"
  elif [ "$CREATE" = 1 ]; then
    aws_value "<api-id>" apigatewayv2 create-api --name "$API_NAME" --protocol-type HTTP \
      --description "Ship Captain Crew API ($FUNCTION_NAME:$STAGE)" --tags "$TAG_KEY=$FUNCTION_NAME" \
      --query ApiId --output text
    API_ID=$VALUE
  else
    API_ID=""
    return 0
  fi
  API_DOMAIN="$API_ID.execute-api.$REGION.amazonaws.com"
  [ "$CREATE" = 1 ] || return 0
  aws_value "None" apigatewayv2 get-integrations --api-id "$API_ID" \
    --query "Items[?IntegrationUri=='$alias_arn'] | [0].IntegrationId" --output text
  if [ -n "$VALUE" ] && [ "$VALUE" != None ]; then
    integration=$VALUE
    say "  integration $integration -> $FUNCTION_NAME:$STAGE exists"
  else
    aws_value "<integration-id>" apigatewayv2 create-integration --api-id "$API_ID" \
      --integration-type AWS_PROXY --integration-uri "$alias_arn" --payload-format-version 2.0 \
      --timeout-in-millis 30000 --query IntegrationId --output text
    integration=$VALUE
  fi
  aws_value "None" apigatewayv2 get-routes --api-id "$API_ID" \
    --query "Items[?RouteKey=='\$default'] | [0].RouteId" --output text
  if [ -n "$VALUE" ] && [ "$VALUE" != None ]; then
    say "  route \$default exists"
  else
    aws_do apigatewayv2 create-route --api-id "$API_ID" --route-key '$default' --target "integrations/$integration"
  fi
  aws_value "None" apigatewayv2 get-stages --api-id "$API_ID" \
    --query "Items[?StageName=='\$default'] | [0].StageName" --output text
  if [ -n "$VALUE" ] && [ "$VALUE" != None ]; then
    say "  stage \$default exists"
  else
    aws_do apigatewayv2 create-stage --api-id "$API_ID" --stage-name '$default' --auto-deploy
  fi
  say "HTTP API $API_NAME: https://$API_DOMAIN (payload 2.0, \$default route -> $FUNCTION_NAME:$STAGE)"
}

api_permission() { # the alias may be invoked by this API only
  [ -n "$API_ID" ] || return 0
  if aws_read "" lambda get-policy --function-name "$FUNCTION_NAME" --qualifier "$STAGE" --query Policy \
    --output text && [[ $VALUE == *"\"$API_PERMISSION_ID\""* ]]; then
    say "  HTTP API $API_NAME may invoke $FUNCTION_NAME:$STAGE"
  else
    retrying lambda add-permission --function-name "$FUNCTION_NAME" --qualifier "$STAGE" \
      --statement-id "$API_PERMISSION_ID" --action lambda:InvokeFunction --principal apigateway.amazonaws.com \
      --source-arn "arn:aws:execute-api:$REGION:$ACCOUNT:$API_ID/*"
  fi
}

# --- CloudFront ------------------------------------------------------------------------------
headers_policy() { # the response-headers policy: CSP with frame-ancestors, HSTS, nosniff, referrer
  HEADERS_POLICY_ID=""
  say "  response headers on every dashboard and API response:"
  "$PYTHON" -m scripts.deploy headers-policy "$HEADERS_POLICY_NAME" "$WORK/headers-policy.json" |
    sed 's/^/    /' >&3
  local query="ResponseHeadersPolicyList.Items[?ResponseHeadersPolicy.ResponseHeadersPolicyConfig.Name=='$HEADERS_POLICY_NAME'] | [0].ResponseHeadersPolicy.Id"
  if aws_read "None" cloudfront list-response-headers-policies --type custom --query "$query" --output text &&
    [ "$VALUE" != None ]; then
    HEADERS_POLICY_ID=$VALUE
    say "  response-headers policy $HEADERS_POLICY_NAME exists ($HEADERS_POLICY_ID)"
    return 0
  fi
  if [ -z "$VALUE" ] && endpoint_lacks; then
    say "  $AWS_ENDPOINT_URL does not implement CloudFront response-headers policies: not made here"
    return 0
  fi
  aws_value "<headers-policy-id>" cloudfront create-response-headers-policy \
    --response-headers-policy-config "file://$WORK/headers-policy.json" --query ResponseHeadersPolicy.Id --output text
  HEADERS_POLICY_ID=$VALUE
}

origin_access_control() { # the assets bucket is read by CloudFront only, through this OAC
  aws_value "$([ "$CREATE" = 1 ] && echo None || echo '<oac-id>')" cloudfront list-origin-access-controls \
    --query "OriginAccessControlList.Items[?Name=='$OAC_NAME'] | [0].Id" --output text
  if [ -n "$VALUE" ] && [ "$VALUE" != None ]; then
    OAC_ID=$VALUE
    say "  origin access control $OAC_NAME exists ($OAC_ID)"
  else
    aws_value "<oac-id>" cloudfront create-origin-access-control --origin-access-control-config \
      "Name=$OAC_NAME,Description=Ship Captain Crew dashboard assets,SigningProtocol=sigv4,SigningBehavior=always,OriginAccessControlOriginType=s3" \
      --query OriginAccessControl.Id --output text
    OAC_ID=$VALUE
  fi
}

find_distribution() { # DISTRIBUTION_ID and DASHBOARD_DOMAIN: the one named, else found by its comment
  DISTRIBUTION_ID=$CLOUDFRONT_DISTRIBUTION_ID DASHBOARD_DOMAIN=""
  if [ -n "$DISTRIBUTION_ID" ]; then
    aws_value "<distribution>.cloudfront.net" cloudfront get-distribution --id "$DISTRIBUTION_ID" \
      --query Distribution.DomainName --output text
    DASHBOARD_DOMAIN=$VALUE
    return 0
  fi
  local placeholder=$'<distribution-id>\t<distribution>.cloudfront.net'
  [ "$CREATE" = 0 ] || placeholder=None
  aws_value "$placeholder" cloudfront list-distributions \
    --query "DistributionList.Items[?Comment=='$DISTRIBUTION_COMMENT'] | [0].[Id, DomainName]" --output text
  if [ -n "$VALUE" ] && [ "$VALUE" != None ]; then
    DISTRIBUTION_ID=${VALUE%%$'\t'*} DASHBOARD_DOMAIN=${VALUE#*$'\t'}
  fi
}

distribution() { # the dashboard's distribution: the bucket by default, /api/* to the HTTP API
  find_distribution
  if [ -n "$DISTRIBUTION_ID" ]; then
    say "  distribution $DISTRIBUTION_ID exists ($DASHBOARD_DOMAIN)"
    return 0
  fi
  headers_policy
  origin_access_control
  "$PYTHON" -m scripts.deploy distribution-config "${CONFIG_ARGS[@]}" "$DISTRIBUTION_COMMENT" "$API_DOMAIN" \
    "$OAC_ID" "$HEADERS_POLICY_ID" "$WORK/distribution.json"
  aws_value $'<distribution-id>\t<distribution>.cloudfront.net' cloudfront create-distribution \
    --distribution-config "file://$WORK/distribution.json" --query 'Distribution.[Id, DomainName]' --output text
  DISTRIBUTION_ID=${VALUE%%$'\t'*} DASHBOARD_DOMAIN=${VALUE#*$'\t'}
  say "distribution $DISTRIBUTION_ID: https://$DASHBOARD_DOMAIN (index.html at /, /api/* -> $API_DOMAIN uncached, all headers but Host forwarded)"
}

front_door() { # everything the Lambda's environment needs to know before it ships
  if [ "$NEED_SECRET" = 1 ]; then signing_secret; fi
  if [ "$CREATE" = 1 ]; then
    data_stores
    ses_identity
  fi
  API_ID="" API_DOMAIN=""
  if [ "$CREATE" = 1 ]; then
    http_api
    distribution
  else
    find_distribution
  fi
  if [ -n "$DASHBOARD_DOMAIN" ] && [ "$DASHBOARD_DOMAIN" != None ]; then
    [ "$APP_BASE_URL_SET" = 1 ] || export APP_BASE_URL="https://$DASHBOARD_DOMAIN"
    [ "$ALLOWED_ORIGIN_SET" = 1 ] || export ALLOWED_ORIGIN="https://$DASHBOARD_DOMAIN"
  fi
  ENV_NAMES="$("$PYTHON" -m scripts.deploy lambda-env "${CONFIG_ARGS[@]}" "$WORK/lambda-env.json")" || exit 2
}

assets_bucket_policy() {
  [ -n "$DISTRIBUTION_ID" ] || return 0
  "$PYTHON" -m scripts.deploy bucket-policy "${CONFIG_ARGS[@]}" \
    "arn:aws:cloudfront::$ACCOUNT:distribution/$DISTRIBUTION_ID" "$WORK/bucket-policy.json"
  aws_do s3api put-bucket-policy --bucket "$ASSETS_BUCKET" --policy "file://$WORK/bucket-policy.json"
}

# --- the dashboard's files ---------------------------------------------------------------------
upload_dashboard() { # assets/<version>/ first, then the page naming it, then whatever is stale
  local site="$WORK/site" version line content_type cache_control patterns kind excludes
  local groups=()
  mapfile -t groups < <("$PYTHON" -m scripts.deploy stage-assets "$FRONTEND" "$site")
  version=${groups[0]#version$'\t'}
  for line in "${groups[@]:1}"; do
    IFS=$'\t' read -r content_type cache_control patterns <<<"$line"
    read -r -a kinds <<<"$patterns"
    filters=(--exclude "*")
    for kind in "${kinds[@]}"; do filters+=(--include "$kind"); done
    aws_do s3 cp "$site/assets/$version" "s3://$ASSETS_BUCKET/assets/$version/" --recursive --only-show-errors \
      "${filters[@]}" --content-type "$content_type" --cache-control "$cache_control"
  done
  aws_do s3 cp "$site" "s3://$ASSETS_BUCKET/" --recursive --only-show-errors --exclude "*" --include "*.html" \
    --exclude "assets/*" --content-type "text/html; charset=utf-8" --cache-control no-cache
  excludes=(--exclude "assets/$version/*")
  while IFS= read -r page; do excludes+=(--exclude "${page#"$site"/}"); done < <(find "$site" -maxdepth 1 -name '*.html' | sort)
  aws_do s3 rm "s3://$ASSETS_BUCKET/" --recursive --only-show-errors "${excludes[@]}"
  say "uploaded $FRONTEND/ to s3://$ASSETS_BUCKET (version $version under assets/$version/; older files removed)"
}

# --- the failed-run alarm --------------------------------------------------------------------
failed_run_alarm() { # metric filter on the failed-run log line; alarm -> SNS -> ADMIN_EMAILS
  local topic_arn email
  aws_value "None" logs describe-log-groups --log-group-name-prefix "$LOG_GROUP" \
    --query "logGroups[?logGroupName=='$LOG_GROUP'] | [0].logGroupName" --output text
  if [ "$VALUE" = "$LOG_GROUP" ]; then
    say "  log group $LOG_GROUP exists"
  else
    aws_do logs create-log-group --log-group-name "$LOG_GROUP" --tags "$TAG_KEY=$FUNCTION_NAME"
  fi
  aws_do logs put-metric-filter --log-group-name "$LOG_GROUP" --filter-name "$METRIC_FILTER_NAME" \
    --filter-pattern "$FAILED_RUN_PATTERN" \
    --metric-transformations "metricName=$METRIC_NAME,metricNamespace=$METRIC_NAMESPACE,metricValue=1"
  aws_value "arn:aws:sns:$REGION:$ACCOUNT:$ALARM_TOPIC" sns create-topic --name "$ALARM_TOPIC" \
    --query TopicArn --output text # returns the existing topic when it has this name
  topic_arn=$VALUE
  for email in ${ADMIN_EMAILS//,/ }; do
    aws_value "" sns list-subscriptions-by-topic --topic-arn "$topic_arn" --output text \
      --query "Subscriptions[?Endpoint=='$email'] | [0].SubscriptionArn"
    if [ -n "$VALUE" ] && [ "$VALUE" != None ]; then
      say "  $email is subscribed to $ALARM_TOPIC"
    else
      aws_do sns subscribe --topic-arn "$topic_arn" --protocol email --notification-endpoint "$email"
      say "  $email must confirm the subscription from the email AWS sends"
    fi
  done
  aws_do cloudwatch put-metric-alarm --alarm-name "$ALARM_NAME" \
    --alarm-description "A report run ended partial or failed (the log line 'report run failed')" \
    --namespace "$METRIC_NAMESPACE" --metric-name "$METRIC_NAME" --statistic Sum --period 300 \
    --evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold \
    --treat-missing-data notBreaching --alarm-actions "$topic_arn"
  say "alarm $ALARM_NAME: 'report run failed' in $LOG_GROUP -> SNS $ALARM_TOPIC -> ${ADMIN_EMAILS:-(no ADMIN_EMAILS)}"
}

# --- --destroy ---------------------------------------------------------------------------------
gone() { # gone ARGS...: make a delete call; a thing already missing is fine
  print_call "$@"
  [ "$DRY_RUN" = 0 ] || return 0
  if "${AWS[@]}" "$@" </dev/null >/dev/null 2>"$WORK/stderr"; then return 0; fi
  if grep -qE 'NotFound|NoSuch|DoesNotExist|\(404\)|not found|does not exist' "$WORK/stderr"; then
    say "    (already gone)"
    return 0
  fi
  cat "$WORK/stderr" >&2
  die "aws $1 $2 failed"
}

destroy() {
  local answer topic name domain
  say "deploy: --destroy removes what --create made for $FUNCTION_NAME (alias $STAGE) in $REGION:"
  say "  the schedules and their queue, the function and its roles, the HTTP API, the distribution,"
  say "  its headers policy and origin access control, the assets bucket $ASSETS_BUCKET, the signing secret,"
  say "  the SES configuration set and identity, the topics, the alarm and the log group"
  if [ "$PURGE_DATA" = 1 ]; then
    say "  and, with --purge-data, the tables ($TABLES) and the archive bucket ${ARCHIVE_BUCKET:-(none)}"
  else
    say "  (the tables and the archive bucket ${ARCHIVE_BUCKET:-(none)} are kept; --purge-data removes them)"
  fi
  if [ "$YES" = 0 ] && [ "$DRY_RUN" = 0 ]; then
    [ -t 0 ] || die "--destroy asks for confirmation: run it in a terminal, or add --yes"
    read -r -p "Type the function name ($FUNCTION_NAME) to destroy it: " answer
    [ "$answer" = "$FUNCTION_NAME" ] || die "not confirmed; nothing was removed"
  fi
  aws_value "<account>" sts get-caller-identity --query Account --output text
  ACCOUNT=$VALUE
  for name in "$REPORTS_SCHEDULE_NAME" "$PUSH_TO_BOOK_SCHEDULE_NAME"; do gone scheduler delete-schedule --name "$name"; done
  aws_value "<queue-url>" sqs get-queue-url --queue-name "$SCHEDULE_DLQ_NAME" --query QueueUrl --output text ||
    VALUE=""
  [ -z "$VALUE" ] || gone sqs delete-queue --queue-url "$VALUE"
  gone cloudwatch delete-alarms --alarm-names "$ALARM_NAME"
  gone logs delete-log-group --log-group-name "$LOG_GROUP"
  for topic in "$ALARM_TOPIC" "$SES_EVENTS_TOPIC"; do
    gone sns delete-topic --topic-arn "arn:aws:sns:$REGION:$ACCOUNT:$topic"
  done
  gone ses delete-configuration-set --configuration-set-name "$SES_CONFIGURATION_SET"
  domain=${SES_FROM_ADDRESS#*@}
  [ -z "$domain" ] || gone sesv2 delete-email-identity --email-identity "$domain"
  CREATE=0 find_distribution
  if [ -n "$DISTRIBUTION_ID" ] && [ "$DISTRIBUTION_ID" != None ]; then
    destroy_distribution "$DISTRIBUTION_ID"
  fi
  aws_value "None" cloudfront list-origin-access-controls \
    --query "OriginAccessControlList.Items[?Name=='$OAC_NAME'] | [0].Id" --output text
  if [ -n "$VALUE" ] && [ "$VALUE" != None ]; then
    local oac=$VALUE
    aws_value "<etag>" cloudfront get-origin-access-control --id "$oac" --query ETag --output text
    gone cloudfront delete-origin-access-control --id "$oac" --if-match "$VALUE"
  fi
  destroy_headers_policy
  aws_value "None" apigatewayv2 get-apis --query "Items[?Name=='$API_NAME'] | [0].ApiId" --output text
  if [ -n "$VALUE" ] && [ "$VALUE" != None ]; then gone apigatewayv2 delete-api --api-id "$VALUE"; fi
  gone lambda delete-function --function-name "$FUNCTION_NAME"
  for name in "$LAMBDA_ROLE_NAME" "$SCHEDULER_ROLE_NAME"; do
    gone iam delete-role-policy --role-name "$name" --policy-name "$name"
    gone iam delete-role --role-name "$name"
  done
  gone secretsmanager delete-secret --secret-id "$SECRET_NAME" --force-delete-without-recovery
  empty_and_delete_bucket "$ASSETS_BUCKET"
  if [ "$PURGE_DATA" = 1 ]; then
    for name in $TABLES; do gone dynamodb delete-table --table-name "$name"; done
    [ -z "$ARCHIVE_BUCKET" ] || empty_and_delete_bucket "$ARCHIVE_BUCKET"
  fi
  say ""
  if [ "$DRY_RUN" = 1 ]; then
    say "dry run complete: nothing was removed"
  elif [ "$PURGE_DATA" = 1 ]; then
    say "destroyed $FUNCTION_NAME and its data"
  else
    say "destroyed $FUNCTION_NAME; kept the tables ($TABLES) and the archive bucket ${ARCHIVE_BUCKET:-(none)}"
  fi
}

empty_and_delete_bucket() {
  if aws_read "" s3api head-bucket --bucket "$1"; then
    aws_do s3 rm "s3://$1/" --recursive --only-show-errors
    gone s3api delete-bucket --bucket "$1"
  else
    say "  bucket $1: already gone"
  fi
}

destroy_distribution() { # disable, wait until deployed, then delete (CloudFront's order)
  local id=$1 etag
  aws_value "<etag>" cloudfront get-distribution-config --id "$id" --query ETag --output text
  etag=$VALUE
  print_call cloudfront get-distribution-config --id "$id" --query DistributionConfig
  if [ "$DRY_RUN" = 0 ]; then
    "${AWS[@]}" cloudfront get-distribution-config --id "$id" --query DistributionConfig --output json \
      </dev/null >"$WORK/distribution-live.json"
    "$PYTHON" -c 'import json, sys; p = sys.argv[1]; c = json.load(open(p)); c["Enabled"] = False; json.dump(c, open(p, "w"))' \
      "$WORK/distribution-live.json"
  fi
  aws_value "<etag>" cloudfront update-distribution --id "$id" --if-match "$etag" \
    --distribution-config "file://$WORK/distribution-live.json" --query ETag --output text
  etag=$VALUE
  aws_do cloudfront wait distribution-deployed --id "$id"
  gone cloudfront delete-distribution --id "$id" --if-match "$etag"
}

destroy_headers_policy() {
  local query="ResponseHeadersPolicyList.Items[?ResponseHeadersPolicy.ResponseHeadersPolicyConfig.Name=='$HEADERS_POLICY_NAME'] | [0].ResponseHeadersPolicy.Id"
  if aws_read "<headers-policy-id>" cloudfront list-response-headers-policies --type custom --query "$query" \
    --output text && [ "$VALUE" != None ]; then
    local id=$VALUE
    aws_value "<etag>" cloudfront get-response-headers-policy --id "$id" --query ETag --output text
    gone cloudfront delete-response-headers-policy --id "$id" --if-match "$VALUE"
  elif endpoint_lacks; then
    say "  $AWS_ENDPOINT_URL does not implement CloudFront response-headers policies: none to remove"
  fi
}
