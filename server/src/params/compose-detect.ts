/**
 * Whether a YAML text is a compose file that runs Varnish, read as YAML
 * rather than by patterns: Kubernetes manifests, CI files (whose
 * `services:` is a list of images), Helm values and other YAML that happen
 * to mention varnish or have a `services:` key are not compose files.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { parseComposeYaml, type ComposeDocument } from './compose-yaml.js';
import { CACHE_SERVICE_NAME, NAMES_DAEMON } from './daemon-names.js';
import { isVarnishImage } from './read-compose.js';

/**
 * True when a document of `text` has a `services:` mapping with a service
 * that runs Varnish: a varnish image, or a command or entrypoint that runs
 * varnishd or Vinyl Cache's vinyld. A file that its name already calls a
 * compose file (`named`) may also be an override of another one (a service
 * named for varnish or vinyl that only sets its command) or use the first
 * compose format (services at the top level).
 */
export function isVarnishCompose(text: string, named = false): boolean {
  const { documents } = parseComposeYaml(text);
  for (const doc of documents) {
    const root = doc.root;
    if (!isMap(root)) continue;
    const top = doc.entries(root);
    // A Kubernetes object, whatever else it holds.
    if (top.has('apiVersion') && top.has('kind')) continue;
    const services = top.get('services')?.value;
    if (isMap(services) && runsVarnish(doc, services, named)) return true;
    if (named && !top.has('services') && runsVarnish(doc, root, named)) return true;
  }
  return false;
}

function runsVarnish(doc: ComposeDocument, services: Node, named: boolean): boolean {
  if (!isMap(services)) return false;
  for (const [name, entry] of doc.entries(services)) {
    if (!isMap(entry.value)) continue;
    const svc = doc.entries(entry.value);
    const image = svc.get('image')?.value;
    if (isScalar(image) && typeof image.value === 'string' && isVarnishImage(image.value)) return true;
    const run = [svc.get('command')?.value, svc.get('entrypoint')?.value];
    if (run.some((n) => NAMES_DAEMON.test(textOf(doc, n)))) return true;
    if (named && CACHE_SERVICE_NAME.test(name) && run.some((n) => n !== undefined)) return true;
  }
  return false;
}

/** A command's text: the string, or the list's items joined. */
export function textOf(doc: ComposeDocument, node: Node | undefined): string {
  if (isScalar(node)) return typeof node.value === 'string' ? node.value : '';
  if (isSeq(node)) return node.items.map((i) => textOf(doc, doc.deref(i as Node))).join(' ');
  return '';
}
