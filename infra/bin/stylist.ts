#!/usr/bin/env node
import { App } from "aws-cdk-lib";
import { StylistStack } from "../lib/stylist-stack.js";

const app = new App();
const context = (key: string) => {
  const value = app.node.tryGetContext(`stylist:${key}`);
  if (typeof value !== "string" || value === "") throw new Error(`set the context value stylist:${key} (cdk.json or -c stylist:${key}=…)`);
  return value;
};
new StylistStack(app, "Stylist", {
  // Bound to an account and region when deploying (credentials set); environment-agnostic otherwise, so
  // `cdk synth` and the tests need no AWS account.
  env: process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } : undefined,
  domainName: context("domainName"),
  certificateArn: context("certificateArn"),
  imageTag: context("imageTag"),
  alarmEmail: context("alarmEmail"),
});
