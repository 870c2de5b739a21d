// An edge-generated API answer (2.0): a JSON body describing the viewer (geo headers, device, the query),
// the full set of security headers from a table, and session/consent/locale cookies with attributes.
const SECURITY_HEADERS = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; script-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-xss-protection': '1; mode=block',
};
const GEO = ['cloudfront-viewer-country', 'cloudfront-viewer-city', 'cloudfront-viewer-time-zone', 'cloudfront-viewer-latitude', 'cloudfront-viewer-longitude'];

function header(request, name) {
  const entry = request.headers[name];
  return entry ? entry.value : null;
}

function handler(event) {
  const request = event.request;
  const headers = {};
  Object.keys(SECURITY_HEADERS).forEach((name) => { headers[name] = { value: SECURITY_HEADERS[name] }; });
  headers['content-type'] = { value: 'application/json; charset=utf-8' };
  headers['cache-control'] = { value: 'private, no-store' };
  const geo = {};
  GEO.forEach((name) => { geo[name.replace('cloudfront-viewer-', '')] = header(request, name); });
  const query = Object.keys(request.querystring).map((name) => ({ name, value: request.querystring[name].value }));
  const expires = new Date(Date.now() + 30 * 86400 * 1000).toUTCString();
  const attributes = 'Path=/; Secure; HttpOnly; SameSite=Lax; Expires=' + expires;
  const cookies = {
    session: { value: event.context.requestId || 'anonymous', attributes },
    consent: { value: request.cookies.consent ? request.cookies.consent.value : 'pending', attributes },
    locale: { value: (header(request, 'accept-language') || 'en').split(',')[0], attributes: 'Path=/; Max-Age=31536000' },
    visits: { value: String(Number(request.cookies.visits ? request.cookies.visits.value : 0) + 1), attributes },
  };
  const body = {
    ok: true,
    method: request.method,
    path: request.uri,
    query,
    geo,
    device: header(request, 'cloudfront-is-mobile-viewer') === 'true' ? 'mobile' : 'desktop',
    viewer: event.viewer.ip,
    links: ['/account', '/orders', '/wishlist', '/help'].map((href, i) => ({ rel: 'item' + i, href })),
    generatedAt: new Date(Date.now()).toISOString(),
  };
  return { statusCode: 200, statusDescription: 'OK', headers, cookies, body: JSON.stringify(body) };
}
