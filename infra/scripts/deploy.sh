#!/usr/bin/env bash
# Deploys one version: build and push the image, run the migrations with it as a one-off ECS task (and
# stop if they fail), then let CloudFormation roll the web and worker services onto it (ECS's circuit
# breaker rolls back a version whose tasks do not get healthy). docs/runbook.md explains each step.
#
#   AWS_REGION=eu-west-1 infra/scripts/deploy.sh [tag]     (tag: default the current git commit)
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${AWS_REGION:?set AWS_REGION}"
tag="${1:-$(git rev-parse --short=12 HEAD)}"
account="$(aws sts get-caller-identity --query Account --output text)"
registry="${account}.dkr.ecr.${AWS_REGION}.amazonaws.com"
image="${registry}/stylist:${tag}"
stack=Stylist
output() { aws cloudformation describe-stacks --stack-name "$stack" --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text; }

echo "== 1. image ${image}"
aws ecr describe-repositories --repository-names stylist >/dev/null 2>&1 || aws ecr create-repository --repository-name stylist --image-scanning-configuration scanOnPush=true --encryption-configuration encryptionType=KMS >/dev/null
aws ecr get-login-password | docker login --username AWS --password-stdin "$registry"
docker build --pull -t "$image" .
docker push "$image"

echo "== 2. migrations (one-off task, new image, before any new task takes traffic)"
if aws cloudformation describe-stacks --stack-name "$stack" >/dev/null 2>&1; then
  family_arn="$(output MigrateTaskDefinition)"
  # A revision of the migration task with the new image; everything else (secrets, roles, logs) as deployed.
  aws ecs describe-task-definition --task-definition "$family_arn" --query taskDefinition > /tmp/migrate-task.json
  node -e '
    const t = require("/tmp/migrate-task.json");
    for (const k of ["taskDefinitionArn","revision","status","requiresAttributes","compatibilities","registeredAt","registeredBy"]) delete t[k];
    t.containerDefinitions[0].image = process.argv[1];
    require("fs").writeFileSync("/tmp/migrate-task.json", JSON.stringify(t));
  ' "$image"
  new_task="$(aws ecs register-task-definition --cli-input-json file:///tmp/migrate-task.json --query taskDefinition.taskDefinitionArn --output text)"
  task="$(aws ecs run-task --cluster "$(output ClusterName)" --task-definition "$new_task" --launch-type FARGATE \
    --network-configuration "awsvpcConfiguration={subnets=[$(output MigrateSubnets)],securityGroups=[$(output MigrateSecurityGroup)],assignPublicIp=DISABLED}" \
    --query 'tasks[0].taskArn' --output text)"
  aws ecs wait tasks-stopped --cluster "$(output ClusterName)" --tasks "$task"
  code="$(aws ecs describe-tasks --cluster "$(output ClusterName)" --tasks "$task" --query 'tasks[0].containers[0].exitCode' --output text)"
  if [ "$code" != "0" ]; then echo "migrations failed (exit $code): nothing was deployed; see the Migrate log group" >&2; exit 1; fi
else
  echo "first deploy: the stack does not exist yet; run the migration task once it does (docs/runbook.md#first-deploy)"
fi

echo "== 3. services onto ${tag}"
(cd infra && npx cdk deploy "$stack" -c "stylist:imageTag=${tag}" --require-approval broadening)
echo "deployed ${tag}"
