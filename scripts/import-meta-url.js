// Injected into the CJS bundles: what `import.meta.url` would be for the
// bundle itself, so the server and CLI find the rule pages next to them.
export const import_meta_url = require('node:url').pathToFileURL(__filename).href;
