import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as appscaling from "aws-cdk-lib/aws-applicationautoscaling";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cwActions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as ecr from "aws-cdk-lib/aws-ecr";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as ecsPatterns from "aws-cdk-lib/aws-ecs-patterns";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as logs from "aws-cdk-lib/aws-logs";
import * as rds from "aws-cdk-lib/aws-rds";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as sns from "aws-cdk-lib/aws-sns";
import * as snsSubscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import * as wafv2 from "aws-cdk-lib/aws-wafv2";
import type { Construct } from "constructs";

export interface StylistStackProps extends StackProps {
  /** The public name (its DNS record points at the load balancer), e.g. stylist.example.com. */
  domainName: string;
  /** An ACM certificate for domainName in this region. */
  certificateArn: string;
  /** The image tag the deploy pipeline pushed to the `stylist` ECR repository (a git SHA). */
  imageTag: string;
  /** Where alarms go. */
  alarmEmail: string;
}

/** The namespace the app's Embedded Metric Format lines publish to (server/tryon/worker.ts). */
export const METRICS_NAMESPACE = "Stylist";

/**
 * Production on AWS: one image serves the site, /mcp and tRPC behind an ALB (ECS Fargate, two AZs),
 * the same image runs try-on workers and the one-off migration task, RDS PostgreSQL holds all state,
 * S3 holds photos and renders. Secrets come from Secrets Manager as ECS secrets, never as plain
 * environment. docs/runbook.md says how to deploy, roll back, rotate, restore and scale it.
 */
