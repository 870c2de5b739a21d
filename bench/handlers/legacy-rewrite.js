// The original bench/runtime handler: a redirect table, a path normaliser, device detection, a dropped
// utm_source and a request counter that must read 1 on every run (fresh top-level state).
var REDIRECTS = { '/old': '/new', '/blog/old-post': '/blog/new-post' };
var seen = 0;

function normalizePath(uri) {
  var path = uri.toLowerCase();
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path;
}

function handler(event) {
  seen++;
  var request = event.request;
  var headers = request.headers;
  var host = headers.host ? headers.host.value : '';
  var path = normalizePath(request.uri);

  if (REDIRECTS[path]) {
    return {
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: 'https://' + host + REDIRECTS[path] } },
    };
  }

  if (!path.includes('.')) path = path + '/index.html';
  request.uri = path;

  var device = 'desktop';
  var ua = headers['user-agent'] ? headers['user-agent'].value : '';
  if (/Mobile|Android|iPhone/.test(ua)) device = 'mobile';
  headers['x-device'] = { value: device };

  var qs = request.querystring;
  if (qs.utm_source) delete qs.utm_source;
  if (qs.lang) headers['accept-language'] = { value: qs.lang.value };

  var session = request.cookies.session ? request.cookies.session.value : '';
  headers['x-session-present'] = { value: session ? 'true' : 'false' };
  headers['x-request-count'] = { value: String(seen) };
  return request;
}
