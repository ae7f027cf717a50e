import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { StylistStack } from "../lib/stylist-stack.js";

/** The production template, checked for what must hold whatever else changes. No AWS account needed. */
const template = Template.fromStack(
  new StylistStack(new App(), "Stylist", {
    domainName: "stylist.example.com",
    certificateArn: "arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-0000-0000-000000000000",
    imageTag: "abc123",
    alarmEmail: "oncall@example.com",
  }),
);
const json = template.toJSON() as { Resources: Record<string, { Type: string; Properties?: Record<string, any> }> };
const resources = (type: string) => Object.entries(json.Resources).filter(([, r]) => r.Type === type);
const containers = () => resources("AWS::ECS::TaskDefinition").flatMap(([, t]) => t.Properties!.ContainerDefinitions as Array<Record<string, any>>);

describe("the production stack", () => {
  it("encrypts everything at rest: database, bucket, logs, secrets, alarms topic", () => {
    template.hasResourceProperties("AWS::RDS::DBInstance", { StorageEncrypted: true, KmsKeyId: Match.anyValue() });
    template.hasResourceProperties("AWS::S3::Bucket", {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: Match.anyValue() } })] },
    });
    for (const [id, group] of resources("AWS::Logs::LogGroup")) assert.ok(group.Properties!.KmsKeyId, `${id} is encrypted`);
    for (const [id, secret] of resources("AWS::SecretsManager::Secret")) assert.ok(secret.Properties!.KmsKeyId, `${id} uses our key`);
    template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
  });

  it("keeps the database private, Multi-AZ, backed up and protected from deletion", () => {
    template.hasResourceProperties("AWS::RDS::DBInstance", {
      PubliclyAccessible: false,
      MultiAZ: true,
      DeletionProtection: true,
      BackupRetentionPeriod: Match.anyValue(),
      Engine: "postgres",
    });
    const [[, db]] = resources("AWS::RDS::DBInstance");
    assert.ok(Number(db!.Properties!.BackupRetentionPeriod) >= 7);
    assert.ok(Number(String(db!.Properties!.EngineVersion).split(".")[0]) >= 15);
    // Only the app's tasks reach port 5432; nothing from a CIDR.
    for (const [, rule] of resources("AWS::EC2::SecurityGroupIngress").filter(([, r]) => r.Properties!.FromPort === 5432)) {
      assert.equal(rule.Properties!.CidrIp, undefined);
      assert.ok(rule.Properties!.SourceSecurityGroupId);
    }
  });

  it("blocks public access to the bucket, requires TLS, versions it and expires renders", () => {
    template.hasResourceProperties("AWS::S3::Bucket", {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: "Enabled" },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ TagFilters: [{ Key: "kind", Value: "render" }], Status: "Enabled" })]) },
    });
    template.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } })]) },
    });
  });

  it("grants no wildcard action in any IAM policy, and deletes in the bucket only under photos/", () => {
    const statements = [...resources("AWS::IAM::Policy"), ...resources("AWS::IAM::Role")].flatMap(([id, r]) =>
      [r.Properties!.PolicyDocument, ...((r.Properties!.Policies as Array<{ PolicyDocument: unknown }>) ?? []).map((p) => p.PolicyDocument)]
        .filter(Boolean)
        .flatMap((doc) => (doc as { Statement: Array<Record<string, any>> }).Statement.map((s) => ({ id, s }))),
    );
    assert.ok(statements.length > 5);
    for (const { id, s } of statements) {
      for (const action of [s.Action].flat()) assert.ok(action !== "*" && !/:\*$/.test(String(action)), `${id} grants ${action}`);
    }
    const deletes = statements.filter(({ s }) => [s.Action].flat().includes("s3:DeleteObject"));
    assert.ok(deletes.length >= 2);
    for (const { id, s } of deletes) assert.match(JSON.stringify(s.Resource), /\/photos\/\*/, `${id} deletes only under photos/`);
  });

  it("serves HTTPS only (HTTP redirects) and health-checks both services", () => {
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", { Protocol: "HTTPS", Port: 443, Certificates: Match.anyValue() });
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", {
      Protocol: "HTTP",
      DefaultActions: [Match.objectLike({ Type: "redirect", RedirectConfig: Match.objectLike({ Protocol: "HTTPS", Port: "443" }) })],
    });
    template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", { HealthCheckPath: "/api/health" });
    const byCommand = new Map(containers().map((c) => [c.Command?.[0], c]));
    for (const command of ["web", "worker"]) assert.ok(byCommand.get(command)?.HealthCheck?.Command, `${command} has a container health check`);
    assert.ok(byCommand.get("migrate"), "the migration task exists");
    template.resourceCountIs("AWS::ECS::Service", 2);
  });

  it("keeps secrets out of plain environment variables", () => {
    for (const c of containers()) {
      const plain = (c.Environment as Array<{ Name: string; Value: unknown }>).map((e) => e.Name);
      for (const name of plain) assert.ok(!/SECRET|PASSWORD|TOKEN|_KEY$|DATABASE_URL/.test(name) || name === "S3_KMS_KEY_ID", `${name} is plain`);
      const secret = new Set((c.Secrets as Array<{ Name: string }>).map((s) => s.Name));
      for (const name of ["AUTH0_CLIENT_SECRET", "AUTH0_SECRET", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "APP_SECRET", "DB_PASSWORD"]) assert.ok(secret.has(name), `${name} comes from Secrets Manager`);
      assert.equal(plain.includes("NODE_ENV") && c.Environment.find((e: { Name: string }) => e.Name === "NODE_ENV").Value, "production");
    }
  });

  it("attaches the WAF with rate limits on /mcp, /approve and the Stripe webhook", () => {
    template.resourceCountIs("AWS::WAFv2::WebACLAssociation", 1);
    const [[, acl]] = resources("AWS::WAFv2::WebACL");
    const limited = (acl!.Properties!.Rules as Array<Record<string, any>>)
      .filter((r) => r.Statement.RateBasedStatement)
      .map((r) => r.Statement.RateBasedStatement.ScopeDownStatement.ByteMatchStatement.SearchString);
    assert.deepEqual(limited.sort(), ["/approve", "/mcp", "/webhooks/stripe"]);
  });

  it("scales web on CPU and requests, workers on the queue, and alarms on what the runbook covers", () => {
    const policies = resources("AWS::ApplicationAutoScaling::ScalingPolicy").map(([, p]) => JSON.stringify(p.Properties));
    assert.ok(policies.some((p) => p.includes("ECSServiceAverageCPUUtilization")));
    assert.ok(policies.some((p) => p.includes("ALBRequestCountPerTarget")));
    assert.ok(policies.some((p) => p.includes("StepScaling")));
    const alarms = resources("AWS::CloudWatch::Alarm").map(([, a]) => String(a.Properties!.AlarmDescription));
    for (const topic of ["5xx", "/mcp", "try-on", "CPU", "storage"]) assert.ok(alarms.some((d) => d.includes(topic)), `an alarm on ${topic}`);
    for (const [, a] of resources("AWS::CloudWatch::Alarm")) assert.ok((a.Properties!.AlarmActions as unknown[]).length > 0);
  });
});
