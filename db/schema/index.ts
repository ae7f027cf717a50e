export * from "./users";
export * from "./profiles";
export * from "./catalog";
export * from "./activity";
export * from "./commerce";
export * from "./platform";
