#!/bin/bash
# LocalStack ready hook: the same resources the app provisions at start (AWS_PROVISION=true) and
# deploy/cloudformation.yaml creates on AWS. Every call is idempotent and every setting is applied
# to queues that already exist, so a restart (or a changed STOCK_* value) leaves them as asked.
#
# Runs wherever `awslocal` reaches the emulator: inside LocalStack (its own awslocal), or through
# localstack/bin/awslocal (the aws CLI with --endpoint-url) against Floci or fauxqs.
set -euo pipefail

REGION="${AWS_DEFAULT_REGION:-ap-northeast-2}"
TOPIC="${STOCK_TOPIC:-stock-empty}"
QUEUE="${STOCK_QUEUE:-stock-queue}"
DLQ="${STOCK_DLQ:-stock-dlq}"
# The DLQ keeps a message's original enqueue time: its retention must outlast the queue's.
QUEUE_RETENTION_S="${STOCK_QUEUE_RETENTION_S:-345600}"
DLQ_RETENTION_S="${STOCK_DLQ_RETENTION_S:-1209600}"
VISIBILITY_TIMEOUT_S="${STOCK_QUEUE_VISIBILITY_TIMEOUT_S:-30}"
MAX_RECEIVE_COUNT="${STOCK_QUEUE_MAX_RECEIVE_COUNT:-5}"
# Written as the very last step, so that its presence means every call above succeeded: the
# compose healthcheck tests for it (LocalStack's /_localstack/init/ready answers before that).
READY_MARKER="${READY_MARKER:-}"

aws() { awslocal --region "$REGION" "$@"; }

# JSON documents travel as attribute values, so they are escaped inside the attribute map.
escaped() { local json="$1"; printf '%s' "${json//\"/\\\"}"; }

[[ -z "$READY_MARKER" ]] || rm -f "$READY_MARKER"

topic_arn=$(aws sns create-topic --name "$TOPIC" --query TopicArn --output text)

dlq_url=$(aws sqs create-queue --queue-name "$DLQ" --query QueueUrl --output text)
dlq_arn=$(aws sqs get-queue-attributes --queue-url "$dlq_url" \
  --attribute-names QueueArn --query Attributes.QueueArn --output text)
queue_url=$(aws sqs create-queue --queue-name "$QUEUE" --query QueueUrl --output text)
queue_arn=$(aws sqs get-queue-attributes --queue-url "$queue_url" \
  --attribute-names QueueArn --query Attributes.QueueArn --output text)

aws sqs set-queue-attributes --queue-url "$dlq_url" \
  --attributes "{\"MessageRetentionPeriod\":\"$DLQ_RETENTION_S\"}"

# As in deploy/cloudformation.yaml: only stock-queue may dead-letter into the DLQ.
redrive_allow="{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[\"$queue_arn\"]}"
echo "dead-letter queue redrive allow policy: $redrive_allow"
if ! refused=$(aws sqs set-queue-attributes --queue-url "$dlq_url" \
    --attributes "{\"RedriveAllowPolicy\":\"$(escaped "$redrive_allow")\"}" 2>&1); then
  # fauxqs (the emulator of ./run.sh and the tests) does not know the attribute; anything else is an error.
  if [[ "$refused" == *InvalidAttributeName*RedriveAllowPolicy* ]]; then
    echo "this emulator has no RedriveAllowPolicy; the DLQ accepts dead letters from any queue here"
  else
    echo "$refused" >&2
    exit 1
  fi
fi

redrive="{\"deadLetterTargetArn\":\"$dlq_arn\",\"maxReceiveCount\":\"$MAX_RECEIVE_COUNT\"}"
policy="{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"stock-topic-may-send\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sns.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"$queue_arn\",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"$topic_arn\"}}}]}"
aws sqs set-queue-attributes --queue-url "$queue_url" \
  --attributes "{\"MessageRetentionPeriod\":\"$QUEUE_RETENTION_S\",\"VisibilityTimeout\":\"$VISIBILITY_TIMEOUT_S\",\"RedrivePolicy\":\"$(escaped "$redrive")\",\"Policy\":\"$(escaped "$policy")\"}"

# The SNS envelope, not raw delivery, as the app's own provisioning and the CloudFormation stack do.
aws sns subscribe --topic-arn "$topic_arn" --protocol sqs --notification-endpoint "$queue_arn" >/dev/null

echo "stock resources ready: $topic_arn -> $queue_arn (redrive to $dlq_arn after $MAX_RECEIVE_COUNT receives)"
[[ -z "$READY_MARKER" ]] || touch "$READY_MARKER"
