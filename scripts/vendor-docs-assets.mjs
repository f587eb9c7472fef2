// Copies the Scalar API reference browser bundle into public/ so the Worker serves /docs's script
// itself (no CDN). Runs on postinstall; plain Node so it needs nothing else installed.
import { copyFileSync, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "public/docs/vendor/scalar-api-reference.js");
const source = join(root, "node_modules/@scalar/api-reference/dist/browser/standalone.js");
if (!existsSync(source)) {
  // Production installs (--omit=dev) have no Scalar: /docs then has no script, nothing else breaks.
  console.warn(`vendor-docs-assets: ${source} is missing; /docs will not render`);
  process.exit(0);
}
mkdirSync(dirname(target), { recursive: true });
copyFileSync(source, target);
console.log(`vendor-docs-assets: ${target} (${(statSync(target).size / 1024 / 1024).toFixed(1)} MiB)`);
