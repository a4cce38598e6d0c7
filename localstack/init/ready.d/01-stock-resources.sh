#!/bin/bash
# LocalStack ready hook: the same resources the app provisions at start (AWS_PROVISION=true).
# Every call is idempotent, so a restart changes nothing.
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

aws() { awslocal --region "$REGION" "$@"; }

topic_arn=$(aws sns create-topic --name "$TOPIC" --query TopicArn --output text)

dlq_url=$(aws sqs create-queue --queue-name "$DLQ" \
  --attributes "MessageRetentionPeriod=$DLQ_RETENTION_S" --query QueueUrl --output text)
dlq_arn=$(aws sqs get-queue-attributes --queue-url "$dlq_url" \
  --attribute-names QueueArn --query Attributes.QueueArn --output text)

queue_url=$(aws sqs create-queue --queue-name "$QUEUE" --query QueueUrl --output text)
queue_arn=$(aws sqs get-queue-attributes --queue-url "$queue_url" \
  --attribute-names QueueArn --query Attributes.QueueArn --output text)

redrive="{\"deadLetterTargetArn\":\"$dlq_arn\",\"maxReceiveCount\":\"$MAX_RECEIVE_COUNT\"}"
policy="{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sns.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"$queue_arn\",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"$topic_arn\"}}}]}"
# Attribute values are JSON documents themselves, so they are escaped inside the attribute map.
attributes="{\"MessageRetentionPeriod\":\"$QUEUE_RETENTION_S\",\"VisibilityTimeout\":\"$VISIBILITY_TIMEOUT_S\",\"RedrivePolicy\":\"${redrive//\"/\\\"}\",\"Policy\":\"${policy//\"/\\\"}\"}"
aws sqs set-queue-attributes --queue-url "$queue_url" --attributes "$attributes"

aws sns subscribe --topic-arn "$topic_arn" --protocol sqs --notification-endpoint "$queue_arn" >/dev/null

echo "stock resources ready: $topic_arn -> $queue_arn (redrive to $dlq_arn after $MAX_RECEIVE_COUNT receives)"
