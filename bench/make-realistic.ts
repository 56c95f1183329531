/**
 * Writes bench/fixtures/realistic-2000.vcl: a production-style VCL program of
 * exactly 2,000 lines that varnishd 7.1.1 accepts. It is generated (rather than
 * copied from somewhere) so that it can be regenerated deterministically and
 * carries no third-party licence; the output is committed and the benchmark
 * reads the committed file, so this script only runs when the fixture changes.
 *
 *   npx tsc -p tsconfig.json && node out/bench/make-realistic.js
 *
 * The program mixes what real configurations hold: backends with probes,
 * directors built in vcl_init, ACLs, URL and header normalisation, cookie
 * filtering, long if/elsif chains on req.url and req.http.*, TTL rules in
 * vcl_backend_response, synthetic error pages and plenty of comments.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from '../test/helpers/prng.js';

/** Number of lines the fixture must have. */
export const REALISTIC_LINES = 2000;


const WORDS = [
  'about', 'archive', 'blog', 'brand', 'catalog', 'category', 'company', 'contact', 'deals', 'docs',
  'events', 'faq', 'gallery', 'guide', 'help', 'jobs', 'kitchen', 'garden', 'lookbook', 'media',
  'news', 'offers', 'outlet', 'partners', 'press', 'pricing', 'product', 'recipes', 'reviews', 'sale',
  'season', 'shop', 'stories', 'support', 'team', 'travel', 'video', 'winter', 'summer', 'women',
  'men', 'kids', 'shoes', 'bags', 'home', 'office', 'tools', 'books', 'music', 'sports',
];

