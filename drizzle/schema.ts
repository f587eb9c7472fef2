// The database schema: the seed's physical layout plus this project's additive migrations.
// Imported by the Worker (`import * as schema`) and by drizzle-kit, so everything under drizzle/
// reachable from here depends on drizzle-orm and Web APIs only.
export * from "./enums";
export * from "./tenancy";
export * from "./meta";
export * from "./automation";
export * from "./reports";
export * from "./access";
export * from "./relations";
