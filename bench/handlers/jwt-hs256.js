// Token check at the edge (2.0): an HS256 JWT from the Authorization header (or ?token=), its
// signature recomputed with crypto's HMAC-SHA256 in base64url and compared in constant time, the
// header and claims decoded from base64url, expiry and audience checked; 401 otherwise.
import crypto from 'crypto';

const SECRET = 'edgelite-bench-secret-please-rotate';
const AUDIENCE = 'www.example.com';

function decodePart(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

function sameText(a, b) {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

function verify(token) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('malformed token');
  const header = decodePart(parts[0]);
  if (header.alg !== 'HS256') throw new Error('unexpected algorithm');
  const expected = crypto.createHmac('sha256', SECRET).update(parts[0] + '.' + parts[1]).digest('base64url');
  if (!sameText(expected, parts[2])) throw new Error('bad signature');
  const claims = decodePart(parts[1]);
  if (typeof claims.exp !== 'number' || Date.now() / 1000 > claims.exp) throw new Error('expired');
  if (claims.aud !== AUDIENCE) throw new Error('wrong audience');
  return claims;
}

function handler(event) {
  const request = event.request;
  const auth = request.headers.authorization;
  let token = auth && auth.value.indexOf('Bearer ') === 0 ? auth.value.slice(7) : '';
  if (!token && request.querystring.token) token = request.querystring.token.value;
  try {
    const claims = verify(token);
    request.headers['x-user-id'] = { value: String(claims.sub) };
    request.headers['x-user-roles'] = { value: claims.roles.join(',') };
    delete request.headers.authorization;
    return request;
  } catch (e) {
    return {
      statusCode: 401,
      statusDescription: 'Unauthorized',
      headers: { 'www-authenticate': { value: 'Bearer error="invalid_token", error_description="' + e.message + '"' } },
    };
  }
}