/** Builds the program text with `redirects` entries in the legacy redirect map. */
function build(redirects: number, padComments: number): string[] {
  const rnd = prng(20261125);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const L: string[] = [];
  const emit = (...xs: string[]): void => { for (const x of xs) L.push(x); };

  emit(
    '#',
    '# Edge cache configuration for the shop, the blog, the public API and the',
    '# static asset hosts. Generated for the vcl-lint benchmark: it looks like a',
    '# production file but every address is a documentation or loopback address.',
    '#',
    '# Layout:',
    '#   probes and backends',
    '#   access control lists',
    '#   directors (vcl_init)',
    '#   helper subroutines called from the built-in ones',
    '#   client side: vcl_recv, vcl_hash, vcl_hit, vcl_miss, vcl_pass, vcl_purge, vcl_synth, vcl_deliver',
    '#   backend side: vcl_backend_fetch, vcl_backend_response, vcl_backend_error',
    '#',
    'vcl 4.1;',
    '',
    'import std;',
    'import directors;',
    'import cookie;',
    '',
  );

  // ---- probes -------------------------------------------------------------
  emit(
    '# ---------------------------------------------------------------------------',
    '# Health probes. The application answers /health with 200 once its database',
    '# pool is warm; static hosts only need to serve a small file.',
    '# ---------------------------------------------------------------------------',
    '',
    'probe app_health {',
    '    .request =',
    '        "GET /health HTTP/1.1"',
    '        "Host: shop.example.com"',
    '        "User-Agent: varnish-probe"',
    '        "Connection: close";',
    '    .timeout = 2s;',
    '    .interval = 5s;',
    '    .window = 10;',
    '    .threshold = 6;',
    '    .initial = 5;',
    '    .expected_response = 200;',
    '}',
    '',
    'probe api_health {',
    '    .url = "/v2/status";',
    '    .timeout = 1s;',
    '    .interval = 3s;',
    '    .window = 8;',
    '    .threshold = 5;',
    '}',
    '',
    'probe static_health {',
    '    .url = "/favicon.ico";',
    '    .timeout = 500ms;',
    '    .interval = 10s;',
    '    .window = 5;',
    '    .threshold = 3;',
    '}',
    '',
    'probe legacy_health {',
    '    .url = "/index.php?healthcheck=1";',
    '    .timeout = 5s;',
    '    .interval = 15s;',
    '    .window = 4;',
    '    .threshold = 2;',
    '    .expected_response = 200;',
    '}',
    '',
  );

  // ---- backends -----------------------------------------------------------
  const backends: Array<{ name: string; host: string; port: number; probe: string; group: string }> = [];
  for (let i = 1; i <= 6; i++) backends.push({ name: `app${i}`, host: `192.0.2.${10 + i}`, port: 8080, probe: 'app_health', group: 'app' });
  for (let i = 1; i <= 4; i++) backends.push({ name: `api${i}`, host: `192.0.2.${30 + i}`, port: 9000, probe: 'api_health', group: 'api' });
  for (let i = 1; i <= 3; i++) backends.push({ name: `static${i}`, host: `198.51.100.${i}`, port: 80, probe: 'static_health', group: 'static' });
  for (let i = 1; i <= 2; i++) backends.push({ name: `legacy${i}`, host: `198.51.100.${20 + i}`, port: 8081, probe: 'legacy_health', group: 'legacy' });
  backends.push({ name: 'blog1', host: '203.0.113.5', port: 8080, probe: 'app_health', group: 'blog' });
  backends.push({ name: 'search1', host: '203.0.113.9', port: 9200, probe: 'api_health', group: 'search' });
  emit(
    '# ---------------------------------------------------------------------------',
    '# Backends. Timeouts follow what each pool needs: the application renders',
    '# category pages slowly on a cold cache, the API must fail fast.',
    '# ---------------------------------------------------------------------------',
    '',
  );
  for (const b of backends) {
    const slow = b.group === 'app' || b.group === 'legacy';
    emit(
      `backend ${b.name} {`,
      `    .host = "${b.host}";`,
      `    .port = "${b.port}";`,
      `    .probe = ${b.probe};`,
      `    .connect_timeout = ${slow ? '3s' : '1s'};`,
      `    .first_byte_timeout = ${slow ? '90s' : '15s'};`,
      `    .between_bytes_timeout = ${slow ? '10s' : '5s'};`,
      `    .max_connections = ${b.group === 'static' ? 500 : 200};`,
      '}',
      '',
    );
  }

  // ---- ACLs ---------------------------------------------------------------
  emit(
    '# ---------------------------------------------------------------------------',
    '# Access control lists.',
    '# ---------------------------------------------------------------------------',
    '',
    '# Who may PURGE and BAN: the deploy hosts and the application servers.',
    'acl purgers {',
    '    "127.0.0.1";',
    '    "::1";',
    '    "192.0.2.0"/24;',
    '    "10.20.0.0"/16;',
    '}',
    '',
    '# Internal networks: they see debug headers and bypass the rate limit.',
    'acl internal {',
    '    "10.0.0.0"/8;',
    '    "172.16.0.0"/12;',
    '    "192.168.0.0"/16;',
    '    ! "10.99.0.0"/16;',
    '}',
    '',
    '# Monitoring probes from the uptime service.',
    'acl monitoring {',
    '    "198.51.100.200";',
    '    "198.51.100.201";',
    '    "198.51.100.202";',
    '    "2001:db8::/32";',
    '}',
    '',
    '# Abusive ranges seen in the access logs.',
    'acl blocked {',
  );
  for (let i = 0; i < 24; i++) emit(`    "203.0.113.${i * 8}"/29;`);
  emit('}', '');

  // ---- vcl_init -----------------------------------------------------------
  emit(
    '# ---------------------------------------------------------------------------',
    '# Directors.',
    '# ---------------------------------------------------------------------------',
    '',
    'sub vcl_init {',
    '    # Application pool: round robin across healthy nodes.',
    '    new app_rr = directors.round_robin();',
  );
  for (const b of backends.filter((x) => x.group === 'app')) emit(`    app_rr.add_backend(${b.name});`);
  emit('', '    # Sticky sessions for logged-in users: hash on the session cookie.', '    new app_sticky = directors.hash();');
  for (const b of backends.filter((x) => x.group === 'app')) emit(`    app_sticky.add_backend(${b.name}, 1.0);`);
  emit('', '    # API pool: weighted random, api4 is the bigger machine.', '    new api_random = directors.random();');
  for (const b of backends.filter((x) => x.group === 'api')) emit(`    api_random.add_backend(${b.name}, ${b.name === 'api4' ? '3.0' : '1.0'});`);
  emit('', '    # Static files: fall back in order.', '    new static_fb = directors.fallback();');
  for (const b of backends.filter((x) => x.group === 'static')) emit(`    static_fb.add_backend(${b.name});`);
  emit('', '    # Legacy CMS: primary then secondary.', '    new legacy_fb = directors.fallback();');
  for (const b of backends.filter((x) => x.group === 'legacy')) emit(`    legacy_fb.add_backend(${b.name});`);
  emit('    legacy_fb.add_backend(app_rr.backend());', '', '    return (ok);', '}', '');

  // ---- helpers: security ---------------------------------------------------
  emit(
    '# ---------------------------------------------------------------------------',
    '# Request hygiene: refuse what no backend should ever see.',
    '# ---------------------------------------------------------------------------',
    '',
    'sub block_bad_requests {',
    '    if (client.ip ~ blocked || std.ip(req.http.X-Real-IP, "0.0.0.0") ~ blocked) {',
    '        return (synth(403, "Forbidden"));',
    '    }',
    '',
    '    # Methods we do not serve at all.',
    '    if (req.method != "GET" && req.method != "HEAD" && req.method != "POST" &&',
    '        req.method != "PUT" && req.method != "PATCH" && req.method != "DELETE" &&',
    '        req.method != "OPTIONS" && req.method != "PURGE" && req.method != "BAN") {',
    '        return (synth(405, "Method Not Allowed"));',
    '    }',
    '',
    '    # Probing for files that only exist on badly configured servers.',
  );
  const probesForFiles = [
    '\\.(env|git|svn|hg|DS_Store)(/|$)', '/wp-config\\.php', '/phpinfo\\.php', '/\\.aws/', '/xmlrpc\\.php',
    '/vendor/phpunit/', '/cgi-bin/', '/server-status', '/\\.well-known/security\\.txt\\.bak', '/etc/passwd',
    '/boaform/', '/HNAP1', '/actuator/', '/solr/admin', '/owa/auth', '/autodiscover/',
    '\\.(sql|bak|old|orig|swp)$', '/administrator/index\\.php', '/shell\\.php', '/eval-stdin\\.php',
  ];
  probesForFiles.forEach((re, i) => emit(`    ${i === 0 ? 'if' : '} elsif'} (req.url ~ "${re}") {`, `        return (synth(404, "Not Found"));`));
  emit('    }', '', '    # User agents that only scrape or attack.');
  const badAgents = [
    'AhrefsBot', 'MJ12bot', 'SemrushBot', 'DotBot', 'BLEXBot', 'PetalBot', 'MegaIndex', 'serpstatbot',
    'DataForSeoBot', 'Bytespider', 'ClaudeBot-fake', 'sqlmap', 'nikto', 'masscan', 'zgrab', 'python-requests/2\\.2',
    'Go-http-client/1\\.1', 'curl/7\\.29', 'Wget/1\\.12', 'libwww-perl', 'HTTrack', 'WebCopier', 'EmailCollector',
  ];
  badAgents.forEach((ua, i) => emit(`    ${i === 0 ? 'if' : '} elsif'} (req.http.User-Agent ~ "(?i)${ua}") {`, `        set req.http.X-Blocked = "ua:${ua.replace(/\\/g, '')}";`, '        return (synth(403, "Forbidden"));'));
  emit('    }', '}', '');

  // ---- helpers: normalisation ---------------------------------------------
  emit(
    '# ---------------------------------------------------------------------------',
    '# Normalisation: one cache object per meaningful URL and header set.',
    '# ---------------------------------------------------------------------------',
    '',
    'sub normalize_host {',
    '    set req.http.Host = std.tolower(regsub(req.http.Host, ":[0-9]+$", ""));',
  );
  const hostAliases: Array<[string, string]> = [
    ['www.example.com', 'shop.example.com'], ['example.com', 'shop.example.com'], ['m.example.com', 'shop.example.com'],
    ['store.example.com', 'shop.example.com'], ['www.blog.example.com', 'blog.example.com'], ['news.example.com', 'blog.example.com'],
    ['api-v2.example.com', 'api.example.com'], ['assets.example.com', 'static.example.com'], ['cdn.example.com', 'static.example.com'],
    ['img.example.com', 'static.example.com'], ['old.example.com', 'legacy.example.com'], ['intranet.example.com', 'legacy.example.com'],
  ];
  hostAliases.forEach(([from, to], i) => emit(`    ${i === 0 ? 'if' : '} elsif'} (req.http.Host == "${from}") {`, `        set req.http.Host = "${to}";`));
  emit('    }', '}', '', 'sub normalize_url {',
    '    # Drop the fragment, which browsers should not send anyway.',
    '    set req.url = regsub(req.url, "#.*$", "");',
    '    # Collapse duplicate slashes.',
    '    set req.url = regsuball(req.url, "/{2,}", "/");',
    '    # Remove tracking parameters that never change the page.',
  );
  const trackers = ['utm_[a-z]+', 'gclid', 'fbclid', 'msclkid', 'mc_cid', 'mc_eid', '_ga', '_gl', 'yclid', 'dclid', 'igshid', 'ref_src', 'hsCtaTracking', '_hsenc', '_hsmi', 'mkt_tok', 'vero_id', 'oly_anon_id', 'oly_enc_id', 'rb_clickid', 'wickedid', 's_kwcid', 'ef_id', 'cx', 'ie', 'cof', 'siteurl', 'zanpid', 'origin', 'srsltid'];
  for (let i = 0; i < trackers.length; i += 3) {
    const group = trackers.slice(i, i + 3).join('|');
    emit(`    set req.url = regsuball(req.url, "([?&])(${group})=[^&]*&?", "\\1");`);
  }
  emit(
    '    # Tidy what the removals left behind.',
    '    set req.url = regsub(req.url, "[?&]+$", "");',
    '    set req.url = regsub(req.url, "\\?&+", "?");',
    '    # Sort the query string so that ?a=1&b=2 and ?b=2&a=1 share one object.',
    '    set req.url = std.querysort(req.url);',
    '    # Lower-case the path of static files (the origin is case-insensitive).',
    '    if (req.url ~ "(?i)\\.(JPG|JPEG|PNG|GIF|WEBP|SVG|CSS|JS)(\\?.*)?$") {',
    '        set req.url = std.tolower(req.url);',
    '    }',
    '}',
    '',
    'sub normalize_headers {',
    '    # Accept-Encoding: only gzip and br matter to the backends.',
    '    if (req.http.Accept-Encoding) {',
    '        if (req.url ~ "\\.(jpg|jpeg|png|gif|webp|avif|gz|tgz|bz2|zip|mp4|mp3|ogg|woff2)$") {',
    '            unset req.http.Accept-Encoding;',
    '        } elsif (req.http.Accept-Encoding ~ "br") {',
    '            set req.http.Accept-Encoding = "br";',
    '        } elsif (req.http.Accept-Encoding ~ "gzip") {',
    '            set req.http.Accept-Encoding = "gzip";',
    '        } else {',
    '            unset req.http.Accept-Encoding;',
    '        }',
    '    }',
    '',
    '    # Device class for the templates that still differ by device.',
    '    set req.http.X-Device = "desktop";',
  );
  const devices: Array<[string, string]> = [
    ['(?i)ipad|tablet|kindle|silk|playbook', 'tablet'], ['(?i)android.*mobile|iphone|ipod|windows phone|blackberry|opera mini', 'mobile'],
    ['(?i)android', 'tablet'], ['(?i)googlebot|bingbot|yandex|baiduspider|duckduckbot|slurp', 'bot'], ['(?i)smart-?tv|hbbtv|appletv|roku', 'tv'],
  ];
  devices.forEach(([re, d], i) => emit(`    ${i === 0 ? 'if' : '} elsif'} (req.http.User-Agent ~ "${re}") {`, `        set req.http.X-Device = "${d}";`));
  emit(
    '    }',
    '',
    '    # Language from the first Accept-Language entry we support.',
    '    set req.http.X-Lang = "en";',
  );
  const langs = ['de', 'fr', 'nl', 'es', 'it', 'pl', 'sv', 'da', 'fi', 'pt'];
  langs.forEach((l, i) => emit(`    ${i === 0 ? 'if' : '} elsif'} (req.http.Accept-Language ~ "^${l}") {`, `        set req.http.X-Lang = "${l}";`));
  emit(
    '    }',
    '',
    '    # Forwarding headers for the application.',
    '    if (req.restarts == 0) {',
    '        if (req.http.X-Forwarded-For) {',
    '            set req.http.X-Forwarded-For = req.http.X-Forwarded-For + ", " + client.ip;',
    '        } else {',
    '            set req.http.X-Forwarded-For = client.ip;',
    '        }',
    '    }',
    '    if (!req.http.X-Forwarded-Proto) {',
    '        if (std.port(server.ip) == 443) {',
    '            set req.http.X-Forwarded-Proto = "https";',
    '        } else {',
    '            set req.http.X-Forwarded-Proto = "http";',
    '        }',
    '    }',
    '    unset req.http.Proxy;',
    '    unset req.http.X-Original-URL;',
    '    unset req.http.X-Rewrite-URL;',
    '}',
    '',
  );

  // ---- helpers: cookies ----------------------------------------------------
  emit(
    '# ---------------------------------------------------------------------------',
    '# Cookies: keep the few the application reads, drop analytics cookies.',
    '# ---------------------------------------------------------------------------',
    '',
    'sub handle_cookies {',
    '    if (!req.http.Cookie) {',
    '        return;',
    '    }',
    '    std.collect(req.http.Cookie, "; ");',
    '',
    '    # Static files never depend on cookies.',
    '    if (req.url ~ "^/(static|media|assets|fonts)/" || req.url ~ "\\.(css|js|png|jpg|jpeg|gif|svg|webp|woff2?)(\\?.*)?$") {',
    '        unset req.http.Cookie;',
    '        return;',
    '    }',
    '',
    '    # Remember the session before filtering, for the sticky director.',
    '    if (req.http.Cookie ~ "(^|;\\s*)PHPSESSID=") {',
    '        set req.http.X-Session = regsub(req.http.Cookie, "^.*(?:^|;\\s*)PHPSESSID=([^;]*).*$", "\\1");',
    '    }',
    '',
    '    cookie.parse(req.http.Cookie);',
    '    cookie.keep("PHPSESSID,frontend,store,currency,X-Magento-Vary,wordpress_logged_in,wp-settings,comment_author,lang,consent");',
    '    set req.http.Cookie = cookie.get_string();',
    '',
    '    if (req.http.Cookie ~ "^\\s*$") {',
    '        unset req.http.Cookie;',
    '    }',
    '}',
    '',
  );

  // ---- helpers: purge and ban ---------------------------------------------
  emit(
    '# ---------------------------------------------------------------------------',
    '# Invalidation: PURGE one URL, BAN by tag or by URL pattern.',
    '# ---------------------------------------------------------------------------',
    '',
    'sub handle_invalidation {',
    '    if (req.method == "PURGE") {',
    '        if (!(client.ip ~ purgers)) {',
    '            return (synth(405, "PURGE not allowed from " + client.ip));',
    '        }',
    '        return (purge);',
    '    }',
    '    if (req.method == "BAN") {',
    '        if (!(client.ip ~ purgers)) {',
    '            return (synth(405, "BAN not allowed"));',
    '        }',
    '        if (req.http.X-Cache-Tags) {',
    '            std.ban("obj.http.X-Cache-Tags ~ " + req.http.X-Cache-Tags);',
    '        } elsif (req.http.X-Ban-Url) {',
    '            std.ban("obj.http.X-Url ~ " + req.http.X-Ban-Url + " && obj.http.X-Host == " + req.http.Host);',
    '        } else {',
    '            return (synth(400, "BAN needs X-Cache-Tags or X-Ban-Url"));',
    '        }',
    '        if (std.ban_error() != "") {',
    '            return (synth(400, std.ban_error()));',
    '        }',
    '        return (synth(200, "Banned"));',
    '    }',
    '}',
    '',
  );

  // ---- helpers: legacy redirect map (size adjusts the line count) ----------
  emit(
    '# ---------------------------------------------------------------------------',
    '# Redirects kept from the 2019 site migration. The marketing team adds to',
    '# this list; keep it sorted by campaign, not alphabetically.',
    '# ---------------------------------------------------------------------------',
    '',
    'sub legacy_redirects {',
  );
  const seen = new Set<string>();
  for (let i = 0; i < redirects; i++) {
    let from: string;
    do {
      from = `/${pick(WORDS)}/${pick(WORDS)}-${Math.floor(rnd() * 900 + 100)}`;
    } while (seen.has(from));
    seen.add(from);
    const to = `/${pick(WORDS)}/${pick(WORDS)}/${from.split('/')[2]}`;
    const prefix = i === 0 ? 'if' : '} elsif';
    if (i % 7 === 3) {
      emit(`    ${prefix} (req.url ~ "^${from}(\\.html?)?(\\?.*)?$") {`, `        set req.http.X-Redirect = "${to}";`, '        return (synth(751, "Moved Temporarily"));');
    } else {
      emit(`    ${prefix} (req.url ~ "^${from}(/|\\?|$)") {`, `        set req.http.X-Redirect = "${to}";`, '        return (synth(750, "Moved Permanently"));');
    }
    if (i % 25 === 24) emit(`        # campaign batch ${Math.floor(i / 25) + 1}`);
  }
  emit('    }', '}', '');

  // ---- helpers: per-site routing -----------------------------------------
  emit(
    '# ---------------------------------------------------------------------------',
    '# Per-site request handling.',
    '# ---------------------------------------------------------------------------',
    '',
    'sub recv_shop {',
    '    set req.backend_hint = app_rr.backend();',
    '    if (req.http.X-Session) {',
    '        set req.backend_hint = app_sticky.backend(req.http.X-Session);',
    '    }',
    '',
    '    # Pages that are personal or change state are never cached.',
  );
  const shopPass = [
    '^/checkout', '^/cart', '^/customer/', '^/account', '^/wishlist', '^/sales/', '^/paypal/', '^/payment/',
    '^/newsletter/', '^/review/product/post', '^/catalogsearch/result', '^/rest/', '^/graphql', '^/admin',
    '^/index\\.php/admin', '^/downloadable/', '^/vault/', '^/multishipping/', '^/persistent/', '^/oauth/',
  ];
  shopPass.forEach((re, i) => emit(`    ${i === 0 ? 'if' : '} elsif'} (req.url ~ "${re}") {`, '        return (pass);'));
  emit(
    '    }',
    '',
    '    # Health check of the application itself goes straight through.',
    '    if (req.url ~ "^/(pub/)?health_check\\.php$") {',
    '        return (pass);',
    '    }',
    '',
    '    # Only GET and HEAD are cacheable.',
    '    if (req.method != "GET" && req.method != "HEAD") {',
    '        return (pass);',
    '    }',
    '',
    '    # Logged-in customers see their own prices.',
    '    if (req.http.Cookie ~ "X-Magento-Vary=" && req.url !~ "^/(static|media)/") {',
    '        set req.http.X-Vary = regsub(req.http.Cookie, "^.*?X-Magento-Vary=([^;]+);*.*$", "\\1");',
    '    }',
    '',
    '    # Search with an empty query is the category page.',
    '    if (req.url ~ "^/catalogsearch/result/?\\?q=$") {',
    '        set req.url = "/catalog";',
    '    }',
    '    return (hash);',
    '}',
    '',
    'sub recv_blog {',
    '    set req.backend_hint = blog1;',
    '    if (req.url ~ "^/wp-(admin|login|cron)" || req.url ~ "preview=true" || req.url ~ "/feed/?$") {',
    '        return (pass);',
    '    }',
    '    if (req.http.Cookie ~ "wordpress_logged_in_" || req.http.Cookie ~ "comment_author_") {',
    '        return (pass);',
    '    }',
    '    if (req.url ~ "^/wp-json/") {',
    '        set req.http.X-Api = "wp";',
    '        if (req.method != "GET") {',
    '            return (pass);',
    '        }',
    '    }',
    '    if (req.url ~ "\\?s=") {',
    '        # Search pages are cheap to render and rarely repeated.',
    '        return (pass);',
    '    }',
    '    unset req.http.Cookie;',
    '    return (hash);',
    '}',
    '',
    'sub recv_api {',
    '    set req.backend_hint = api_random.backend();',
    '    if (req.url ~ "^/v[0-9]+/search") {',
    '        set req.backend_hint = search1;',
    '    }',
    '    if (req.method == "OPTIONS") {',
    '        return (synth(204, "No Content"));',
    '    }',
    '    if (req.http.Authorization || req.method != "GET") {',
    '        return (pass);',
    '    }',
  );
  const apiRoutes: Array<[string, string]> = [
    ['^/v2/products', '300'], ['^/v2/categories', '900'], ['^/v2/stores', '3600'], ['^/v2/prices', '60'],
    ['^/v2/stock', '10'], ['^/v2/reviews', '600'], ['^/v2/cms', '1800'], ['^/v2/config', '3600'],
    ['^/v1/', '120'], ['^/v2/recommendations', '30'],
  ];
  apiRoutes.forEach(([re, ttl], i) => emit(`    ${i === 0 ? 'if' : '} elsif'} (req.url ~ "${re}") {`, `        set req.http.X-Api-Ttl = "${ttl}";`));
  emit(
    '    } else {',
    '        set req.http.X-Api-Ttl = "0";',
    '    }',
    '    return (hash);',
    '}',
    '',
    'sub recv_static {',
    '    set req.backend_hint = static_fb.backend();',
    '    unset req.http.Cookie;',
    '    unset req.http.Authorization;',
    '    if (req.url ~ "\\?(v|ver|version)=[0-9a-f]+$") {',
    '        set req.http.X-Versioned = "1";',
    '    }',
    '    return (hash);',
    '}',
    '',
    'sub recv_legacy {',
    '    set req.backend_hint = legacy_fb.backend();',
    '    if (!std.healthy(req.backend_hint)) {',
    '        # Serve stale content for a whole day while the CMS is down.',
    '        set req.grace = 24h;',
    '    } else {',
    '        set req.grace = 30s;',
    '    }',
    '    if (req.url ~ "^/(login|logout|admin|user)") {',
    '        return (pass);',
    '    }',
    '    return (hash);',
    '}',
    '',
  );

  // ---- vcl_recv ------------------------------------------------------------
  emit(
    '# ---------------------------------------------------------------------------',
    '# Client side.',
    '# ---------------------------------------------------------------------------',
    '',
    'sub vcl_recv {',
    '    call block_bad_requests;',
    '    call normalize_host;',
    '    call handle_invalidation;',
    '',
    '    # Monitoring gets a fast answer without touching a backend.',
    '    if (req.url == "/varnish-status" && client.ip ~ monitoring) {',
    '        return (synth(200, "OK"));',
    '    }',
    '',
    '    # Maintenance switch, set by the deploy script through a header rewrite.',
    '    if (req.http.X-Maintenance == "on" && !(client.ip ~ internal)) {',
    '        return (synth(503, "Maintenance"));',
    '    }',
    '',
    '    # Websockets and large uploads bypass the cache entirely.',
    '    if (req.http.Upgrade ~ "(?i)websocket") {',
    '        return (pipe);',
    '    }',
    '    if (req.method == "POST" && req.url ~ "^/(upload|import)/") {',
    '        return (pipe);',
    '    }',
    '',
    '    call normalize_url;',
    '    call normalize_headers;',
    '    call legacy_redirects;',
    '    call handle_cookies;',
    '',
    '    # Internal users may ask for a fresh copy.',
    '    if (client.ip ~ internal && req.http.Cache-Control ~ "no-cache") {',
    '        set req.hash_always_miss = true;',
    '    }',
    '',
    '    if (req.http.Host == "shop.example.com") {',
    '        call recv_shop;',
    '    } elsif (req.http.Host == "blog.example.com") {',
    '        call recv_blog;',
    '    } elsif (req.http.Host == "api.example.com") {',
    '        call recv_api;',
    '    } elsif (req.http.Host == "static.example.com") {',
    '        call recv_static;',
    '    } elsif (req.http.Host == "legacy.example.com") {',
    '        call recv_legacy;',
    '    } elsif (req.http.Host ~ "\\.example\\.com$") {',
    '        return (synth(404, "Unknown site"));',
    '    } else {',
    '        return (synth(421, "Misdirected Request"));',
    '    }',
    '    return (hash);',
    '}',
    '',
    'sub vcl_hash {',
    '    hash_data(req.url);',
    '    if (req.http.Host) {',
    '        hash_data(req.http.Host);',
    '    } else {',
    '        hash_data(server.ip);',
    '    }',
    '    hash_data(req.http.X-Forwarded-Proto);',
    '    if (req.http.X-Vary) {',
    '        hash_data(req.http.X-Vary);',
    '    }',
    '    if (req.http.Host == "shop.example.com" || req.http.Host == "blog.example.com") {',
    '        hash_data(req.http.X-Device);',
    '        hash_data(req.http.X-Lang);',
    '    }',
    '    return (lookup);',
    '}',
    '',
    'sub vcl_hit {',
    '    if (obj.ttl >= 0s) {',
    '        return (deliver);',
    '    }',
    '    if (std.healthy(req.backend_hint)) {',
    '        if (obj.ttl + 10s > 0s) {',
    '            return (deliver);',
    '        }',
    '        return (pass);',
    '    }',
    '    return (deliver);',
    '}',
    '',
    'sub vcl_miss {',
    '    if (req.http.X-Api-Ttl == "0") {',
    '        return (pass);',
    '    }',
    '    return (fetch);',
    '}',
    '',
    'sub vcl_pass {',
    '    set req.http.X-Passed = "1";',
    '    return (fetch);',
    '}',
    '',
    'sub vcl_pipe {',
    '    if (req.http.Upgrade) {',
    '        set bereq.http.Upgrade = req.http.Upgrade;',
    '        set bereq.http.Connection = req.http.Connection;',
    '    }',
    '    return (pipe);',
    '}',
    '',
    'sub vcl_purge {',
    '    return (synth(200, "Purged " + req.url));',
    '}',
    '',
  );

  // ---- vcl_synth with error pages -----------------------------------------
  emit(
    'sub vcl_synth {',
    '    set resp.http.X-Request-Id = req.xid;',
    '    if (resp.status == 750 || resp.status == 751) {',
    '        set resp.http.Location = req.http.X-Forwarded-Proto + "://" + req.http.Host + req.http.X-Redirect;',
    '        if (resp.status == 750) {',
    '            set resp.status = 301;',
    '        } else {',
    '            set resp.status = 302;',
    '        }',
    '        set resp.http.Cache-Control = "public, max-age=3600";',
    '        return (deliver);',
    '    }',
    '    if (resp.status == 204) {',
    '        set resp.http.Access-Control-Allow-Origin = "*";',
    '        set resp.http.Access-Control-Allow-Methods = "GET, HEAD, OPTIONS";',
    '        set resp.http.Access-Control-Max-Age = "86400";',
    '        return (deliver);',
    '    }',
    '    if (resp.status == 200 && req.url == "/varnish-status") {',
    '        set resp.http.Content-Type = "text/plain";',
    '        synthetic("OK " + server.hostname);',
    '        return (deliver);',
    '    }',
    '',
    '    set resp.http.Content-Type = "text/html; charset=utf-8";',
    '    set resp.http.Retry-After = "5";',
    '    set resp.http.Cache-Control = "no-store";',
  );
  const pages: Array<[number, string, string]> = [
    [403, 'Access denied', 'Your request was refused by our firewall. If you think this is a mistake, contact support and quote the request id below.'],
    [404, 'Page not found', 'The page you are looking for does not exist or has moved. Try the search box or start again from the home page.'],
    [405, 'Not allowed', 'This method is not allowed here.'],
    [421, 'Wrong address', 'This server does not serve the site you asked for.'],
    [503, 'Back soon', 'We are doing some maintenance and will be back in a few minutes. Thank you for your patience.'],
  ];
  pages.forEach(([status, title, text], i) => {
    emit(
      `    ${i === 0 ? 'if' : '} elsif'} (resp.status == ${status}) {`,
      '        synthetic({"<!DOCTYPE html>',
      '<html lang="en">',
      '  <head>',
      '    <meta charset="utf-8">',
      `    <title>${title}</title>`,
      '    <meta name="viewport" content="width=device-width, initial-scale=1">',
      '    <style>',
      '      body { font-family: system-ui, sans-serif; margin: 4em auto; max-width: 40em; color: #333; }',
      '      h1 { font-size: 2em; color: #b00; }',
      '      .id { color: #999; font-size: 0.8em; }',
      '    </style>',
      '  </head>',
      '  <body>',
      `    <h1>${title}</h1>`,
      `    <p>${text}</p>`,
      '    <p class="id">Request "} + req.xid + {"</p>',
      '  </body>',
      '</html>',
      '"});',
    );
  });
  emit(
    '    } else {',
    '        synthetic({"<!DOCTYPE html><html><head><title>"} + resp.status + " " + resp.reason + {"</title></head><body><h1>"} + resp.status + " " + resp.reason + {"</h1><p>Request "} + req.xid + {"</p></body></html>"});',
    '    }',
    '    return (deliver);',
    '}',
    '',
  );

  // ---- vcl_deliver -----------------------------------------------------------
  emit(
    'sub vcl_deliver {',
    '    if (obj.hits > 0) {',
    '        set resp.http.X-Cache = "HIT";',
    '        set resp.http.X-Cache-Hits = obj.hits;',
    '    } else {',
    '        set resp.http.X-Cache = "MISS";',
    '    }',
    '    if (req.http.X-Passed) {',
    '        set resp.http.X-Cache = "PASS";',
    '    }',
    '',
    '    # Security headers the application forgets on some pages.',
    '    if (!resp.http.Strict-Transport-Security && req.http.X-Forwarded-Proto == "https") {',
    '        set resp.http.Strict-Transport-Security = "max-age=31536000; includeSubDomains";',
    '    }',
    '    if (!resp.http.X-Content-Type-Options) {',
    '        set resp.http.X-Content-Type-Options = "nosniff";',
    '    }',
    '    if (resp.http.Content-Type ~ "text/html" && !resp.http.X-Frame-Options) {',
    '        set resp.http.X-Frame-Options = "SAMEORIGIN";',
    '    }',
    '    set resp.http.Referrer-Policy = "strict-origin-when-cross-origin";',
    '',
    '    # Browser caching: static files are immutable when versioned.',
    '    if (req.http.X-Versioned) {',
    '        set resp.http.Cache-Control = "public, max-age=31536000, immutable";',
    '    } elsif (req.http.Host == "api.example.com" && req.http.X-Api-Ttl) {',
    '        set resp.http.Cache-Control = "public, max-age=" + req.http.X-Api-Ttl;',
    '    }',
    '',
    '    # Debug headers only for internal networks.',
    '    if (client.ip ~ internal) {',
    '        set resp.http.X-Served-By = server.hostname;',
    '        set resp.http.X-Device = req.http.X-Device;',
    '        set resp.http.X-Lang = req.http.X-Lang;',
    '        set resp.http.X-Restarts = req.restarts;',
    '    } else {',
  );
  for (const h of ['X-Powered-By', 'Server', 'Via', 'X-Varnish', 'X-Url', 'X-Host', 'X-Cache-Tags', 'X-Magento-Tags', 'X-Magento-Debug', 'X-Drupal-Cache', 'X-Generator', 'X-AspNet-Version', 'X-Backend', 'X-Origin-Ttl']) {
    emit(`        unset resp.http.${h};`);
  }
  emit('    }', '    return (deliver);', '}', '');

  // ---- backend side ----------------------------------------------------------
  emit(
    '# ---------------------------------------------------------------------------',
    '# Backend side.',
    '# ---------------------------------------------------------------------------',
    '',
    'sub vcl_backend_fetch {',
    '    unset bereq.http.X-Session;',
    '    if (bereq.http.Host == "static.example.com") {',
    '        set bereq.http.Host = "origin-static.example.com";',
    '    }',
    '    if (bereq.retries > 0) {',
    '        set bereq.http.X-Retry = bereq.retries;',
    '    }',
    '    return (fetch);',
    '}',
    '',
    'sub ttl_by_type {',
    '    # Default TTLs by content type, overridden below by URL rules.',
  );
  const types: Array<[string, string, string]> = [
    ['^text/html', '10m', '1h'], ['^application/json', '2m', '10m'], ['^text/css', '7d', '30d'], ['javascript', '7d', '30d'],
    ['^image/', '30d', '90d'], ['^font/', '365d', '365d'], ['^video/', '7d', '7d'], ['^audio/', '7d', '7d'],
    ['^application/pdf', '1d', '7d'], ['^application/xml|^text/xml', '1h', '6h'], ['^application/rss\\+xml', '15m', '1h'],
    ['^text/plain', '1h', '6h'], ['^application/wasm', '30d', '30d'], ['^application/manifest\\+json', '1d', '1d'],
  ];
  types.forEach(([re, ttl, grace], i) => emit(
    `    ${i === 0 ? 'if' : '} elsif'} (beresp.http.Content-Type ~ "${re}") {`,
    `        set beresp.ttl = ${ttl};`,
    `        set beresp.grace = ${grace};`,
  ));
  emit('    } else {', '        set beresp.ttl = 5m;', '        set beresp.grace = 1h;', '    }', '}', '', 'sub ttl_by_url {');
  const urlTtls: string[] = [];
  for (let i = 0; i < 60; i++) {
    const w = WORDS[i % WORDS.length]!;
    const ttl = pick(['30s', '2m', '5m', '15m', '1h', '4h', '1d']);
    const re = i % 3 === 0 ? `^/${w}/` : i % 3 === 1 ? `^/${w}(/|$)` : `^/[a-z]{2}/${w}/`;
    urlTtls.push(re);
    emit(`    ${i === 0 ? 'if' : '} elsif'} (bereq.url ~ "${re}") {`, `        set beresp.ttl = ${ttl};`);
    if (i % 10 === 9) emit(`        # reviewed ${2020 + (i % 6)}-0${1 + (i % 9)}-15`);
  }
  emit('    }', '}', '');
  emit(
    'sub vcl_backend_response {',
    '    # Keep what we need for bans and debugging.',
    '    set beresp.http.X-Url = bereq.url;',
    '    set beresp.http.X-Host = bereq.http.Host;',
    '',
    '    # Retry once on a server error from the application pool.',
    '    if (beresp.status >= 500 && beresp.status != 503 && bereq.retries < 1 && bereq.method == "GET") {',
    '        return (retry);',
    '    }',
    '',
    '    call ttl_by_type;',
    '    call ttl_by_url;',
    '',
    '    # The API tells us its TTL through the request header set in vcl_recv.',
    '    if (bereq.http.X-Api-Ttl) {',
    '        set beresp.ttl = std.duration(bereq.http.X-Api-Ttl + "s", 0s);',
    '    }',
    '',
    '    # Honour explicit instructions from the backend.',
    '    if (beresp.http.Surrogate-Control ~ "max-age=[0-9]+") {',
    '        set beresp.ttl = std.duration(regsub(beresp.http.Surrogate-Control, "^.*max-age=([0-9]+).*$", "\\1") + "s", beresp.ttl);',
    '    } elsif (beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {',
    '        set beresp.uncacheable = true;',
    '        return (pass(120s));',
    '    }',
    '',
    '    # Never cache a response that sets a cookie, unless it is a static file.',
    '    if (beresp.http.Set-Cookie) {',
    '        if (bereq.url ~ "\\.(css|js|png|jpg|jpeg|gif|svg|webp|woff2?)(\\?.*)?$") {',
    '            unset beresp.http.Set-Cookie;',
    '        } else {',
    '            set beresp.uncacheable = true;',
    '            return (pass(60s));',
    '        }',
    '    }',
    '',
    '    # Errors: short TTL so that a fix shows quickly, but cache them to protect the origin.',
    '    if (beresp.status == 404 || beresp.status == 410) {',
    '        set beresp.ttl = 2m;',
    '    } elsif (beresp.status >= 500) {',
    '        set beresp.ttl = 5s;',
    '        set beresp.grace = 0s;',
    '    } elsif (beresp.status == 301 || beresp.status == 308) {',
    '        set beresp.ttl = 1d;',
    '    } elsif (beresp.status == 302 || beresp.status == 307) {',
    '        set beresp.ttl = 0s;',
    '        set beresp.uncacheable = true;',
    '        return (pass(30s));',
    '    }',
    '',
    '    # Compression for text formats the backend sends uncompressed.',
    '    if (beresp.http.Content-Type ~ "^(text/|application/(json|javascript|xml|rss\\+xml)|image/svg\\+xml)") {',
    '        set beresp.do_gzip = true;',
    '    }',
    '    # Stream large files instead of buffering them.',
    '    if (bereq.url ~ "\\.(mp4|mp3|ogg|zip|tgz|pdf|iso)$") {',
    '        set beresp.do_stream = true;',
    '        set beresp.keep = 7d;',
    '    } else {',
    '        set beresp.keep = 1d;',
    '    }',
    '',
    '    # ESI for the shop templates.',
    '    if (bereq.http.Host == "shop.example.com" && beresp.http.Surrogate-Control ~ "ESI/1.0") {',
    '        unset beresp.http.Surrogate-Control;',
    '        set beresp.do_esi = true;',
    '    }',
    '',
    '    set beresp.http.X-Origin-Ttl = beresp.ttl;',
    '    return (deliver);',
    '}',
    '',
    'sub vcl_backend_error {',
    '    if (bereq.retries < 2 && bereq.method == "GET") {',
    '        return (retry);',
    '    }',
    '    set beresp.http.Content-Type = "text/html; charset=utf-8";',
    '    set beresp.http.Retry-After = "10";',
    '    synthetic({"<!DOCTYPE html>',
    '<html lang="en">',
    '  <head><meta charset="utf-8"><title>Temporarily unavailable</title></head>',
    '  <body>',
    '    <h1>Temporarily unavailable</h1>',
    '    <p>Our servers are busy. Please try again in a few seconds.</p>',
    '    <p>Error "} + beresp.status + " " + beresp.reason + {"</p>',
    '    <p>Request "} + bereq.xid + {"</p>',
    '  </body>',
    '</html>',
    '"});',
    '    return (deliver);',
    '}',
  );
  if (padComments > 0) {
    emit('');
    for (let i = 0; i < padComments - 1; i++) emit(`# ${i === 0 ? 'end of configuration' : '-'}`);
  }
  return L;
}

/** The fixture's text: the redirect map is sized so the file is exactly REALISTIC_LINES lines. */
export function makeRealistic(): string {
  const base = build(0, 0).length; // lines without redirects
  // Each redirect entry is 3 lines, plus one comment every 25 entries.
  let n = 0;
  while (build(n + 1, 0).length <= REALISTIC_LINES) n++;
  const lines = build(n, REALISTIC_LINES - build(n, 0).length);
  if (lines.length !== REALISTIC_LINES) throw new Error(`generator produced ${lines.length} lines (base ${base})`);
  return lines.join('\n') + '\n';
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  // Compiled to out/bench/make-realistic.js; the fixture lives in bench/fixtures.
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const file = join(root, 'bench/fixtures/realistic-2000.vcl');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, makeRealistic());
  console.log(`wrote ${file}`);
}
