// The same check in 1.0 (ES5): a hand-written base64url decoder, crypto.createHmac(…).digest('base64url'),
// an expiry check against the run's clock; the claims become headers, anything else a 401.
var crypto = require('crypto');
var SECRET = 'edgelite-bench-secret-please-rotate';
var ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// The claims are ASCII JSON, so the decoded bytes are the text.
function base64UrlDecode(text) {
  var out = '', buffer = 0, bits = 0;
  for (var i = 0; i < text.length; i++) {
    var index = ALPHABET.indexOf(text.charAt(i));
    if (index === -1) throw new Error('invalid base64url');
    buffer = (buffer << 6) | index;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buffer >> bits) & 255);
    }
  }
  return out;
}

function handler(event) {
  var request = event.request;
  var auth = request.headers.authorization;
  var token = auth && auth.value.indexOf('Bearer ') === 0 ? auth.value.slice(7) : '';
  var parts = token.split('.');
  var denied = { statusCode: 401, statusDescription: 'Unauthorized', headers: { 'www-authenticate': { value: 'Bearer' } } };
  if (parts.length !== 3) return denied;
  var signature = crypto.createHmac('sha256', SECRET).update(parts[0] + '.' + parts[1]).digest('base64url');
  if (signature !== parts[2]) return denied;
  var claims;
  try {
    claims = JSON.parse(base64UrlDecode(parts[1]));
  } catch (e) {
    return denied;
  }
  if (!claims.exp || Date.now() / 1000 > claims.exp) return denied;
  request.headers['x-user-id'] = { value: String(claims.sub) };
  request.headers['x-user-roles'] = { value: claims.roles.join(',') };
  delete request.headers.authorization;
  return request;
}