export class StylistStack extends Stack {
  constructor(scope: Construct, id: string, props: StylistStackProps) {
    super(scope, id, props);
    const appBaseUrl = `https://${props.domainName}`;

    // ---- network: two AZs; tasks in private subnets, the database in isolated ones ----
    const vpc = new ec2.Vpc(this, "Vpc", {
      maxAzs: 2,
      natGateways: 2,
      subnetConfiguration: [
        { name: "public", subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: "app", subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: "data", subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    vpc.addGatewayEndpoint("S3Endpoint", { service: ec2.GatewayVpcEndpointAwsService.S3 });

    // ---- keys and secrets ----
    const key = new kms.Key(this, "DataKey", {
      enableKeyRotation: true,
      description: "Stylist: photos, renders, database, logs",
      removalPolicy: RemovalPolicy.RETAIN,
    });
    key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`));
    const auth0 = new secretsmanager.Secret(this, "Auth0Secret", {
      description: "Auth0: domain, clientId, clientSecret, cookieSecret (AUTH0_*)",
      encryptionKey: key,
    });
    const stripe = new secretsmanager.Secret(this, "StripeSecret", {
      description: "Stripe: secretKey, webhookSecret",
      encryptionKey: key,
    });
    const appSecret = new secretsmanager.Secret(this, "AppSecret", {
      description: "APP_SECRET: seals recoverable values and signs photo links",
      encryptionKey: key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });

    // ---- database ----
    const dbSecurityGroup = new ec2.SecurityGroup(this, "DatabaseSg", { vpc, description: "Postgres - only from the app tasks", allowAllOutbound: false });
    const database = new rds.DatabaseInstance(this, "Database", {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.LARGE),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [dbSecurityGroup],
      multiAz: true,
      publiclyAccessible: false,
      storageEncrypted: true,
      storageEncryptionKey: key,
      allocatedStorage: 100,
      maxAllocatedStorage: 1000,
      storageType: rds.StorageType.GP3,
      backupRetention: Duration.days(14),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      credentials: rds.Credentials.fromGeneratedSecret("stylist", { encryptionKey: key }),
      databaseName: "stylist",
      cloudwatchLogsExports: ["postgresql"],
      cloudwatchLogsRetention: logs.RetentionDays.ONE_MONTH,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: key,
      // pg_trgm and fuzzystrmatch ship with RDS PostgreSQL; the migrations create them.
      parameters: { "rds.force_ssl": "1" },
    });

    // ---- photos and renders ----
    const assets = new s3.Bucket(this, "Assets", {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        // Renders are re-creatable: kept 90 days (the app tags them kind=render).
        { id: "renders", tagFilters: { kind: "render" }, expiration: Duration.days(90) },
        // A deleted photo must not survive as an old version: versions exist for recovery from a bad
        // deploy, not to keep what a user deleted.
        { id: "deleted-versions", noncurrentVersionExpiration: Duration.days(1), expiredObjectDeleteMarker: true, abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    // ---- the image, the cluster, the logs ----
    const repository = ecr.Repository.fromRepositoryName(this, "Repository", "stylist");
    const image = ecs.ContainerImage.fromEcrRepository(repository, props.imageTag);
    const cluster = new ecs.Cluster(this, "Cluster", { vpc, containerInsightsV2: ecs.ContainerInsights.ENHANCED });
    const logGroup = (name: string) =>
      new logs.LogGroup(this, `${name}Logs`, { retention: logs.RetentionDays.ONE_MONTH, encryptionKey: key, removalPolicy: RemovalPolicy.RETAIN });
    const webLogs = logGroup("Web");
    const workerLogs = logGroup("Worker");
    const migrateLogs = logGroup("Migrate");

    const environment: Record<string, string> = {
      NODE_ENV: "production",
      AUTH_MODE: "oauth",
      APP_BASE_URL: appBaseUrl,
      ASSET_STORAGE: "s3",
      S3_BUCKET: assets.bucketName,
      S3_KMS_KEY_ID: key.keyArn,
      TRYON_WORKER: "off",
      LOG_LEVEL: "info",
      DB_SSL: "require",
    };
    const secrets: Record<string, ecs.Secret> = {
      DB_HOST: ecs.Secret.fromSecretsManager(database.secret!, "host"),
      DB_PORT: ecs.Secret.fromSecretsManager(database.secret!, "port"),
      DB_NAME: ecs.Secret.fromSecretsManager(database.secret!, "dbname"),
      DB_USER: ecs.Secret.fromSecretsManager(database.secret!, "username"),
      DB_PASSWORD: ecs.Secret.fromSecretsManager(database.secret!, "password"),
      AUTH0_DOMAIN: ecs.Secret.fromSecretsManager(auth0, "domain"),
      AUTH0_CLIENT_ID: ecs.Secret.fromSecretsManager(auth0, "clientId"),
      AUTH0_CLIENT_SECRET: ecs.Secret.fromSecretsManager(auth0, "clientSecret"),
      AUTH0_SECRET: ecs.Secret.fromSecretsManager(auth0, "cookieSecret"),
      STRIPE_SECRET_KEY: ecs.Secret.fromSecretsManager(stripe, "secretKey"),
      STRIPE_WEBHOOK_SECRET: ecs.Secret.fromSecretsManager(stripe, "webhookSecret"),
      APP_SECRET: ecs.Secret.fromSecretsManager(appSecret),
    };

    // ---- web: the site, /mcp and tRPC ----
    const certificate = acm.Certificate.fromCertificateArn(this, "Certificate", props.certificateArn);
    // One image, one command per task definition, the same environment and secrets everywhere.
    const task = (id: string, command: "web" | "worker" | "migrate", size: { cpu: number; memoryLimitMiB: number }, logGroup: logs.LogGroup, extra: Partial<ecs.ContainerDefinitionOptions> = {}) => {
      const definition = new ecs.FargateTaskDefinition(this, id, size);
      definition.addContainer(command, { image, command: [command], environment, secrets, logging: ecs.LogDrivers.awsLogs({ streamPrefix: command, logGroup }), ...extra });
      return definition;
    };
    const webTask = task("WebTask", "web", { cpu: 1024, memoryLimitMiB: 2048 }, webLogs, {
      portMappings: [{ containerPort: 3000 }],
      healthCheck: nodeHealthCheck("fetch('http://127.0.0.1:3000/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"),
    });
    const web = new ecsPatterns.ApplicationLoadBalancedFargateService(this, "Web", {
      cluster,
      taskDefinition: webTask,
      desiredCount: 2,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
      taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      publicLoadBalancer: true,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificate,
      redirectHTTP: true,
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      healthCheckGracePeriod: Duration.seconds(120),
    });
    web.targetGroup.configureHealthCheck({ path: "/api/health", healthyHttpCodes: "200", interval: Duration.seconds(15), healthyThresholdCount: 2 });
    const webScaling = web.service.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 20 });
    webScaling.scaleOnCpuUtilization("Cpu", { targetUtilizationPercent: 60 });
    webScaling.scaleOnRequestCount("Requests", { requestsPerTarget: 1500, targetGroup: web.targetGroup });

    // ---- worker: try-on jobs ----
    const workerTask = task("WorkerTask", "worker", { cpu: 1024, memoryLimitMiB: 2048 }, workerLogs, {
      // The worker touches its heartbeat file on every loop; a stuck loop fails the check.
      healthCheck: nodeHealthCheck("const s=require('fs').statSync('/tmp/stylist-worker-heartbeat');process.exit(Date.now()-s.mtimeMs<120000?0:1)"),
    });
    const worker = new ecs.FargateService(this, "Worker", {
      cluster,
      taskDefinition: workerTask,
      desiredCount: 1,
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });
    const queueDepth = new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: "TryonQueueDepth", statistic: "Maximum", period: Duration.minutes(1) });
    const queueAge = new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: "TryonQueueAgeSeconds", statistic: "Maximum", period: Duration.minutes(1) });
    worker.autoScaleTaskCount({ minCapacity: 1, maxCapacity: 10 }).scaleOnMetric("QueueDepth", {
      metric: queueDepth,
      scalingSteps: [
        { upper: 5, change: -1 },
        { lower: 20, change: +1 },
        { lower: 100, change: +3 },
      ],
      adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      cooldown: Duration.minutes(2),
    });

    // ---- migrations: a one-off task the deploy pipeline runs (and waits for) before services update ----
    const migrateTask = task("MigrateTask", "migrate", { cpu: 512, memoryLimitMiB: 1024 }, migrateLogs);
    const migrateSecurityGroup = new ec2.SecurityGroup(this, "MigrateSg", { vpc, description: "The migration task" });

    // ---- who reaches the database ----
    for (const [name, peer] of [
      ["web", web.service.connections],
      ["worker", worker.connections],
      ["migrate", migrateSecurityGroup.connections],
    ] as const) {
      dbSecurityGroup.addIngressRule(peer.securityGroups[0]!, ec2.Port.tcp(5432), `Postgres from the ${name} tasks`);
    }

    // ---- least privilege on the bucket ----
    // Web: reads and writes photos, and deletes only under photos/ (the user's own folders, when they delete).
    const photosArn = assets.arnForObjects("photos/*");
    web.taskDefinition.taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["s3:GetObject", "s3:PutObject", "s3:PutObjectTagging", "s3:DeleteObject"], resources: [photosArn] }),
    );
    web.taskDefinition.taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["s3:ListBucket"], resources: [assets.bucketArn], conditions: { StringLike: { "s3:prefix": ["photos/*"] } } }),
    );
    // Worker: reads photos, writes and removes only renders.
    workerTask.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ["s3:GetObject"], resources: [photosArn] }));
    workerTask.taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["s3:PutObject", "s3:PutObjectTagging", "s3:DeleteObject"], resources: [assets.arnForObjects("photos/*/*/renders/*")] }),
    );
    for (const role of [web.taskDefinition.taskRole, workerTask.taskRole]) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [key.keyArn] }));
    }

    // ---- WAF: rate limits on the doors that take money, tokens or heavy work ----
    const rateRule = (name: string, priority: number, path: string, limit: number): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      action: { block: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
      statement: {
        rateBasedStatement: {
          limit,
          aggregateKeyType: "IP",
          scopeDownStatement: {
            byteMatchStatement: {
              fieldToMatch: { uriPath: {} },
              positionalConstraint: "STARTS_WITH",
              searchString: path,
              textTransformations: [{ priority: 0, type: "NONE" }],
            },
          },
        },
      },
    });
    const acl = new wafv2.CfnWebACL(this, "WebAcl", {
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: "stylist", sampledRequestsEnabled: true },
      rules: [
        rateRule("mcp-rate", 1, "/mcp", 3000),
        rateRule("approve-rate", 2, "/approve", 300),
        rateRule("stripe-webhook-rate", 3, "/webhooks/stripe", 3000),
        {
          name: "aws-common",
          priority: 10,
          overrideAction: { none: {} },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: "aws-common", sampledRequestsEnabled: true },
          statement: {
            managedRuleGroupStatement: {
              vendorName: "AWS",
              name: "AWSManagedRulesCommonRuleSet",
              // Photo uploads from the portal are larger than the rule set's 8 KB body limit.
              ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }],
            },
          },
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, "WebAclAssociation", { resourceArn: web.loadBalancer.loadBalancerArn, webAclArn: acl.attrArn });

    // ---- alarms ----
    const topic = new sns.Topic(this, "Alarms", { masterKey: key });
    topic.addSubscription(new snsSubscriptions.EmailSubscription(props.alarmEmail));
    const alarm = (id: string, description: string, metric: cloudwatch.IMetric, threshold: number, periods = 3) => {
      const a = new cloudwatch.Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: periods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(new cwActions.SnsAction(topic));
      return a;
    };
    const lb = web.loadBalancer.metrics;
    alarm(
      "Http5xxRate",
      "More than 2% of requests end in a 5xx (docs/runbook.md#http-5xx-rate)",
      new cloudwatch.MathExpression({
        expression: "100 * (e5 + t5) / MAX([req, 1])",
        usingMetrics: { e5: lb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT), t5: lb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT), req: lb.requestCount() },
        period: Duration.minutes(1),
      }),
      2,
    );
    // /mcp latency from the app's own log lines (one per procedure, with via and durationMs).
    const mcpLatency = new logs.MetricFilter(this, "McpLatencyFilter", {
      logGroup: webLogs,
      metricNamespace: METRICS_NAMESPACE,
      metricName: "McpProcedureMs",
      filterPattern: logs.FilterPattern.all(logs.FilterPattern.stringValue("$.msg", "=", "procedure"), logs.FilterPattern.stringValue("$.via", "=", "mcp")),
      metricValue: "$.durationMs",
      unit: cloudwatch.Unit.MILLISECONDS,
    });
    alarm("McpLatencyP95", "p95 of /mcp tool calls above 1 s (docs/runbook.md#mcp-latency)", mcpLatency.metric({ statistic: "p95", period: Duration.minutes(5) }), 1000);
    alarm("TryonQueueAge", "The oldest queued try-on waits more than 5 minutes (docs/runbook.md#try-on-queue-age)", queueAge, 300);
    alarm("DatabaseCpu", "Database CPU above 80% (docs/runbook.md#database-cpu)", database.metricCPUUtilization({ period: Duration.minutes(5) }), 80);
    new cloudwatch.Alarm(this, "DatabaseStorage", {
      alarmDescription: "Less than 20 GB of database storage left (docs/runbook.md#database-storage)",
      metric: database.metricFreeStorageSpace({ period: Duration.minutes(5) }),
      threshold: 20 * 1024 ** 3,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    }).addAlarmAction(new cwActions.SnsAction(topic));
    alarm("UnhealthyWebTasks", "A web task fails its health check (docs/runbook.md#unhealthy-tasks)", web.targetGroup.metrics.unhealthyHostCount(), 0, 2);

    // ---- what the deploy pipeline needs ----
    new CfnOutput(this, "LoadBalancerDns", { value: web.loadBalancer.loadBalancerDnsName, description: `Point ${props.domainName} here` });
    new CfnOutput(this, "ClusterName", { value: cluster.clusterName });
    new CfnOutput(this, "MigrateTaskDefinition", { value: migrateTask.taskDefinitionArn });
    new CfnOutput(this, "MigrateSubnets", { value: vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds.join(",") });
    new CfnOutput(this, "MigrateSecurityGroup", { value: migrateSecurityGroup.securityGroupId });
    new CfnOutput(this, "AssetsBucket", { value: assets.bucketName });
    new CfnOutput(this, "DatabaseIdentifier", { value: database.instanceIdentifier });
  }
}

/** A container health check that runs a line of Node (the image has no curl). */
function nodeHealthCheck(script: string): ecs.HealthCheck {
  return { command: ["CMD", "node", "-e", script], interval: Duration.seconds(15), timeout: Duration.seconds(5), retries: 3, startPeriod: Duration.seconds(90) };
}
