// Cookie hygiene and A/B routing: a loop over the viewer's cookies drops analytics cookies the origin
// never needs, the rest are forwarded as one Cookie-style header string, a compound preferences cookie
// ("theme=dark; lang=de; …", URL-encoded) is parsed into an object, and the A/B group picks the origin path.
var ANALYTICS = /^(_ga|_gid|_gat|_fbp|_gcl_au|_hj|ajs_)/;

function parseCookieString(text) {
  var result = {};
  var pairs = text.split(';');
  for (var i = 0; i < pairs.length; i++) {
    var pair = pairs[i].trim();
    var at = pair.indexOf('=');
    if (at < 1) continue;
    result[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return result;
}

function handler(event) {
  var request = event.request;
  var cookies = request.cookies;
  var kept = [];
  for (var name in cookies) {
    if (ANALYTICS.test(name)) {
      delete cookies[name];
      continue;
    }
    kept.push(name + '=' + cookies[name].value);
  }
  var prefs = cookies.prefs ? parseCookieString(decodeURIComponent(cookies.prefs.value)) : {};
  var group = cookies.ab ? cookies.ab.value : 'a';
  if (group !== 'a' && group !== 'b') group = 'a';
  if (group === 'b') request.uri = '/experiment-b' + request.uri;
  request.headers['x-forwarded-cookies'] = { value: kept.join('; ') };
  request.headers['x-theme'] = { value: prefs.theme || 'light' };
  request.headers['x-currency'] = { value: prefs.currency || 'USD' };
  return request;
}
