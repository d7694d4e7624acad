// Copies the pinned front-end packages from node_modules into the static folder that
// Django collects, so the app serves them itself (no CDN, CSP stays 'self').
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "src/headway/web/static/vendor");
const files = {
  "htmx.org/dist/htmx.min.js": "htmx.min.js",
  "sortablejs/Sortable.min.js": "Sortable.min.js",
};

mkdirSync(target, { recursive: true });
for (const [source, name] of Object.entries(files)) {
  copyFileSync(join(root, "node_modules", source), join(target, name));
}
console.log(`vendored ${Object.keys(files).length} files into ${target}`);
